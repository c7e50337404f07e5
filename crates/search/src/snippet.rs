//! Snippets: the passage of a hit's text with the most distinct matches, HTML
//! escaped, matches wrapped in `<mark>`.

use std::ops::Range;

use tantivy::tokenizer::TokenStream;

use crate::analysis::{Family, Mode};
use crate::query::Highlight;

/// Target passage length in characters.
const WINDOW: usize = 180;

pub struct Snippet {
    pub html: String,
    /// Code-point offset of the first match in the whole text.
    pub first_match: Option<u32>,
}

/// Text is analysed in pieces of about this many bytes, and the scan stops once
/// the passage around the first matches is known: a hit in a 1 MB manual must
/// not cost a full analysis of the manual on every keystroke.
const CHUNK: usize = 4 * 1024;
/// Matches enough to choose a good passage among them.
const ENOUGH: usize = 12;

/// Where the scan for matches begins.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Start {
    /// Nothing is known: scan from the beginning.
    Unknown,
    /// The index says the best passage begins at this byte: analyse one piece there.
    Known(usize),
    /// The index says the text has no match (the hit is in its title or codes):
    /// show its beginning without analysing anything.
    Absent,
}

/// The best passage of `text`, which starts `offset` code points into the
/// whole text (a part read around the match; 0 for the whole text).
pub fn best(
    text: &str,
    offset: u32,
    family: Family,
    highlight: &Highlight,
    start: Start,
) -> Snippet {
    let mut matches: Vec<Range<usize>> = Vec::new();
    if !highlight.is_empty() && start != Start::Absent {
        // Told where the passage is, one small piece around it is analysed.
        let (mut offset, pieces, size) = match start {
            Start::Unknown | Start::Absent => (0, usize::MAX, CHUNK),
            Start::Known(byte) => {
                // The context before the match and one window after it: about
                // 40 + WINDOW characters, in bytes for this script.
                let from = back_off(text, byte.min(text.len()), 40);
                let span = text[from..]
                    .char_indices()
                    .nth(WINDOW + 60)
                    .map_or(text.len() - from, |(i, _)| i);
                (from, 1, span)
            }
        };
        family.with_analyzer(Mode::Snippet, |analyzer| {
            let mut analysed = 0;
            while offset < text.len() && analysed < pieces {
                let end = chunk_end(text, offset, size);
                let mut stream = analyzer.token_stream(&text[offset..end]);
                while stream.advance() {
                    let t = stream.token();
                    if highlight.matches(&t.text) {
                        matches.push(offset + t.offset_from..offset + t.offset_to);
                    }
                }
                offset = end;
                analysed += 1;
                let far_past_first = matches
                    .first()
                    .is_some_and(|m| offset > m.start + 2 * CHUNK);
                if matches.len() >= ENOUGH || far_past_first {
                    break;
                }
            }
        });
    }
    matches.sort_by_key(|r| (r.start, r.end));
    let merged = merge(matches);
    let first_match = merged
        .first()
        .map(|r| offset + text[..r.start].chars().count() as u32);

    // Slide a window over match starts; keep the one covering the most matches.
    let window_bytes = |start: usize| {
        let end = text[start..]
            .char_indices()
            .nth(WINDOW)
            .map_or(text.len(), |(i, _)| start + i);
        start..end
    };
    let mut best_start = 0;
    let mut best_count = 0;
    for m in &merged {
        // Begin a little before the match so it has context.
        let start = back_off(text, m.start, 30);
        let w = window_bytes(start);
        let count = merged
            .iter()
            .filter(|r| r.start >= w.start && r.end <= w.end)
            .count();
        if count > best_count {
            best_count = count;
            best_start = start;
        }
    }
    let w = window_bytes(best_start);
    let mut html = String::new();
    if w.start > 0 || offset > 0 {
        html.push('…');
    }
    let mut cursor = w.start;
    for m in merged
        .iter()
        .filter(|r| r.start >= w.start && r.end <= w.end)
    {
        escape_into(&mut html, &text[cursor..m.start]);
        html.push_str("<mark>");
        escape_into(&mut html, &text[m.start..m.end]);
        html.push_str("</mark>");
        cursor = m.end;
    }
    escape_into(&mut html, &text[cursor..w.end]);
    if w.end < text.len() {
        html.push('…');
    }
    Snippet {
        html: html.split_whitespace().collect::<Vec<_>>().join(" "),
        first_match,
    }
}

