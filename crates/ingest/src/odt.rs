//! OpenDocument text (ODT): headings, paragraphs and list items of
//! `content.xml` in document order, tables as rows of cells, pictures as
//! figures (the image from `Pictures/`, with the caption of its text box or
//! its title); footnote bodies are left out of the running text; title,
//! author and language from `meta.xml`.

use dossier_model::Result;
use roxmltree::Node;

use crate::archive::{first_text, parse_xml, Archive};
use crate::{push_block, title_from_blocks, Block, BlockKind, Extracted, Images};

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

fn named<'a, 'i>(n: Node<'a, 'i>, name: &'static str) -> impl Iterator<Item = Node<'a, 'i>> {
    n.children()
        .filter(move |c| c.is_element() && c.tag_name().name() == name)
}

/// The frames a paragraph holds (not those inside another frame, a note or
/// an annotation), in order.
fn frames_of<'a, 'i>(n: Node<'a, 'i>, out: &mut Vec<Node<'a, 'i>>, depth: usize) {
    if depth > 200 || out.len() > crate::images::MAX_IMAGES {
        return;
    }
    for c in n.children().filter(|c| c.is_element()) {
        match c.tag_name().name() {
            "frame" => out.push(c),
            "note" | "annotation" => {}
            _ => frames_of(c, out, depth + 1),
        }
    }
}

/// Reads `office:text` in order: paragraphs, tables as rows of cells,
/// pictures as figures.
struct Reader<'z, 'b> {
    zip: &'z mut Archive<std::io::Cursor<&'b [u8]>>,
    images: Images,
    blocks: Vec<Block>,
}

impl Reader<'_, '_> {
    /// `in_box`: inside a frame's text box, where LibreOffice puts a
    /// picture with its caption — there a paragraph holding a picture is the
    /// picture's caption.
    fn walk(&mut self, n: Node<'_, '_>, in_list: bool, in_box: bool, depth: usize) {
        if depth > 200 {
            return;
        }
        let children: Vec<Node<'_, '_>> = n.children().filter(|c| c.is_element()).collect();
        let mut skip = false;
        for (i, c) in children.iter().copied().enumerate() {
            if std::mem::take(&mut skip) {
                continue;
            }
            match c.tag_name().name() {
                "h" | "p" => {
                    // A caption paragraph right after a picture is the figure's text (pandoc's way).
                    let caption = children
                        .get(i + 1)
                        .filter(|next| {
                            has_picture(c) && next.tag_name().name() == "p" && is_caption(**next)
                        })
                        .map(|next| {
                            let mut text = String::new();
                            inline_text(*next, &mut text, 0);
                            text
                        });
                    skip = caption.is_some();
                    self.paragraph(c, in_list, in_box, caption, depth);
                }
                "table" => self.table(c),
                "list-item" | "list-header" => self.walk(c, true, in_box, depth + 1),
                "note" | "annotation" | "tracked-changes" => {}
                _ => self.walk(c, in_list, in_box, depth + 1),
            }
        }
    }

    fn paragraph(
        &mut self,
        c: Node<'_, '_>,
        in_list: bool,
        in_box: bool,
        caption: Option<String>,
        depth: usize,
    ) {
        let mut text = String::new();
        inline_text(c, &mut text, 0);
        let mut frames = Vec::new();
        frames_of(c, &mut frames, 0);
        let pictures = frames.iter().filter(|f| picture_of(**f).is_some()).count();
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
        // In a text box, the text beside a picture is its caption.
        let mut caption = if in_box && pictures > 0 {
            Some(text)
        } else {
            push_block(&mut self.blocks, kind, &text);
            caption
        };
        for f in frames {
            if let Some((href, alt)) = picture_of(f) {
                let text = caption
                    .take()
                    .filter(|t| !t.trim().is_empty())
                    .unwrap_or(alt);
                self.figure(&href, &text);
            } else if let Some(text_box) = named(f, "text-box").next() {
                self.walk(text_box, false, true, depth + 1);
            }
        }
    }

