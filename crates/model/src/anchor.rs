//! Anchoring a claim in an article's canonical text.
//!
//! A claim carries both W3C selectors: a TextQuoteSelector (`exact`, `prefix`,
//! `suffix`) that survives small edits, and a TextPositionSelector (`start`,
//! `end`) that is fast and unambiguous. Positions count Unicode code points —
//! the unit the W3C model prescribes and the one that is the same in Rust,
//! Python and JSON consumers. Browsers count UTF-16 units; the UI converts with
//! the same rules as `utf16_to_code_points` here, and both are tested with
//! characters beyond the Basic Multilingual Plane (emoji, CJK Extension B).

use serde::{Deserialize, Serialize};

/// How many code points of context a TextQuoteSelector keeps on each side.
pub const CONTEXT_CHARS: usize = 32;

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Anchor {
    pub exact: String,
    pub prefix: String,
    pub suffix: String,
    pub start: u32,
    pub end: u32,
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum AnchorError {
    #[error("the quote is empty")]
    EmptyQuote,
    #[error("the quote does not occur in the article")]
    QuoteNotFound,
    #[error("the quote occurs {found} time(s) in the article, not {wanted}")]
    OccurrenceNotFound { wanted: u32, found: u32 },
    #[error("the range {start}..{end} is not inside the article (length {len} characters)")]
    OutOfRange { start: u32, end: u32, len: u32 },
}

impl Anchor {
    /// Anchors the `occurrence`-th (1-based) appearance of `quote` in `text`.
    pub fn from_quote(text: &str, quote: &str, occurrence: u32) -> Result<Anchor, AnchorError> {
        if quote.is_empty() {
            return Err(AnchorError::EmptyQuote);
        }
        let wanted = occurrence.max(1);
        let mut found = 0u32;
        let mut from = 0usize;
        while let Some(rel) = text[from..].find(quote) {
            let byte_start = from + rel;
            found += 1;
            if found == wanted {
                let start = text[..byte_start].chars().count();
                let end = start + quote.chars().count();
                return Ok(Self::build(
                    text,
                    byte_start,
                    byte_start + quote.len(),
                    start,
                    end,
                ));
            }
            // Step one character, not the whole quote: overlapping occurrences count.
            from = byte_start + text[byte_start..].chars().next().map_or(1, char::len_utf8);
        }
        if found == 0 {
            Err(AnchorError::QuoteNotFound)
        } else {
            Err(AnchorError::OccurrenceNotFound { wanted, found })
        }
    }

    /// Anchors the code-point range `start..end` of `text`.
    pub fn from_range(text: &str, start: u32, end: u32) -> Result<Anchor, AnchorError> {
        Self::from_range_in(&TextIndex::new(text), start, end)
    }

    /// `from_range` over a text indexed once: each call costs the quote and its
    /// context, not the text before it (many selections on one text stay linear).
    pub fn from_range_in(idx: &TextIndex<'_>, start: u32, end: u32) -> Result<Anchor, AnchorError> {
        let len = idx.chars();
        if start >= end || end as usize > len {
            return Err(AnchorError::OutOfRange {
                start,
                end,
                len: len as u32,
            });
        }
        let byte_start = idx.byte_of(start as usize).expect("checked above");
        let byte_end = idx.byte_of(end as usize).expect("checked above");
        Ok(Self::build(
            idx.text,
            byte_start,
            byte_end,
            start as usize,
            end as usize,
        ))
    }

    /// Finds a quote again in a (possibly different) text, as annotation tools
    /// do when they re-attach a W3C TextQuoteSelector: the position hint wins
    /// when the text there is still `exact`; otherwise every occurrence of
    /// `exact` is scored by how much of `prefix` and `suffix` surrounds it and
    /// by its distance from the hint. `None` when the quote is gone.
    pub fn relocate(
        text: &str,
        exact: &str,
        prefix: &str,
        suffix: &str,
        hint: Option<(u32, u32)>,
    ) -> Option<Anchor> {
        Self::relocate_in(&TextIndex::new(text), exact, prefix, suffix, hint)
    }

    /// `relocate` over a text indexed once. Bounded whatever the input: context
    /// beyond `4 × CONTEXT_CHARS` is ignored and at most `MAX_CANDIDATES`
    /// occurrences are scored.
    pub fn relocate_in(
        idx: &TextIndex<'_>,
        exact: &str,
        prefix: &str,
        suffix: &str,
        hint: Option<(u32, u32)>,
    ) -> Option<Anchor> {
        let text = idx.text;
        if exact.is_empty() {
            return None;
        }
        if let Some((start, end)) = hint {
            if let Ok(a) = Self::from_range_in(idx, start, end) {
                if a.exact == exact {
                    return Some(a);
                }
            }
        }
        let prefix = tail_chars(prefix, 4 * CONTEXT_CHARS);
        let suffix = head_chars(suffix, 4 * CONTEXT_CHARS);
        // Near the hint first: a quote found there with all of its context is the
        // answer, without scanning the whole text (many selections on one long
        // text would otherwise each scan all of it).
        if let Some((start, end)) = hint {
            let from_cp = (start as usize).saturating_sub(HINT_WINDOW);
            let to_cp = (end as usize).saturating_add(HINT_WINDOW).min(idx.chars());
            if let (Some(from), Some(to)) =
                (idx.byte_of(from_cp.min(idx.chars())), idx.byte_of(to_cp))
            {
                if let Some(found) =
                    best_occurrence(text, from, to, from_cp, exact, prefix, suffix, hint, true)
                {
                    return Some(found);
                }
            }
        }
        best_occurrence(text, 0, text.len(), 0, exact, prefix, suffix, hint, false)
    }

    fn build(text: &str, byte_start: usize, byte_end: usize, start: usize, end: usize) -> Anchor {
        Anchor {
            exact: text[byte_start..byte_end].to_string(),
            prefix: tail_chars(&text[..byte_start], CONTEXT_CHARS).to_string(),
            suffix: head_chars(&text[byte_end..], CONTEXT_CHARS).to_string(),
            start: start as u32,
            end: end as u32,
        }
    }
}

/// How far around a position hint `relocate` looks before it scans the whole text.
const HINT_WINDOW: usize = 4_096;

/// The best-scored occurrence of `exact` that starts in `text[from..to]`
/// (`from_cp` is the code point at byte `from`). With `full_context_only`, only
/// an occurrence whose whole prefix and suffix match counts.
#[allow(clippy::too_many_arguments)]
fn best_occurrence(
    text: &str,
    from: usize,
    to: usize,
    from_cp: usize,
    exact: &str,
    prefix: &str,
    suffix: &str,
    hint: Option<(u32, u32)>,
    full_context_only: bool,
) -> Option<Anchor> {
    let (prefix_len, suffix_len) = (prefix.chars().count(), suffix.chars().count());
    {
        let hint_start = hint.map(|(s, _)| s as i64);
        let quote_chars = exact.chars().count();
        let mut best: Option<(i64, usize, usize)> = None; // (score, byte_start, cp_start)
        let mut from = from;
        let mut cp_base = from_cp; // code points before `from`
        let mut candidates = 0usize;
        while let Some(rel) = text[from..].find(exact) {
            let byte_start = from + rel;
            if byte_start >= to {
                break;
            }
            let cp_start = cp_base + text[from..byte_start].chars().count();
            let before = &text[..byte_start];
            let after = &text[byte_start + exact.len()..];
            let (p, s) = (
                common_suffix_chars(before, prefix),
                common_prefix_chars(after, suffix),
            );
            let context = p + s;
            if full_context_only && (p < prefix_len || s < suffix_len) {
                let step = text[byte_start..].chars().next().map_or(1, char::len_utf8);
                cp_base = cp_start + 1;
                from = byte_start + step;
                continue;
            }
            // Context dominates; distance from the hint breaks ties.
            let distance = hint_start.map_or(0, |h| (cp_start as i64 - h).abs());
            let score = context as i64 * 1_000_000 - distance.min(999_999);
            if best.is_none_or(|(b, _, _)| score > b) {
                best = Some((score, byte_start, cp_start));
            }
            candidates += 1;
            if candidates >= MAX_CANDIDATES {
                break;
            }
            let step = text[byte_start..].chars().next().map_or(1, char::len_utf8);
            cp_base = cp_start + 1;
            from = byte_start + step;
        }
        best.map(|(_, byte_start, cp_start)| {
            Anchor::build(
                text,
                byte_start,
                byte_start + exact.len(),
                cp_start,
                cp_start + quote_chars,
            )
        })
    }
}

/// How many occurrences of a quote `relocate` scores before it settles for the best so far.
pub const MAX_CANDIDATES: usize = 10_000;

/// The last `n` code points of `s`.
fn tail_chars(s: &str, n: usize) -> &str {
    match s.char_indices().rev().nth(n.saturating_sub(1)) {
        Some((b, _)) if n > 0 => &s[b..],
        _ if n == 0 => "",
        _ => s,
    }
}

/// The first `n` code points of `s`.
fn head_chars(s: &str, n: usize) -> &str {
    match s.char_indices().nth(n) {
        Some((b, _)) => &s[..b],
        None => s,
    }
}

/// A text with a sparse map from code points to bytes (one entry per
/// `TextIndex::STEP` code points), built in one pass: finding a code point's
/// byte then costs at most `STEP` characters instead of the text before it.
pub struct TextIndex<'a> {
    text: &'a str,
    samples: Vec<usize>,
    chars: usize,
}

