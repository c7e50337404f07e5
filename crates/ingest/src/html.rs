//! HTML and saved web pages.
//!
//! Metadata comes from the whole document (Open Graph, `<meta>`, `<title>`,
//! canonical link). The main content is the first `<article>`, `<main>` or
//! `[role=main]`, else `<body>`; its blocks are read in one walk of the parsed
//! page that applies `sanitise`'s allow-list (`Reading`) — scripts, styles,
//! frames, forms and navigation are left out with their content, other
//! elements outside the list are read through, and of an image only a `src`
//! with an allowed scheme and its `alt` are used. (The page used to be
//! sanitised with ammonia and parsed again; a test keeps both readings equal.)
//! Parsing never executes anything, and what leaves this module carries no
//! active content.

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

    // The main content is read from the parsed document directly, through the
    // same allow-list `sanitise` applies (`Reading`): one parse, one walk.
    let main = ["article", "main", "[role=main]", "body"]
        .iter()
        .filter_map(|s| Selector::parse(s).ok())
        .find_map(|s| doc.select(&s).next())
        .unwrap_or_else(|| doc.root_element());
    let mut walker = Walker {
        blocks: Vec::new(),
        loose: String::new(),
        images,
        fetch,
    };
    walker.walk(main, 0);
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

/// What the extractor reads of a page: `sanitise`'s elements and images
/// (`src` and `alt` only; an image's address is resolved by the extractor,
/// never loaded). Elements in `DROPPED` go with everything in them; other
/// elements outside the list are read through, as if only their content were
/// there (as ammonia unwraps them).
#[derive(Clone, Copy)]
enum Reading<'a> {
    Text(&'a str),
    Element(ElementRef<'a>),
}

/// Elements removed with their content (scripts, styles, navigation, forms,
/// embedded documents and graphics).
const DROPPED: &[&str] = &[
    "script", "style", "nav", "aside", "footer", "form", "noscript", "template", "iframe",
    "object", "svg", "math",
];

/// Address schemes an image may keep (relative addresses are kept too).
const IMAGE_SCHEMES: &[&str] = &["http", "https", "mailto", "data"];

fn is_read(tag: &str) -> bool {
    tag == "img" || ALLOWED_TAGS.contains(&tag)
}

/// The children of `el` as the reader sees them: text and allowed elements,
/// with elements outside the allow-list read through (to `MAX_DEPTH`) and
/// dropped ones skipped.
fn read_children<'a>(el: ElementRef<'a>, depth: usize, out: &mut Vec<Reading<'a>>) {
    for child in el.children() {
        match child.value() {
            Node::Text(t) => out.push(Reading::Text(t)),
            Node::Element(e) => {
                let Some(child_el) = ElementRef::wrap(child) else {
                    continue;
                };
                let tag = e.name();
                if DROPPED.contains(&tag) {
                    continue;
                }
                if is_read(tag) {
                    out.push(Reading::Element(child_el));
                } else if depth < MAX_DEPTH {
                    read_children(child_el, depth + 1, out);
                }
            }
            _ => {}
        }
    }
}

fn children_of(el: ElementRef<'_>) -> Vec<Reading<'_>> {
    let mut out = Vec::new();
    read_children(el, 0, &mut out);
    out
}

fn child_elements(el: ElementRef<'_>) -> impl Iterator<Item = ElementRef<'_>> {
    children_of(el).into_iter().filter_map(|c| match c {
        Reading::Element(e) => Some(e),
        Reading::Text(_) => None,
    })
}

/// The allowed elements inside `el` named `tag`, in document order, at most `limit`.
fn elements_named<'a>(el: ElementRef<'a>, tag: &str, limit: usize) -> Vec<ElementRef<'a>> {
    fn go<'a>(
        el: ElementRef<'a>,
        tag: &str,
        limit: usize,
        depth: usize,
        out: &mut Vec<ElementRef<'a>>,
    ) {
        for c in child_elements(el) {
            if out.len() >= limit {
                return;
            }
            if c.value().name() == tag {
                out.push(c);
            }
            if depth < MAX_DEPTH {
                go(c, tag, limit, depth + 1, out);
            }
        }
    }
    let mut out = Vec::new();
    go(el, tag, limit, 0, &mut out);
    out
}

