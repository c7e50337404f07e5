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

pub fn extract(source: &str) -> Extracted {
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
    let safe = sanitise(&main_html);
    let fragment = Html::parse_fragment(&safe);
    let mut blocks = Vec::new();
    let mut loose = String::new();
    walk(fragment.root_element(), &mut blocks, &mut loose, 0);
    push_block(&mut blocks, BlockKind::Paragraph, &loose);

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
        parser: "html/1".into(),
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
    let tags: HashSet<&str> = [
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
    .collect();
    let drop_with_content: HashSet<&str> = [
        "script", "style", "nav", "aside", "footer", "form", "noscript", "template", "iframe",
        "object", "svg", "math",
    ]
    .into_iter()
    .collect();
    ammonia::Builder::default()
        .tags(tags)
        .clean_content_tags(drop_with_content)
        .generic_attributes(HashSet::new())
        .tag_attributes(std::iter::once(("a", std::iter::once("href").collect())).collect())
        .url_schemes(["http", "https", "mailto"].into_iter().collect())
        .link_rel(Some("noopener noreferrer nofollow"))
        .clean(html)
        .to_string()
}

fn kind_of(tag: &str) -> Option<BlockKind> {
    match tag {
        "h1" | "h2" | "h3" | "h4" | "h5" | "h6" => Some(BlockKind::Heading),
        "p" | "pre" | "figcaption" | "dd" | "dt" | "caption" | "tr" => Some(BlockKind::Paragraph),
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
            | "ul"
            | "ol"
            | "dl"
            | "hr"
            | "br"
    )
}

fn walk(el: ElementRef<'_>, blocks: &mut Vec<Block>, loose: &mut String, depth: usize) {
    for child in el.children() {
        match child.value() {
            Node::Text(t) => loose.push_str(t),
            Node::Element(e) => {
                let Some(child_el) = ElementRef::wrap(child) else {
                    continue;
                };
                let tag = e.name();
                if let Some(kind) = kind_of(tag) {
                    push_block(blocks, BlockKind::Paragraph, &std::mem::take(loose));
                    // A blockquote or list item made of paragraphs is still one block.
                    let text = block_text(child_el);
                    push_block(blocks, kind, &text);
                } else if is_block_container(tag) && depth < MAX_DEPTH {
                    push_block(blocks, BlockKind::Paragraph, &std::mem::take(loose));
                    walk(child_el, blocks, loose, depth + 1);
                    push_block(blocks, BlockKind::Paragraph, &std::mem::take(loose));
                } else {
                    loose.push_str(&block_text(child_el));
                }
            }
            _ => {}
        }
    }
}

use crate::Block;

/// The text of an element; nested block boundaries become spaces, not glued words.
fn block_text(el: ElementRef<'_>) -> String {
    let mut out = String::new();
    for node in el.descendants() {
        match node.value() {
            Node::Text(t) => out.push_str(t),
            Node::Element(e) if kind_of(e.name()).is_some() || is_block_container(e.name()) => {
                out.push(' ')
            }
            _ => {}
        }
    }
    out
}