impl<'a> TextIndex<'a> {
    const STEP: usize = 64;

    pub fn new(text: &'a str) -> TextIndex<'a> {
        let mut samples = Vec::with_capacity(text.len() / Self::STEP + 1);
        let mut chars = 0;
        for (b, _) in text.char_indices() {
            if chars % Self::STEP == 0 {
                samples.push(b);
            }
            chars += 1;
        }
        TextIndex {
            text,
            samples,
            chars,
        }
    }

    pub fn text(&self) -> &'a str {
        self.text
    }

    /// Code points in the text.
    pub fn chars(&self) -> usize {
        self.chars
    }

    /// Byte offset of the `cp`-th code point (`cp == chars()` gives the text's length).
    pub fn byte_of(&self, cp: usize) -> Option<usize> {
        if cp > self.chars {
            return None;
        }
        if cp == self.chars {
            return Some(self.text.len());
        }
        let base = self.samples[cp / Self::STEP];
        self.text[base..]
            .char_indices()
            .nth(cp % Self::STEP)
            .map(|(b, _)| base + b)
    }
}

/// Byte offset of the `cp`-th code point (`cp == len` gives `text.len()`).
pub fn code_point_to_byte(text: &str, cp: usize) -> Option<usize> {
    if cp == 0 {
        return Some(0);
    }
    let mut count = 0;
    for (byte, _) in text.char_indices() {
        if count == cp {
            return Some(byte);
        }
        count += 1;
    }
    (count == cp).then_some(text.len())
}

