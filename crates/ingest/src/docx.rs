//! Word documents (DOCX, Office Open XML): paragraphs of `word/document.xml`
//! in document order, headings and quotes from paragraph styles, list items
//! from numbering; tables as rows of cells; pictures as figures (the image a
//! drawing embeds, from `word/media/`, with its description or the caption
//! paragraph after it); title and author from `docProps/core.xml`.

use std::collections::HashMap;

use dossier_model::Result;
use roxmltree::Node;

use crate::archive::{first_text, parse_xml, Archive};
use crate::{push_block, title_from_blocks, Block, BlockKind, Extracted, Images};

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

fn kind_of(p: Node<'_, '_>) -> BlockKind {
    let style = style_of(p);
    if style.starts_with("heading") || style.starts_with("title") || style.contains("berschrift") {
        BlockKind::Heading
    } else if style.contains("quote") || style.contains("zitat") {
        BlockKind::Quote
    } else if is_list(p) {
        BlockKind::ListItem
    } else {
        BlockKind::Paragraph
    }
}

fn is_caption(p: Node<'_, '_>) -> bool {
    let style = style_of(p);
    style.contains("caption") || style.contains("beschriftung")
}

fn named<'a, 'i>(n: Node<'a, 'i>, name: &'static str) -> impl Iterator<Item = Node<'a, 'i>> {
    n.children()
        .filter(move |c| c.is_element() && c.tag_name().name() == name)
}

/// Reads the body's blocks in order.
struct Reader<'z, 'b> {
    zip: &'z mut Archive<std::io::Cursor<&'b [u8]>>,
    /// Relationship id → part name of the images the document embeds.
    media: HashMap<String, String>,
    images: Images,
    blocks: Vec<Block>,
}

impl Reader<'_, '_> {
    fn body(&mut self, parent: Node<'_, '_>, depth: usize) {
        let children: Vec<Node<'_, '_>> = parent.children().filter(|c| c.is_element()).collect();
        let mut i = 0;
        while i < children.len() {
            let c = children[i];
            match c.tag_name().name() {
                "p" => {
                    push_block(&mut self.blocks, kind_of(c), &paragraph_text(c));
                    let pictures = pictures_in(c);
                    // A caption paragraph right after a picture is the figure's text.
                    let caption = children
                        .get(i + 1)
                        .filter(|n| {
                            !pictures.is_empty() && n.tag_name().name() == "p" && is_caption(**n)
                        })
                        .map(|n| paragraph_text(*n));
                    if caption.is_some() {
                        i += 1;
                    }
                    for (k, (rid, alt)) in pictures.into_iter().enumerate() {
                        let text = match (&caption, k) {
                            (Some(c), 0) if !c.trim().is_empty() => c.clone(),
                            _ => alt,
                        };
                        self.figure(&rid, &text);
                    }
                }
                "tbl" => {
                    let rows = named(c, "tr")
                        .take(crate::MAX_TABLE_ROWS)
                        .map(|tr| {
                            named(tr, "tc")
                                .take(crate::MAX_TABLE_COLUMNS)
                                .map(|tc| {
                                    tc.descendants()
                                        .filter(|n| n.is_element() && n.tag_name().name() == "p")
                                        .map(paragraph_text)
                                        .collect::<Vec<_>>()
                                        .join(" ")
                                })
                                .collect()
                        })
                        .collect();
                    if let Some(t) = Block::table(rows) {
                        self.blocks.push(t);
                    }
                    for (rid, alt) in pictures_in(c) {
                        self.figure(&rid, &alt);
                    }
                }
                "sdt" if depth < 64 => {
                    for content in named(c, "sdtContent") {
                        self.body(content, depth + 1);
                    }
                }
                _ => {}
            }
            i += 1;
        }
    }

    fn figure(&mut self, rid: &str, text: &str) {
        let kept = match self.media.get(rid) {
            Some(part) => {
                let zip = &mut *self.zip;
                self.images
                    .read(part, "could not be read from the document", || {
                        zip.read_at_most(part, crate::images::MAX_IMAGE_BYTES as u64)
                            .ok()
                    })
            }
            None => None,
        };
        crate::push_figure(&mut self.blocks, kept, text);
    }
}

