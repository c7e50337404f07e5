#![no_main]
// REFI-QDA projects built from a structure: deep code trees, many sources and
// selections, odd and repeated GUIDs, notes full of links. The reader must stay
// within time and output bounds, and the link rewriter must grow a note by at
// most one id per link.
use arbitrary::Arbitrary;

#[path = "common.rs"]
mod common;

#[derive(Arbitrary, Debug)]
struct Project {
    code_depth: u16,
    code_fanout: u8,
    sources: Vec<(u8, u16, u16, u8)>,
    notes: Vec<(u8, u16)>,
    links: Vec<(u8, u8)>,
}

libfuzzer_sys::fuzz_target!(|p: Project| {
    let id = |i: u8| common::IDS[i as usize % common::IDS.len()];
    let mut xml = String::from(r#"<?xml version="1.0" encoding="utf-8"?><Project xmlns="urn:QDA-XML:project:1.0" name="f"><CodeBook><Codes>"#);
    let depth = (p.code_depth % 2_000) as usize;
    for i in 0..depth {
        xml.push_str(&format!(r#"<Code guid="{}" name="c{i}" isCodable="true">"#, id(i as u8)));
    }
    for i in 0..p.code_fanout {
        xml.push_str(&format!(r#"<Code guid="{}" name="x/{i}"/>"#, id(i)));
    }
    xml.push_str(&"</Code>".repeat(depth));
    xml.push_str("</Codes></CodeBook><Sources>");
    for (g, start, end, n) in p.sources.iter().take(200) {
        xml.push_str(&format!(r#"<TextSource guid="{}" name="s"><PlainTextContent>Qwen offen 开放 e a</PlainTextContent>"#, id(*g)));
        for k in 0..(*n % 50) {
            xml.push_str(&format!(r#"<PlainTextSelection guid="{}" startPosition="{start}" endPosition="{end}"><Coding guid="c"><CodeRef targetGUID="{}"/></Coding></PlainTextSelection>"#, id(k), id(g.wrapping_add(k))));
        }
        xml.push_str("</TextSource>");
    }
    xml.push_str("</Sources><Notes>");
    for (g, n) in p.notes.iter().take(50) {
        let body = "[[claim:e]] e [[article:a|a]] ".repeat((*n % 500) as usize);
        xml.push_str(&format!(r#"<Note guid="{}" name="n"><PlainTextContent>{body}</PlainTextContent></Note>"#, id(*g)));
    }
    xml.push_str("</Notes><Links>");
    for (o, t) in p.links.iter().take(500) {
        xml.push_str(&format!(r#"<Link guid="l" name="supports" originGUID="{}" targetGUID="{}"/>"#, id(*o), id(*t)));
    }
    xml.push_str("</Links></Project>");
    let parsed = common::timed("qdpx", xml.len(), || dossier_export::qda::parse_project(&xml));
    if let Ok(project) = parsed {
        assert!(project.codes.iter().all(|c| c.path.len() <= 16), "a code path deeper than the limit");
        for n in &project.notes {
            let links = dossier_model::links::find_links(&n.text).len();
            let out = common::timed("note links", n.text.len(), || {
                dossier_model::links::rewrite_links(&n.text, |_| Some("0192f0c2-7a3b-7cde-8f00-123456789abc".into()))
            });
            assert!(out.len() <= n.text.len() + links * 36, "a note grew by more than one id per link");
        }
    }
});