/// The code-point offset that corresponds to a UTF-16 offset (as a browser reports it).
/// An offset that falls between the two halves of a surrogate pair is rounded down.
pub fn utf16_to_code_points(text: &str, utf16: usize) -> usize {
    let mut units = 0;
    for (cp, ch) in text.chars().enumerate() {
        let next = units + ch.len_utf16();
        if next > utf16 {
            return cp;
        }
        units = next;
    }
    text.chars().count()
}

/// The UTF-16 offset of a code-point offset.
pub fn code_points_to_utf16(text: &str, cp: usize) -> usize {
    text.chars().take(cp).map(char::len_utf16).sum()
}

/// The substring of `text` between two code-point offsets.
pub fn slice_code_points(text: &str, start: usize, end: usize) -> &str {
    let b0 = code_point_to_byte(text, start).unwrap_or(text.len());
    let b1 = code_point_to_byte(text, end).unwrap_or(text.len());
    &text[b0..b1.max(b0)]
}

fn common_prefix_chars(a: &str, b: &str) -> usize {
    a.chars().zip(b.chars()).take_while(|(x, y)| x == y).count()
}

fn common_suffix_chars(a: &str, b: &str) -> usize {
    a.chars()
        .rev()
        .zip(b.chars().rev())
        .take_while(|(x, y)| x == y)
        .count()
}

#[cfg(test)]
mod tests {
    use super::*;

    // 😀 (U+1F600) and 𠀋 (U+2000B, CJK Extension B) are each one code point,
    // four UTF-8 bytes and two UTF-16 units: they expose every unit mix-up.
    const TEXT: &str = "Vorwort 😀 und 𠀋 vor dem Satz: Qwen ist offen. Qwen ist offen.";

    #[test]
    fn quote_offsets_count_code_points_beyond_the_bmp() {
        let a = Anchor::from_quote(TEXT, "Qwen ist offen", 1).unwrap();
        let expected_start = TEXT
            .find("Qwen")
            .map(|b| TEXT[..b].chars().count())
            .unwrap();
        assert_eq!(a.start as usize, expected_start);
        // Byte offset would be 6 larger, UTF-16 offset 2 larger: make sure we are neither.
        assert_eq!(TEXT.find("Qwen").unwrap(), expected_start + 6);
        assert_eq!(a.end - a.start, 14);
        assert_eq!(
            slice_code_points(TEXT, a.start as usize, a.end as usize),
            "Qwen ist offen"
        );
        // Fewer than 32 code points precede the quote, so the prefix is all of them.
        assert_eq!(a.prefix, "Vorwort 😀 und 𠀋 vor dem Satz: ");
        let later = Anchor::from_quote(TEXT, "offen.", 2).unwrap();
        assert_eq!(later.prefix.chars().count(), CONTEXT_CHARS);
    }

