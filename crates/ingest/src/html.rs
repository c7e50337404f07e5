//! HTML and saved web pages.
//!
//! Metadata comes from the whole document (Open Graph, `<meta>`, `<title>`,
//! canonical link). The main content is the first `<article>`, `<main>` or
//! `[role=main]`, else `<body>`; it is sanitised with ammonia — scripts, styles,
//! frames, forms, navigation and every attribute but safe links are removed —
//! and the blocks are read from the sanitised markup. Parsing never executes
//! anything, and what leaves this module carries no active content.

use std::collections::HashSet;

use scraper::{ElementRef, Html, Node, Selector};

use crate::{push_block, title_from_blocks, BlockKind, Extracted};

/// Deeper nesting than this is flattened: hostile pages nest thousands of
/// levels to exhaust the stack of recursive walkers.
const MAX_DEPTH: usize = 256;

/// Where a page's images come from, beside `data:` URIs: a relative address
/// resolved by the caller (the files beside a saved page, an archive's parts)
/// or `None`. Never the network.
pub type Fetch<'a> = &'a mut dyn FnMut(&str) -> Option<Vec<u8>>;

/// A page on its own: images only from `data:` URIs.
pub fn extract(source: &str) -> Extracted {
    let mut images = Images::default();
    let mut x = extract_into(source, &mut |_| None, &mut images);
    (x.images, x.notes) = images.into_parts();
    x
}

/// A page whose images `fetch` finds, kept in `images` (shared by the
/// chapters of one book); the result's own `images` stay empty.
pub fn extract_into(source: &str, fetch: Fetch<'_>, images: &mut Images) -> Extracted {
    let source = crate::nesting::limit_nesting(source, MAX_DEPTH);
    let doc = Html::parse_document(&source);
    let meta = |sel: &str| -> Option<String> {
        let s = Selector::parse(sel).ok()?;
        doc.select(&s)
            .find_map(|e| {
                e.value()
                    .attr("content")
                    .or_else(|| e.value().attr("href"))
                    .map(crate::clean_inline)
            })
            .filter(|v| !v.is_empty())
    };
    let title_tag = Selector::parse("title").ok().and_then(|s| {
        doc.select(&s)
            .next()
            .map(|e| crate::clean_inline(&e.text().collect::<String>()))
            .filter(|t| !t.is_empty())
    });
    let declared_language = Selector::parse("html")
        .ok()
        .and_then(|s| {
            doc.select(&s)
                .next()
                .and_then(|e| e.value().attr("lang").map(str::to_string))
        })
        .filter(|l| !l.trim().is_empty());

    let main_html = ["article", "main", "[role=main]", "body"]
        .iter()
        .filter_map(|s| Selector::parse(s).ok())
        .find_map(|s| doc.select(&s).next().map(|e| e.inner_html()))
        .unwrap_or_else(|| source.to_string());
    let safe = sanitise_for_reading(&main_html);
    let fragment = Html::parse_fragment(&safe);
    let mut walker = Walker {
        blocks: Vec::new(),
        loose: String::new(),
        images,
        fetch,
    };
    walker.walk(fragment.root_element(), 0);
    walker.flush();
    let blocks = walker.blocks;

    let ld = json_ld(&doc);
    let title = meta("meta[property='og:title']")
        .or_else(|| ld.headline.clone())
        .or(title_tag)
        .or_else(|| title_from_blocks(&blocks));
    Extracted {
        title,
        author: meta("meta[name='author']")
            .or_else(|| meta("meta[property='article:author']"))
            .or(ld.author),
        source_url: meta("link[rel='canonical']")
            .or_else(|| meta("meta[property='og:url']"))
            .or(ld.url),
        published: meta("meta[property='article:published_time']")
            .or(ld.published)
            .or_else(|| meta("meta[name='date']"))
            .or_else(|| meta("meta[name='dc.date']")),
        declared_language,
        blocks,
        pages: Vec::new(),
        geometry: Vec::new(),
        images: Vec::new(),
        notes: Vec::new(),
        parser: "html/2".into(),
        media_type: "text/html".into(),
    }
}

/// What a page's JSON-LD (schema.org Article, NewsArticle, …) says about it.
#[derive(Default)]
struct LinkedData {
    headline: Option<String>,
    author: Option<String>,
    published: Option<String>,
    url: Option<String>,
}