/// The end of the piece starting at `start`: a whitespace or CJK punctuation
/// boundary after `size` bytes, so that no word (and almost no CJK bigram) is cut.
fn chunk_end(text: &str, start: usize, size: usize) -> usize {
    let target = start + size;
    if target >= text.len() {
        return text.len();
    }
    let boundary = |mut i: usize| {
        while !text.is_char_boundary(i) {
            i += 1;
        }
        i
    };
    let cut = boundary(target);
    let limit = boundary((cut + 4096).min(text.len()));
    text[cut..limit]
        .char_indices()
        .find(|(_, c)| c.is_whitespace() || matches!(c, '。' | '，' | '、' | '；' | '！' | '？'))
        .map_or(cut, |(i, _)| cut + i)
}

/// Overlapping ranges (CJK bigrams) become one.
fn merge(sorted: Vec<Range<usize>>) -> Vec<Range<usize>> {
    let mut out: Vec<Range<usize>> = Vec::new();
    for r in sorted {
        match out.last_mut() {
            Some(last) if r.start <= last.end => last.end = last.end.max(r.end),
            _ => out.push(r),
        }
    }
    out
}

fn back_off(text: &str, byte: usize, chars: usize) -> usize {
    // Walk backwards: a match near the end of a long text must not cost a scan from its start.
    let before = &text[..byte];
    let start = before
        .char_indices()
        .rev()
        .nth(chars.saturating_sub(1))
        .map_or(0, |(i, _)| i);
    // Prefer starting at a word boundary.
    match before[start..].find(char::is_whitespace) {
        Some(ws) if start > 0 && start + ws + 1 < byte => start + ws + 1,
        _ => start,
    }
}

fn escape_into(out: &mut String, s: &str) {
    for c in s.chars() {
        match c {
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '&' => out.push_str("&amp;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            _ => out.push(c),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn exact(terms: &[&str]) -> Highlight {
        Highlight {
            exact: terms.iter().map(|t| t.to_string()).collect(),
            ..Default::default()
        }
    }

    #[test]
    fn marks_matches_and_escapes_html() {
        let terms = exact(&["vertrau"]);
        let s = best(
            "<b>Vertrauen</b> in offene Modelle",
            0,
            Family::German,
            &terms,
            Start::Unknown,
        );
        assert_eq!(
            s.html,
            "&lt;b&gt;<mark>Vertrauen</mark>&lt;/b&gt; in offene Modelle"
        );
        assert_eq!(s.first_match, Some(3));
    }

    #[test]
    fn matches_deep_in_a_long_text_are_found_and_positions_stay_exact() {
        let filler = "Füllwort ".repeat(20_000); // ~180 KB, many chunks
        let text = format!("{filler}Das Vertrauen wächst. {filler}");
        let terms = exact(&["vertrau"]);
        let s = best(&text, 0, Family::German, &terms, Start::Unknown);
        assert!(s.html.contains("<mark>Vertrauen</mark>"), "{}", s.html);
        assert_eq!(s.first_match, Some(filler.chars().count() as u32 + 4));
        // Told where the passage is, the same snippet comes from one small piece.
        let at = filler.len() + 4;
        let k = best(&text, 0, Family::German, &terms, Start::Known(at));
        assert_eq!(k.html, s.html);
        assert_eq!(k.first_match, s.first_match);
        let zh = format!("{}信任问题{}", "数据".repeat(20_000), "模型".repeat(10));
        let z = best(&zh, 0, Family::Other, &exact(&["信任"]), Start::Unknown);
        assert!(z.html.contains("<mark>信任</mark>"), "{}", z.html);
    }

    #[test]
    fn cjk_bigrams_merge_into_one_mark() {
        let terms = exact(&["透明", "明度"]);
        let s = best(
            "模型的透明度很重要",
            0,
            Family::Other,
            &terms,
            Start::Unknown,
        );
        assert_eq!(s.html, "模型的<mark>透明度</mark>很重要");
    }

    #[test]
    fn compound_parts_prefixes_and_typos_are_marked() {
        let hl = Highlight {
            suffixes: vec!["integritat".into()],
            prefixes: vec!["netw".into()],
            fuzzy: vec![("transparenz".into(), 1)],
            ..Default::default()
        };
        let s = best(
            "Datenintegrität im Netzwerk, networks und Transparnez",
            0,
            Family::German,
            &hl,
            Start::Unknown,
        );
        assert_eq!(
            s.html,
            "<mark>Datenintegrität</mark> im Netzwerk, <mark>networks</mark> und <mark>Transparnez</mark>"
        );
    }
}