    #[test]
    fn second_occurrence_and_missing_occurrence() {
        let first = Anchor::from_quote(TEXT, "Qwen ist offen", 1).unwrap();
        let second = Anchor::from_quote(TEXT, "Qwen ist offen", 2).unwrap();
        assert!(second.start > first.end);
        assert_eq!(second.suffix, ".");
        assert_eq!(
            Anchor::from_quote(TEXT, "Qwen ist offen", 3),
            Err(AnchorError::OccurrenceNotFound {
                wanted: 3,
                found: 2
            })
        );
        assert_eq!(
            Anchor::from_quote(TEXT, "ERNIE", 1),
            Err(AnchorError::QuoteNotFound)
        );
        assert_eq!(
            Anchor::from_quote(TEXT, "", 1),
            Err(AnchorError::EmptyQuote)
        );
    }

    #[test]
    fn range_round_trips_with_quote() {
        let q = Anchor::from_quote(TEXT, "😀 und 𠀋", 1).unwrap();
        let r = Anchor::from_range(TEXT, q.start, q.end).unwrap();
        assert_eq!(q, r);
        assert_eq!(q.exact.chars().count(), 7);
        assert!(Anchor::from_range(TEXT, 5, 5).is_err());
        assert!(Anchor::from_range(TEXT, 0, 10_000).is_err());
    }

    #[test]
    fn utf16_conversion_matches_browser_offsets() {
        // In a browser, "Vorwort 😀".length === 10 (the emoji is two units).
        let cp = utf16_to_code_points(TEXT, 10);
        assert_eq!(cp, 9);
        assert_eq!(code_points_to_utf16(TEXT, 9), 10);
        // Middle of the surrogate pair rounds down to the emoji's start.
        assert_eq!(utf16_to_code_points(TEXT, 9), 8);
        for cp in 0..=TEXT.chars().count() {
            assert_eq!(
                utf16_to_code_points(TEXT, code_points_to_utf16(TEXT, cp)),
                cp
            );
        }
    }

    #[test]
    fn context_is_shorter_at_the_edges() {
        let a = Anchor::from_quote("abc", "a", 1).unwrap();
        assert_eq!((a.prefix.as_str(), a.suffix.as_str()), ("", "bc"));
        assert_eq!(code_point_to_byte("ab", 3), None);
    }
    #[test]
    fn relocate_prefers_the_hint_then_the_context() {
        // The text moved by an inserted emoji and CJK Ext. B character: the hint is stale.
        let old = Anchor::from_quote(TEXT, "Qwen ist offen", 2).unwrap();
        let revised = format!("😀𠀋 {TEXT}");
        let a = Anchor::relocate(
            &revised,
            &old.exact,
            &old.prefix,
            &old.suffix,
            Some((old.start, old.end)),
        )
        .unwrap();
        // Context picks the second occurrence, three code points later than before.
        assert_eq!(a.start, old.start + 3);
        assert_eq!(a.suffix, ".");
        // A still-valid hint is taken as is, even without context.
        let same = Anchor::relocate(TEXT, &old.exact, "", "", Some((old.start, old.end))).unwrap();
        assert_eq!(same.start, old.start);
        assert!(Anchor::relocate(TEXT, "nicht da", "", "", None).is_none());
    }

    #[test]
    fn indexed_ranges_match_scanned_ones_and_stay_linear() {
        let idx = TextIndex::new(TEXT);
        let n = TEXT.chars().count();
        for cp in 0..=n {
            assert_eq!(idx.byte_of(cp), code_point_to_byte(TEXT, cp), "{cp}");
        }
        assert_eq!(idx.byte_of(n + 1), None);
        // 20 000 selections on a 2 MB text: each costs its quote, not the text before it.
        let long = "Offene Gewichte, 开放权重 😀. ".repeat(80_000);
        let idx = TextIndex::new(&long);
        let started = std::time::Instant::now();
        for i in 0..20_000u32 {
            let start = i * 100;
            let a = Anchor::from_range_in(&idx, start, start + 10).unwrap();
            assert_eq!(a.exact.chars().count(), 10);
            assert!(Anchor::relocate_in(
                &idx,
                &a.exact,
                &a.prefix,
                &a.suffix,
                Some((start, start + 10))
            )
            .is_some());
        }
        assert!(
            started.elapsed() < std::time::Duration::from_secs(5),
            "{:?}",
            started.elapsed()
        );
        // A quote that occurs at every position is scored at most MAX_CANDIDATES times.
        let flat = "a".repeat(1_000_000);
        let idx = TextIndex::new(&flat);
        let started = std::time::Instant::now();
        let a =
            Anchor::relocate_in(&idx, &"a".repeat(1000), &"b".repeat(100_000), "", None).unwrap();
        assert_eq!(a.start, 0);
        assert!(
            started.elapsed() < std::time::Duration::from_secs(5),
            "{:?}",
            started.elapsed()
        );
    }
}