    fn table(&mut self, t: Node<'_, '_>) {
        let mut rows = Vec::new();
        collect_rows(t, &mut rows, 0);
        if let Some(b) = Block::table(rows) {
            self.blocks.push(b);
        }
    }

    fn figure(&mut self, href: &str, text: &str) {
        // Pictures inside the package only; a linked file or address is never read.
        let kept = if href.contains(':') || href.starts_with('/') {
            self.images
                .note(href, "a linked picture, not part of the document");
            None
        } else {
            let zip = &mut *self.zip;
            self.images
                .read(href, "could not be read from the document", || {
                    let part = crate::epub::resolve("content.xml", href)?;
                    zip.read_at_most(&part, crate::images::MAX_IMAGE_BYTES as u64)
                        .ok()
                })
        };
        crate::push_figure(&mut self.blocks, kept, text);
    }
}

fn has_picture(p: Node<'_, '_>) -> bool {
    let mut frames = Vec::new();
    frames_of(p, &mut frames, 0);
    frames.iter().any(|f| picture_of(*f).is_some())
}

fn is_caption(p: Node<'_, '_>) -> bool {
    let style = p
        .attributes()
        .find(|a| a.name() == "style-name")
        .map(|a| a.value().to_ascii_lowercase())
        .unwrap_or_default();
    style.contains("caption") || style.contains("beschriftung") || style.contains("illustration")
}

/// A frame's picture: the image's address and its title or description.
fn picture_of(frame: Node<'_, '_>) -> Option<(String, String)> {
    let image = named(frame, "image").next()?;
    let href = image
        .attributes()
        .find(|a| a.name() == "href")?
        .value()
        .to_string();
    let alt = named(frame, "title")
        .chain(named(frame, "desc"))
        .filter_map(|n| n.text())
        .find(|t| !t.trim().is_empty())
        .unwrap_or("")
        .to_string();
    Some((href, alt))
}

/// A table's rows (also those in header rows and row groups); covered cells
/// (under a merged one) are left out, repeated cells read once.
fn collect_rows(n: Node<'_, '_>, rows: &mut Vec<Vec<String>>, depth: usize) {
    if depth > 8 {
        return;
    }
    for c in n.children().filter(|c| c.is_element()) {
        match c.tag_name().name() {
            "table-row" if rows.len() < crate::MAX_TABLE_ROWS => rows.push(
                named(c, "table-cell")
                    .take(crate::MAX_TABLE_COLUMNS)
                    .map(|cell| {
                        let mut text = String::new();
                        for p in cell
                            .descendants()
                            .filter(|d| d.is_element() && matches!(d.tag_name().name(), "p" | "h"))
                        {
                            inline_text(p, &mut text, 0);
                            text.push(' ');
                        }
                        text
                    })
                    .collect(),
            ),
            "table-header-rows" | "table-rows" | "table-row-group" => {
                collect_rows(c, rows, depth + 1)
            }
            _ => {}
        }
    }
}

pub fn extract(bytes: &[u8], what: &str) -> Result<Extracted> {
    let mut zip = Archive::open(bytes, what)?;
    let xml = zip.read_string("content.xml")?;
    let doc = parse_xml(&xml, what)?;
    let mut reader = Reader {
        zip: &mut zip,
        images: Images::default(),
        blocks: Vec::new(),
    };
    if let Some(text) = doc.descendants().find(|n| {
        n.is_element()
            && n.tag_name().name() == "text"
            && n.parent_element()
                .is_some_and(|p| p.tag_name().name() == "body")
    }) {
        reader.walk(text, false, false, 0);
    }
    let (images, notes) = reader.images.into_parts();
    let blocks = reader.blocks;
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
        images,
        notes,
        parser: "odt/2".into(),
        media_type: "application/vnd.oasis.opendocument.text".into(),
        ..Default::default()
    })
}