/// The pictures a paragraph or table draws: each embedded image's
/// relationship id with its description (`wp:docPr` `descr`, else `title`).
fn pictures_in(n: Node<'_, '_>) -> Vec<(String, String)> {
    n.descendants()
        .filter(|d| d.is_element() && d.tag_name().name() == "drawing")
        .take(crate::images::MAX_IMAGES + 1)
        .filter_map(|d| {
            let blip = d
                .descendants()
                .find(|b| b.is_element() && b.tag_name().name() == "blip")?;
            let rid = blip
                .attributes()
                .find(|a| a.name() == "embed")?
                .value()
                .to_string();
            let alt = d
                .descendants()
                .find(|b| b.is_element() && b.tag_name().name() == "docPr")
                .and_then(|p| {
                    p.attribute("descr")
                        .filter(|s| !s.trim().is_empty())
                        .or(p.attribute("title"))
                })
                .unwrap_or("")
                .to_string();
            Some((rid, alt))
        })
        .collect()
}

/// Relationship id → part name of the images `word/document.xml` embeds
/// (targets inside the package only; external links are never followed).
fn media_parts(zip: &mut Archive<std::io::Cursor<&[u8]>>, what: &str) -> HashMap<String, String> {
    let Ok(rels) = zip.read_string("word/_rels/document.xml.rels") else {
        return HashMap::new();
    };
    let Ok(doc) = parse_xml(&rels, what) else {
        return HashMap::new();
    };
    doc.descendants()
        .filter(|n| n.is_element() && n.tag_name().name() == "Relationship")
        .filter(|n| n.attribute("TargetMode") != Some("External"))
        .filter(|n| n.attribute("Type").is_some_and(|t| t.ends_with("/image")))
        .filter_map(|n| {
            let target = n.attribute("Target")?;
            let part = match target.strip_prefix('/') {
                Some(abs) => abs.to_string(),
                None => crate::epub::resolve("word/document.xml", target)?,
            };
            Some((n.attribute("Id")?.to_string(), part))
        })
        .collect()
}

/// The language the document's default run properties name
/// (`w:docDefaults` in `word/styles.xml`): a hint the text may overrule.
fn default_language(zip: &mut Archive<std::io::Cursor<&[u8]>>, what: &str) -> Option<String> {
    let styles = zip.read_string("word/styles.xml").ok()?;
    let doc = parse_xml(&styles, what).ok()?;
    let defaults = doc
        .descendants()
        .find(|n| n.is_element() && n.tag_name().name() == "docDefaults")?;
    defaults
        .descendants()
        .find(|n| n.is_element() && n.tag_name().name() == "lang")?
        .attributes()
        .find(|a| a.name() == "val")
        .map(|a| a.value().trim().to_string())
        .filter(|v| !v.is_empty() && v.len() <= 35)
}

pub fn extract(bytes: &[u8], what: &str) -> Result<Extracted> {
    let mut zip = Archive::open(bytes, what)?;
    let xml = zip.read_string("word/document.xml")?;
    let doc = parse_xml(&xml, what)?;
    let media = media_parts(&mut zip, what);
    let mut reader = Reader {
        zip: &mut zip,
        media,
        images: Images::default(),
        blocks: Vec::new(),
    };
    // Only the body: headers, footers and footnotes are separate parts we skip.
    if let Some(body) = doc.descendants().find(|n| n.tag_name().name() == "body") {
        reader.body(body, 0);
    }
    let (images, notes) = reader.images.into_parts();
    let blocks = reader.blocks;
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
    let declared_language = default_language(&mut zip, what);
    Ok(Extracted {
        title,
        author,
        published,
        declared_language,
        blocks,
        images,
        notes,
        parser: "docx/2".into(),
        media_type: "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
            .into(),
        ..Default::default()
    })
}