/// Reads `<script type="application/ld+json">` as data (it is never run):
/// the first object with a headline, directly, in an array or in `@graph`.
fn json_ld(doc: &Html) -> LinkedData {
    let Ok(sel) = Selector::parse("script[type='application/ld+json']") else {
        return LinkedData::default();
    };
    let text = |v: &serde_json::Value| {
        v.as_str()
            .map(crate::clean_inline)
            .filter(|s| !s.is_empty())
    };
    for script in doc.select(&sel).take(8) {
        let raw: String = script.text().collect();
        let Ok(value) = serde_json::from_str::<serde_json::Value>(&raw) else {
            continue;
        };
        let mut candidates: Vec<&serde_json::Value> = Vec::new();
        match &value {
            serde_json::Value::Array(a) => candidates.extend(a.iter()),
            v => {
                candidates.push(v);
                if let Some(g) = v.get("@graph").and_then(|g| g.as_array()) {
                    candidates.extend(g.iter());
                }
            }
        }
        if let Some(item) = candidates.into_iter().find(|c| c.get("headline").is_some()) {
            let author = match item.get("author") {
                Some(serde_json::Value::Array(list)) => {
                    let names: Vec<String> = list
                        .iter()
                        .filter_map(|a| a.get("name").and_then(text).or_else(|| text(a)))
                        .collect();
                    (!names.is_empty()).then(|| names.join("; "))
                }
                Some(a) => a.get("name").and_then(text).or_else(|| text(a)),
                None => None,
            };
            return LinkedData {
                headline: item.get("headline").and_then(text),
                author,
                published: item.get("datePublished").and_then(text),
                url: item.get("url").and_then(text),
            };
        }
    }
    LinkedData::default()
}

/// A strict allow-list: structure and emphasis only; links keep http(s)/mailto hrefs.
pub fn sanitise(html: &str) -> String {
    builder(allowed_tags()).clean(html).to_string()
}

/// What the extractor reads: `sanitise`'s markup and images (`src` and
/// `alt` only; an image's address is resolved by the extractor, never loaded).
fn sanitise_for_reading(html: &str) -> String {
    let mut tags = allowed_tags();
    tags.insert("img");
    let mut b = builder(tags);
    b.add_tag_attributes("img", ["src", "alt"])
        .add_url_schemes(["data"]);
    b.clean(html).to_string()
}

fn allowed_tags() -> HashSet<&'static str> {
    [
        "a",
        "abbr",
        "b",
        "blockquote",
        "br",
        "caption",
        "cite",
        "code",
        "dd",
        "div",
        "dl",
        "dt",
        "em",
        "figcaption",
        "figure",
        "h1",
        "h2",
        "h3",
        "h4",
        "h5",
        "h6",
        "hr",
        "i",
        "li",
        "mark",
        "ol",
        "p",
        "pre",
        "q",
        "s",
        "section",
        "small",
        "span",
        "strong",
        "sub",
        "sup",
        "table",
        "tbody",
        "td",
        "th",
        "thead",
        "time",
        "tr",
        "u",
        "ul",
    ]
    .into_iter()
    .collect()
}

