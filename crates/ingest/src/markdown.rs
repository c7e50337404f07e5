//! Markdown via pulldown-cmark. A YAML-style front matter block (`---`) gives
//! title, author, date, url and lang when present.

use pulldown_cmark::{Event, Parser, Tag, TagEnd};

use crate::{push_block, title_from_blocks, BlockKind, Extracted};

pub fn extract(source: &str) -> Extracted {
    let (front, body) = split_front_matter(source);
    let mut blocks = Vec::new();
    let mut current: Option<(BlockKind, String)> = None;
    let mut quote_depth = 0usize;
    let mut in_item = 0usize;
    for event in Parser::new(body) {
        match event {
            Event::Start(Tag::Heading { .. }) => {
                current = Some((BlockKind::Heading, String::new()))
            }
            Event::Start(Tag::Paragraph) if current.is_none() => {
                let kind = if quote_depth > 0 {
                    BlockKind::Quote
                } else if in_item > 0 {
                    BlockKind::ListItem
                } else {
                    BlockKind::Paragraph
                };
                current = Some((kind, String::new()));
            }
            Event::Start(Tag::CodeBlock(_)) => current = Some((BlockKind::Code, String::new())),
            Event::Start(Tag::BlockQuote(_)) => quote_depth += 1,
            Event::End(TagEnd::BlockQuote(_)) => quote_depth = quote_depth.saturating_sub(1),
            Event::Start(Tag::Item) => {
                in_item += 1;
                current = Some((BlockKind::ListItem, String::new()));
            }
            Event::End(TagEnd::Item) => {
                in_item = in_item.saturating_sub(1);
                if let Some((kind, text)) = current.take() {
                    push_block(&mut blocks, kind, &text);
                }
            }
            Event::End(TagEnd::Heading(_) | TagEnd::Paragraph | TagEnd::CodeBlock) => {
                // Inside a list item the paragraph belongs to the item: end it with the item.
                if in_item == 0 {
                    if let Some((kind, text)) = current.take() {
                        push_block(&mut blocks, kind, &text);
                    }
                } else if let Some((_, text)) = current.as_mut() {
                    text.push(' ');
                }
            }
            Event::Text(t) | Event::Code(t) => {
                if let Some((_, text)) = current.as_mut() {
                    text.push_str(&t);
                }
            }
            Event::SoftBreak | Event::HardBreak => {
                if let Some((_, text)) = current.as_mut() {
                    text.push(' ');
                }
            }
            _ => {}
        }
    }
    if let Some((kind, text)) = current.take() {
        push_block(&mut blocks, kind, &text);
    }
    let field = |k: &str| {
        front
            .iter()
            .find(|(key, _)| key == k)
            .map(|(_, v)| v.clone())
    };
    Extracted {
        images: Vec::new(),
        notes: Vec::new(),
        title: field("title").or_else(|| title_from_blocks(&blocks)),
        author: field("author"),
        source_url: field("url")
            .or_else(|| field("source_url"))
            .or_else(|| field("source")),
        published: field("date"),
        declared_language: field("lang").or_else(|| field("language")),
        blocks,
        pages: Vec::new(),
        geometry: Vec::new(),
        parser: "markdown/1".into(),
        media_type: "text/markdown".into(),
    }
}

fn split_front_matter(source: &str) -> (Vec<(String, String)>, &str) {
    let Some(rest) = source.strip_prefix("---\n") else {
        return (Vec::new(), source);
    };
    let Some(end) = rest.find("\n---") else {
        return (Vec::new(), source);
    };
    let fields = rest[..end]
        .lines()
        .filter_map(|l| l.split_once(':'))
        .map(|(k, v)| {
            (
                k.trim().to_ascii_lowercase(),
                v.trim().trim_matches(['"', '\'']).to_string(),
            )
        })
        .filter(|(_, v)| !v.is_empty())
        .collect();
    let after = &rest[end + 4..];
    (fields, after.strip_prefix('\n').unwrap_or(after))
}
