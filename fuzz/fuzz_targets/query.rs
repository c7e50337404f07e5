#![no_main]
// The query language: whatever is typed, parsing and compiling end quickly.
// Raw bytes, and structured queries with deep groups, many fields and operators.
use arbitrary::Arbitrary;

#[path = "common.rs"]
mod common;

#[derive(Arbitrary, Debug)]
enum Part {
    Open(u16),
    Close(u16),
    Word(String),
    Field(u8, String),
    Or,
    Not,
    Quote,
    Star,
}

libfuzzer_sys::fuzz_target!(|parts: Vec<Part>| {
    const FIELDS: &[&str] = &["kind", "code", "lang", "stance", "title", "date", "verdict", "hedging", "relation", "x"];
    let mut q = String::new();
    for p in parts.iter().take(2_000) {
        match p {
            Part::Open(n) => q.push_str(&"(".repeat((*n % 30_000) as usize)),
            Part::Close(n) => q.push_str(&")".repeat((*n % 30_000) as usize)),
            Part::Word(w) => q.push_str(w),
            Part::Field(f, v) => q.push_str(&format!("{}:{v}", FIELDS[*f as usize % FIELDS.len()])),
            Part::Or => q.push_str(" OR "),
            Part::Not => q.push('-'),
            Part::Quote => q.push('"'),
            Part::Star => q.push('*'),
        }
        q.push(' ');
    }
    common::timed("query", q.len(), || dossier_search::compile_query(&q));
});