/// An image's address as the allow-list keeps it: empty when its scheme is not
/// allowed. Only the scheme is looked at (up to the first `:`, tabs and line
/// breaks skipped as URL parsing skips them), however long the address.
fn image_source(img: ElementRef<'_>) -> &str {
    let src = img.value().attr("src").unwrap_or("").trim();
    let mut scheme = String::new();
    let chars = src
        .trim_start_matches(|c: char| c.is_ascii_control() || c == ' ')
        .chars()
        .filter(|c| !matches!(c, '\t' | '\n' | '\r'));
    for c in chars {
        if c == ':' {
            let named = scheme.starts_with(|c: char| c.is_ascii_alphabetic());
            let allowed = IMAGE_SCHEMES
                .iter()
                .any(|k| k.eq_ignore_ascii_case(&scheme));
            return if named && !allowed { "" } else { src };
        }
        if !(c.is_ascii_alphanumeric() || matches!(c, '+' | '-' | '.')) {
            return src;
        }
        scheme.push(c);
    }
    src
}

fn allowed_tags() -> HashSet<&'static str> {
    ALLOWED_TAGS.iter().copied().collect()
}

const ALLOWED_TAGS: &[&str] = &[
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
];

fn builder(tags: HashSet<&'static str>) -> ammonia::Builder<'static> {
    let drop_with_content: HashSet<&str> = DROPPED.iter().copied().collect();
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
        for child in children_of(el) {
            match child {
                Reading::Text(t) => self.loose.push_str(t),
                Reading::Element(child_el) => {
                    let tag = child_el.value().name();
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
            }
        }
    }

    /// A table's caption (a paragraph before it) and its rows of cells; a
    /// table inside a cell is read as that cell's text.
    fn table(&mut self, table: ElementRef<'_>) {
        let mut rows = Vec::new();
        let mut caption = String::new();
        let row_parents = std::iter::once(table).chain(
            child_elements(table)
                .filter(|c| matches!(c.value().name(), "thead" | "tbody" | "tfoot")),
        );
        for parent in row_parents {
            for c in child_elements(parent) {
                match c.value().name() {
                    "caption" => caption.push_str(&block_text(c)),
                    "tr" if rows.len() < crate::MAX_TABLE_ROWS => rows.push(
                        child_elements(c)
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
        let caption = elements_named(figure, "figcaption", 1)
            .into_iter()
            .next()
            .map(block_text);
        for (i, img) in images_in(figure).into_iter().enumerate() {
            self.image(img, if i == 0 { caption.as_deref() } else { None });
        }
        for c in child_elements(figure) {
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
        let src = image_source(img);
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
    !elements_named(el, "img", 1).is_empty()
}

/// The images inside an element, in document order (at most a few hundred:
/// `Images` refuses the rest).
fn images_in(el: ElementRef<'_>) -> Vec<ElementRef<'_>> {
    elements_named(el, "img", crate::images::MAX_IMAGES + 1)
}

use crate::{Block, Images};

/// The text of an element; nested block boundaries become spaces, not glued words.
fn block_text(el: ElementRef<'_>) -> String {
    fn go(el: ElementRef<'_>, depth: usize, out: &mut String) {
        for c in children_of(el) {
            match c {
                Reading::Text(t) => out.push_str(t),
                Reading::Element(e) => {
                    let tag = e.value().name();
                    if kind_of(tag).is_some()
                        || is_block_container(tag)
                        || matches!(tag, "td" | "th")
                    {
                        out.push(' ');
                    }
                    if depth < MAX_DEPTH {
                        go(e, depth + 1, out);
                    }
                }
            }
        }
    }
    let mut out = String::new();
    go(el, 0, &mut out);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The reader applies the allow-list while it walks; ammonia applies the
    /// same list (`builder`) to make markup. Reading a page must give what
    /// reading its sanitised markup gives (the way the reader worked before it
    /// walked the parsed page once): checked on pages built to tell them apart.
    #[test]
    fn the_walk_reads_what_the_sanitised_markup_says() {
        let cases = [
            "<p>Hallo <script>evil()</script>Welt<style>p{}</style>!</p>",
            "<noscript><img src='data:image/png;base64,iVBORw0KGgo=' alt='x'></noscript><p>Text</p>",
            "<figure><picture><source srcset='a.webp'><img src='a.png' alt='Alt'></picture><figcaption>Cap <b>b</b></figcaption></figure>",
            "<p>a<img src='javascript:alert(1)' alt='j'>b<img src='C:/x.png' alt='c'><img src=' HTTPS://example.com/x.png' alt='h'><img src='//cdn/x.png' alt='r'><img src='java\tscript:x' alt='t'></p>",
            "<p><img src='averyveryveryveryveryveryveryveryveryveryveryveryveryverylongscheme-with.more+chars:x' alt='long'></p>",
            "<table><caption>T</caption><div>stray</div><tr><td>1<table><tr><td>in</td></tr></table></td><th>2</th></tr><tbody><tr><td><p>p</p>x</td></tr></tbody></table>",
            "<template><p>hidden</p></template><svg><text>svg</text></svg><math><mi>x</mi></math><p>after</p>",
            "<header><p>head</p></header><custom-el><h2>Heading</h2>loose <em>em</em></custom-el><details><summary>S</summary>D</details>",
            "<nav>menu</nav><section><h1>T</h1><div><div><p>deep</p></div></div><aside>side</aside></section><footer>f</footer>",
            "<p>one</p><form><input value='v'>form text</form><p>two</p>",
            "<ul><li>a<ul><li>b</li></ul></li><li><p>c</p><p>d</p></li></ul><dl><dt>t</dt><dd>d</dd></dl>",
            "<p>&lt;b&gt; &amp; &nbsp; &#x4E2D;&#25991;</p><p>a<br>b<hr>c</p>",
            "<iframe src='x'>ifr</iframe><object>obj</object><video><source src='v'>vid</video><p>ok</p>",
            "<p><a href='javascript:x'>link</a> and <a href='https://x'>x</a></p><a href='#'><p>block in a</p></a>",
            "<figure><img src='data:image/gif;base64,R0lGODlhAQABAAAAACw=' alt='one'><div><img src='b.png' alt='two'></div><p>in fig</p><figcaption>Caption</figcaption></figure>",
            "<p>one<div>two</p>three</div><b><p>bp</b>tail</p><table><tr><td>c</td></tr><p>foster</p></table>",
            "<label>L<select><option>o1</option></select></label><button>btn</button><p>x</p>",
        ];
        let fixtures = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures");
        let mut pages: Vec<String> = cases
            .iter()
            .map(|c| format!("<html><body>{c}</body></html>"))
            .collect();
        for e in std::fs::read_dir(fixtures).unwrap().flatten() {
            if e.path().extension().is_some_and(|x| x == "html") {
                pages.push(std::fs::read_to_string(e.path()).unwrap());
            }
        }
        for page in &pages {
            let read = extract(page);
            let doc = Html::parse_document(page);
            let body = doc
                .select(&Selector::parse("body").unwrap())
                .next()
                .unwrap();
            let mut tags = allowed_tags();
            tags.insert("img");
            let mut b = builder(tags);
            b.add_tag_attributes("img", ["src", "alt"])
                .add_url_schemes(["data"]);
            let safe = b.clean(&body.inner_html()).to_string();
            let again = extract(&format!("<html><body>{safe}</body></html>"));
            assert_eq!(
                serde_json::to_string(&read.blocks).unwrap(),
                serde_json::to_string(&again.blocks).unwrap(),
                "{page}"
            );
            assert_eq!(read.notes, again.notes, "{page}");
        }
    }
}
