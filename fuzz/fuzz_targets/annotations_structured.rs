#![no_main]
// W3C / Hypothesis annotations built from a structure: deep and long tag paths,
// many annotations and selectors, huge positions, repeated ids; then the
// references readers on text built the same way.
use arbitrary::Arbitrary;

#[path = "common.rs"]
mod common;

#[derive(Arbitrary, Debug)]
struct Doc {
    annotations: Vec<(u8, u16, u32, u32, u8)>,
    nesting: u8,
    bib_entries: u16,
    bib_depth: u16,
}

libfuzzer_sys::fuzz_target!(|d: Doc| {
    let id = |i: u8| common::IDS[i as usize % common::IDS.len()];
    let mut items = Vec::new();
    for (g, tag_depth, start, end, copies) in d.annotations.iter().take(300) {
        let tag = vec![id(*g); (*tag_depth % 5_000) as usize].join("/");
        for _ in 0..(*copies % 4).max(1) {
            items.push(serde_json::json!({
                "type": "Annotation", "id": format!("urn:uuid:{}", id(*g)),
                "target": {"source": format!("urn:sha256:{}", id(*g)), "selector": [
                    {"type": "TextQuoteSelector", "exact": "Qwen", "prefix": id(*g), "suffix": ""},
                    {"type": "TextPositionSelector", "start": start, "end": end}]},
                "body": [{"type": "TextualBody", "purpose": "tagging", "value": tag}]
            }));
        }
    }
    let mut doc = serde_json::json!({"type": "AnnotationCollection", "first": {"type": "AnnotationPage", "items": items}});
    // Nesting inside a body value (serde_json itself stops at 128 levels when parsing text).
    for _ in 0..(d.nesting % 100) {
        doc = serde_json::json!({"type": "AnnotationCollection", "first": {"items": [doc]}});
    }
    let text = doc.to_string();
    let parsed = common::timed("w3c", text.len(), || dossier_export::w3c::parse(&doc));
    if let Ok(list) = parsed {
        let out: usize = list.iter().map(|a| a.tags.iter().map(String::len).sum::<usize>()).sum();
        common::bounded("w3c", text.len(), out);
    }
    let n = (d.bib_entries % 2_000) as usize;
    let braces = (d.bib_depth % 10_000) as usize;
    let bib = format!("@online{{k, title = {{{}T{}}}, url = {{https://x}}}}\n", "{".repeat(braces), "}".repeat(braces)).repeat(n.max(1));
    let refs = common::timed("bibtex", bib.len(), || dossier_export::references::read_bibtex(&bib));
    if let Ok(r) = refs {
        assert!(r.len() <= n.max(1));
    }
    let ris = "TY  - ELEC\r\nTI  - T\r\nUR  - javascript:x\r\nER  - \r\n".repeat(n.max(1));
    let _ = common::timed("ris", ris.len(), || dossier_export::references::read_ris(&ris));
    let csl = serde_json::Value::Array(vec![serde_json::json!({"id": "a", "type": "webpage", "title": "T", "issued": {"date-parts": [[2024, 5, 1, 9, 9, 9]]}}); n.max(1)]);
    let _ = common::timed("csl", n, || dossier_export::references::read_csl_json(&csl));
});
