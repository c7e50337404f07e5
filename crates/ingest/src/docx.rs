//! Word documents (DOCX, Office Open XML): paragraphs of `word/document.xml`
//! in document order (tables included), headings and quotes from paragraph
//! styles, list items from numbering; title and author from `docProps/core.xml`.

use dossier_model::Result;
use roxmltree::Node;

use crate::archive::{first_text, parse_xml, Archive};
use crate::{push_block, title_from_blocks, BlockKind, Extracted};

fn style_of(p: Node<'_, '_>) -> String {
    p.children()
        .find(|c| c.tag_name().name() == "pPr")
        .and_then(|ppr| ppr.children().find(|c| c.tag_name().name() == "pStyle"))
        .and_then(|s| {
            s.attributes()
                .find(|a| a.name() == "val")
                .map(|a| a.value().to_ascii_lowercase())
        })
        .unwrap_or_default()
}

fn is_list(p: Node<'_, '_>) -> bool {
    p.children()
        .find(|c| c.tag_name().name() == "pPr")
        .is_some_and(|ppr| ppr.children().any(|c| c.tag_name().name() == "numPr"))
}

/// The visible text of a paragraph: runs' `w:t`, tabs and breaks as spaces.
/// Deleted (tracked) text lives in `w:delText` and is left out.
fn paragraph_text(p: Node<'_, '_>) -> String {
    let mut out = String::new();
    for n in p.descendants() {
        match n.tag_name().name() {
            "t" if n.is_element() => out.extend(n.children().filter_map(|c| c.text())),
            "tab" | "br" | "cr" if n.is_element() => out.push(' '),
            "noBreakHyphen" if n.is_element() => out.push('-'),
            _ => {}
        }
    }
    out
}

pub fn extract(bytes: &[u8], what: &str) -> Result<Extracted> {
    let mut zip = Archive::open(bytes, what)?;
    let xml = zip.read_string("word/document.xml")?;
    let doc = parse_xml(&xml, what)?;
    let mut blocks = Vec::new();
    // Only the body: headers, footers and footnotes are separate parts we skip.
    if let Some(body) = doc.descendants().find(|n| n.tag_name().name() == "body") {
        for p in body
            .descendants()
            .filter(|n| n.is_element() && n.tag_name().name() == "p")
        {
            let style = style_of(p);
            let kind = if style.starts_with("heading")
                || style.starts_with("title")
                || style.contains("berschrift")
            {
                BlockKind::Heading
            } else if style.contains("quote") || style.contains("zitat") {
                BlockKind::Quote
            } else if is_list(p) {
                BlockKind::ListItem
            } else {
                BlockKind::Paragraph
            };
            push_block(&mut blocks, kind, &paragraph_text(p));
        }
    }
    let (mut title, mut author, mut published) = (None, None, None);
    if zip.has("docProps/core.xml") {
        let core = zip.read_string("docProps/core.xml")?;
        if let Ok(meta) = parse_xml(&core, what) {
            title = first_text(&meta, "title");
            author = first_text(&meta, "creator");
            published = first_text(&meta, "created");
        }
    }
    // A pandoc or Word title block is also the first heading; keep the metadata title.
    let title = title.or_else(|| title_from_blocks(&blocks));
    Ok(Extracted {
        title,
        author,
        published,
        blocks,
        parser: "docx/1".into(),
        media_type: "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
            .into(),
        ..Default::default()
    })
}
