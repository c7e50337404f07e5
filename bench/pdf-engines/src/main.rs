//! Candidate PDF text engines against pdftotext on the corpus PDFs.
use std::collections::HashMap;
use std::panic::{catch_unwind, AssertUnwindSafe};
use std::time::Instant;

fn is_cjk(c: char) -> bool {
    matches!(c as u32, 0x3400..=0x4DBF | 0x4E00..=0x9FFF | 0xF900..=0xFAFF | 0x20000..=0x2FA1F)
}

/// The same normalisation for every engine and the reference: compatibility
/// forms (ligatures) folded, and a word hyphenated across a line end mended,
/// as Dossier's paragraphs do.
fn normalise(text: &str) -> String {
    use unicode_normalization::UnicodeNormalization;
    let folded: String = text.nfkc().collect();
    let mut out = String::with_capacity(folded.len());
    let mut chars = folded.chars().peekable();
    while let Some(c) = chars.next() {
        if c == '-' && chars.peek() == Some(&'\n') {
            let mut look = chars.clone();
            look.next();
            while look.peek().is_some_and(|c| *c == ' ') {
                look.next();
            }
            if look.peek().is_some_and(|c| c.is_lowercase()) {
                chars = look;
                continue;
            }
        }
        out.push(c);
    }
    out
}

/// Words (Latin/alphanumeric runs, lower-cased, ≥2 chars) and CJK characters, in order.
fn tokens(text: &str) -> (Vec<String>, Vec<char>) {
    let text = &normalise(text);
    let mut words = Vec::new();
    let mut cjk = Vec::new();
    let mut cur = String::new();
    for c in text.chars() {
        if is_cjk(c) {
            cjk.push(c);
        }
        if c.is_alphanumeric() && !is_cjk(c) {
            cur.extend(c.to_lowercase());
        } else if !cur.is_empty() {
            if cur.chars().count() >= 2 { words.push(std::mem::take(&mut cur)); } else { cur.clear(); }
        }
    }
    if cur.chars().count() >= 2 { words.push(cur); }
    (words, cjk)
}

/// Every letter and digit outside CJK, lower-cased, as a multiset: what
/// reaches the reader whatever the word boundaries (a word split or joined
/// differently from pdftotext still counts here).
fn letters(text: &str) -> Vec<char> {
    normalise(text)
        .chars()
        .filter(|c| c.is_alphanumeric() && !is_cjk(*c))
        .flat_map(char::to_lowercase)
        .collect()
}

fn bag<T: std::hash::Hash + Eq + Clone>(v: &[T]) -> HashMap<T, usize> {
    let mut m = HashMap::new();
    for x in v { *m.entry(x.clone()).or_insert(0) += 1; }
    m
}

fn covered<T: std::hash::Hash + Eq + Clone>(reference: &[T], got: &[T]) -> (usize, usize) {
    let r = bag(reference);
    let g = bag(got);
    let hit: usize = r.iter().map(|(k, n)| (*n).min(*g.get(k).unwrap_or(&0))).sum();
    (hit, reference.len())
}

fn bigrams(words: &[String]) -> Vec<(String, String)> {
    words.windows(2).map(|w| (w[0].clone(), w[1].clone())).collect()
}

fn guarded<F: FnOnce() -> Option<String>>(f: F) -> Option<String> {
    catch_unwind(AssertUnwindSafe(f)).ok().flatten()
}

thread_local! {
    /// Pages Dossier's reader names as incomplete, for the last PDF it read.
    static NAMED: std::cell::Cell<usize> = const { std::cell::Cell::new(0) };
}

fn engine(name: &str, bytes: &[u8]) -> Option<String> {
    match name {
        "pdf-extract-0.10-doc" => guarded(|| {
            let pages = pdf_extract_010::extract_text_from_mem_by_pages(bytes).ok()?;
            Some(pages.join("\n\u{c}"))
        }),
        "pdf-extract-0.12-page" => guarded(|| {
            let doc = lopdf::Document::load_mem(bytes).ok()?;
            let mut out = String::new();
            for &n in doc.get_pages().keys() {
                let page = guarded(|| {
                    let mut s = String::new();
                    {
                        let mut o = pdf_extract::PlainTextOutput::new(&mut s);
                        pdf_extract::output_doc_page(&doc, &mut o, n).ok()?;
                    }
                    Some(s)
                });
                out.push_str(&page.unwrap_or_default());
                out.push('\u{c}');
            }
            Some(out)
        }),
        "lopdf-0.42-page" => guarded(|| {
            let doc = lopdf::Document::load_mem(bytes).ok()?;
            let mut out = String::new();
            for &n in doc.get_pages().keys() {
                let page = guarded(|| doc.extract_text(&[n]).ok());
                out.push_str(&page.unwrap_or_default());
                out.push('\u{c}');
            }
            Some(out)
        }),
        "pdf_oxide-0.3-page" => guarded(|| {
            let doc = pdf_oxide::PdfDocument::from_bytes(bytes.to_vec()).ok()?;
            let n = doc.page_count().ok()?;
            let mut out = String::new();
            for i in 0..n {
                let page = guarded(|| doc.extract_text(i).ok());
                out.push_str(&page.unwrap_or_default());
                out.push('\u{c}');
            }
            Some(out)
        }),
        "dossier-pdf/2" => guarded(|| {
            let e = dossier_ingest::extract_unisolated(bytes, "x.pdf").ok()?;
            let named = e.pages.iter().filter(|p| p.incomplete()).count();
            NAMED.with(|n| n.set(named));
            Some(e.canonical_text())
        }),
        _ => unreachable!(),
    }
}

fn main() {
    std::panic::set_hook(Box::new(|_| {}));
    let args: Vec<String> = std::env::args().collect();
    let root = std::path::Path::new(&args[1]);
    let only: Option<&str> = args.get(2).map(|s| s.as_str());
    let engines = ["dossier-pdf/2", "pdf-extract-0.10-doc", "pdf-extract-0.12-page", "lopdf-0.42-page", "pdf_oxide-0.3-page"];
    let manifest = std::fs::read_to_string(root.join("manifest.tsv")).unwrap();
    println!("pdf\tengine\twords_hit\twords_ref\tcjk_hit\tcjk_ref\tbigram_hit\tbigram_ref\tms\tpages_named_incomplete\tletters_hit\tletters_ref");
    for line in manifest.lines().skip(1) {
        let path = line.split('\t').next().unwrap();
        if !path.ends_with(".pdf") { continue; }
        let file = root.join(path);
        let reference = std::process::Command::new("pdftotext").args(["-enc", "UTF-8"]).arg(&file).arg("-").output().unwrap();
        let reference = String::from_utf8_lossy(&reference.stdout).into_owned();
        let (rw, rc) = tokens(&reference);
        let bytes = std::fs::read(&file).unwrap();
        for e in engines {
            if only.is_some_and(|o| o != e) { continue; }
            let t = Instant::now();
            NAMED.with(|n| n.set(0));
            let text = engine(e, &bytes).unwrap_or_default();
            let named = NAMED.with(|n| n.get());
            let ms = t.elapsed().as_millis();
            let (gw, gc) = tokens(&text);
            let (wh, wr) = covered(&rw, &gw);
            let (ch, cr) = covered(&rc, &gc);
            let (bh, br) = covered(&bigrams(&rw), &bigrams(&gw));
            let (lh, lr) = covered(&letters(&reference), &letters(&text));
            println!("{path}\t{e}\t{wh}\t{wr}\t{ch}\t{cr}\t{bh}\t{br}\t{ms}\t{named}\t{lh}\t{lr}");
        }
    }
}