fn builder(tags: HashSet<&'static str>) -> ammonia::Builder<'static> {
    let drop_with_content: HashSet<&str> = [
        "script", "style", "nav", "aside", "footer", "form", "noscript", "template", "iframe",
        "object", "svg", "math",
    ]
    .into_iter()
    .collect();
    let mut b = ammonia::Builder::default();
    b.tags(tags)
        .clean_content_tags(drop_with_content)
        .generic_attributes(HashSet::new())
        .tag_attributes(std::iter::once(("a", std::iter::once("href").collect())).collect())
        .url_schemes(["http", "https", "mailto"].into_iter().collect())
        .link_rel(Some("noopener noreferrer nofollow"));
    b
}

fn kind_of(tag: &str) -> Option<BlockKind> {
    match tag {
        "h1" | "h2" | "h3" | "h4" | "h5" | "h6" => Some(BlockKind::Heading),
        "p" | "figcaption" | "dd" | "dt" | "caption" => Some(BlockKind::Paragraph),
        "pre" => Some(BlockKind::Code),
        "blockquote" => Some(BlockKind::Quote),
        "li" => Some(BlockKind::ListItem),
        _ => None,
    }
}

fn is_block_container(tag: &str) -> bool {
    matches!(
        tag,
        "div"
            | "section"
            | "figure"
            | "table"
            | "tbody"
            | "thead"
            | "tfoot"
            | "tr"
            | "ul"
            | "ol"
            | "dl"
            | "hr"
            | "br"
    )
}

/// Reads blocks in document order, with tables as rows of cells and images
/// as figures.
struct Walker<'a, 'f> {
    blocks: Vec<Block>,
    /// Inline text not yet in a block.
    loose: String,
    images: &'a mut Images,
    fetch: Fetch<'f>,
}

impl Walker<'_, '_> {
    fn flush(&mut self) {
        push_block(
            &mut self.blocks,
            BlockKind::Paragraph,
            &std::mem::take(&mut self.loose),
        );
    }

    fn walk(&mut self, el: ElementRef<'_>, depth: usize) {
        for child in el.children() {
            match child.value() {
                Node::Text(t) => self.loose.push_str(t),
                Node::Element(e) => {
                    let Some(child_el) = ElementRef::wrap(child) else {
                        continue;
                    };
                    let tag = e.name();
                    if tag == "table" && depth < MAX_DEPTH {
                        self.flush();
                        self.table(child_el);
                    } else if tag == "figure" && depth < MAX_DEPTH && has_image(child_el) {
                        self.flush();
                        self.figure(child_el, depth);
                    } else if tag == "img" {
                        self.flush();
                        self.image(child_el, None);
                    } else if let Some(kind) = kind_of(tag) {
                        self.flush();
                        // A blockquote or list item made of paragraphs is still one block.
                        push_block(&mut self.blocks, kind, &block_text(child_el));
                        // Images inside a paragraph follow it as figures.
                        for img in images_in(child_el) {
                            self.image(img, None);
                        }
                    } else if is_block_container(tag) && depth < MAX_DEPTH {
                        self.flush();
                        self.walk(child_el, depth + 1);
                        self.flush();
                    } else {
                        self.loose.push_str(&block_text(child_el));
                    }
                }
                _ => {}
            }
        }
    }

    /// A table's caption (a paragraph before it) and its rows of cells; a
    /// table inside a cell is read as that cell's text.
    fn table(&mut self, table: ElementRef<'_>) {
        let mut rows = Vec::new();
        let mut caption = String::new();
        let row_parents = std::iter::once(table).chain(
            table
                .children()
                .filter_map(ElementRef::wrap)
                .filter(|c| matches!(c.value().name(), "thead" | "tbody" | "tfoot")),
        );
        for parent in row_parents {
            for c in parent.children().filter_map(ElementRef::wrap) {
                match c.value().name() {
                    "caption" => caption.push_str(&block_text(c)),
                    "tr" if rows.len() < crate::MAX_TABLE_ROWS => rows.push(
                        c.children()
                            .filter_map(ElementRef::wrap)
                            .filter(|cell| matches!(cell.value().name(), "td" | "th"))
                            .take(crate::MAX_TABLE_COLUMNS)
                            .map(block_text)
                            .collect::<Vec<_>>(),
                    ),
                    _ => {}
                }
            }
        }
        push_block(&mut self.blocks, BlockKind::Paragraph, &caption);
        if let Some(b) = Block::table(rows) {
            self.blocks.push(b);
        }
        for img in images_in(table) {
            self.image(img, None);
        }
    }

    /// A figure: its first image with the caption (else the image's
    /// alternative text), further images with their own, and any other text
    /// in it as paragraphs.
    fn figure(&mut self, figure: ElementRef<'_>, depth: usize) {
        let caption = figure
            .descendants()
            .filter_map(ElementRef::wrap)
            .find(|e| e.value().name() == "figcaption")
            .map(block_text);
        for (i, img) in images_in(figure).into_iter().enumerate() {
            self.image(img, if i == 0 { caption.as_deref() } else { None });
        }
        for c in figure.children().filter_map(ElementRef::wrap) {
            if !matches!(c.value().name(), "img" | "figcaption") && !has_image(c) {
                self.walk_one(c, depth + 1);
            }
        }
        self.flush();
    }

    fn walk_one(&mut self, el: ElementRef<'_>, depth: usize) {
        if let Some(kind) = kind_of(el.value().name()) {
            push_block(&mut self.blocks, kind, &block_text(el));
        } else if depth < MAX_DEPTH {
            self.walk(el, depth);
        }
    }

    /// A figure block for an image: kept when `fetch` (or a `data:` URI)
    /// gives acceptable bytes; its text is the caption, else the alt text.
    fn image(&mut self, img: ElementRef<'_>, caption: Option<&str>) {
        let src = img.value().attr("src").unwrap_or("").trim();
        let alt = img.value().attr("alt").unwrap_or("");
        let kept = if src.is_empty() {
            None
        } else {
            let fetch = &mut self.fetch;
            self.images.read(
                src,
                "not found in the document or beside it (nothing is fetched from the network)",
                || match src.strip_prefix("data:") {
                    Some(_) => crate::images::data_uri(src),
                    None => fetch(src),
                },
            )
        };
        let text = caption.filter(|c| !c.trim().is_empty()).unwrap_or(alt);
        crate::push_figure(&mut self.blocks, kept, text);
    }
}

fn has_image(el: ElementRef<'_>) -> bool {
    el.descendants()
        .filter_map(ElementRef::wrap)
        .any(|e| e.value().name() == "img")
}

/// The images inside an element, in document order (at most a few hundred:
/// `Images` refuses the rest).
fn images_in(el: ElementRef<'_>) -> Vec<ElementRef<'_>> {
    el.descendants()
        .filter_map(ElementRef::wrap)
        .filter(|e| e.value().name() == "img")
        .take(crate::images::MAX_IMAGES + 1)
        .collect()
}

use crate::{Block, Images};

/// The text of an element; nested block boundaries become spaces, not glued words.
fn block_text(el: ElementRef<'_>) -> String {
    let mut out = String::new();
    for node in el.descendants() {
        match node.value() {
            Node::Text(t) => out.push_str(t),
            Node::Element(e)
                if kind_of(e.name()).is_some()
                    || is_block_container(e.name())
                    || matches!(e.name(), "td" | "th") =>
            {
                out.push(' ')
            }
            _ => {}
        }
    }
    out
}
