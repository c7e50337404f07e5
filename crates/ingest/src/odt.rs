//! OpenDocument text (ODT): headings, paragraphs and list items of
//! `content.xml` in document order; footnote bodies are left out of the
//! running text; title, author and language from `meta.xml`.

use dossier_model::Result;
use roxmltree::Node;

use crate::archive::{first_text, parse_xml, Archive};
use crate::{push_block, title_from_blocks, Block, BlockKind, Extracted};

/// Inline text of a `text:p`/`text:h`: `text:s` (spaces), tabs and line
/// breaks become spaces; notes, annotations and frames are skipped.
fn inline_text(n: Node<'_, '_>, out: &mut String, depth: usize) {
    if depth > 200 {
        return;
    }
    for c in n.children() {
        if c.is_text() {
            out.push_str(c.text().unwrap_or(""));
            continue;
        }
        match c.tag_name().name() {
            "s" => {
                let count = c
                    .attributes()
                    .find(|a| a.name() == "c")
                    .and_then(|a| a.value().parse().ok())
                    .unwrap_or(1usize);
                out.extend(std::iter::repeat_n(' ', count.min(64)));
            }
            "tab" | "line-break" => out.push(' '),
            "note" | "annotation" | "frame" | "bookmark-ref" => {}
            _ => inline_text(c, out, depth + 1),
        }
    }
}

fn walk(n: Node<'_, '_>, in_list: bool, blocks: &mut Vec<Block>, depth: usize) {
    if depth > 200 {
        return;
    }
    for c in n.children().filter(|c| c.is_element()) {
        match c.tag_name().name() {
            "h" | "p" => {
                let mut text = String::new();
                inline_text(c, &mut text, 0);
                let kind = match (c.tag_name().name(), in_list) {
                    ("h", _) => BlockKind::Heading,
                    (_, true) => BlockKind::ListItem,
                    _ => {
                        let style = c
                            .attributes()
                            .find(|a| a.name() == "style-name")
                            .map(|a| a.value().to_ascii_lowercase())
                            .unwrap_or_default();
                        if style.contains("quot") {
                            BlockKind::Quote
                        } else {
                            BlockKind::Paragraph
                        }
                    }
                };
                push_block(blocks, kind, &text);
            }
            "list-item" | "list-header" => walk(c, true, blocks, depth + 1),
            "note" | "annotation" | "tracked-changes" => {}
            _ => walk(c, in_list, blocks, depth + 1),
        }
    }
}

pub fn extract(bytes: &[u8], what: &str) -> Result<Extracted> {
    let mut zip = Archive::open(bytes, what)?;
    let xml = zip.read_string("content.xml")?;
    let doc = parse_xml(&xml, what)?;
    let mut blocks = Vec::new();
    if let Some(text) = doc.descendants().find(|n| {
        n.is_element()
            && n.tag_name().name() == "text"
            && n.parent_element()
                .is_some_and(|p| p.tag_name().name() == "body")
    }) {
        walk(text, false, &mut blocks, 0);
    }
    let (mut title, mut author, mut language, mut published) = (None, None, None, None);
    if zip.has("meta.xml") {
        let meta_xml = zip.read_string("meta.xml")?;
        if let Ok(meta) = parse_xml(&meta_xml, what) {
            title = first_text(&meta, "title");
            author = first_text(&meta, "initial-creator").or_else(|| first_text(&meta, "creator"));
            language = first_text(&meta, "language");
            published = first_text(&meta, "creation-date");
        }
    }
    Ok(Extracted {
        title: title.or_else(|| title_from_blocks(&blocks)),
        author,
        published,
        declared_language: language,
        blocks,
        parser: "odt/1".into(),
        media_type: "application/vnd.oasis.opendocument.text".into(),
        ..Default::default()
    })
}
