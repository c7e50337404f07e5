//! A guard in front of the HTML parser: hostile pages nest elements tens of
//! thousands deep, and an HTML tree builder spends time proportional to the
//! depth for every element (quadratic overall). Tags deeper than the limit are
//! dropped before parsing — their text stays — so such a page imports in
//! bounded time instead of occupying the importer for minutes.

use std::borrow::Cow;

const VOID: &[&str] = &[
    "area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "param", "source",
    "track", "wbr",
];

enum Tag<'a> {
    Open(&'a str),
    Close,
    Neutral,
}

/// Finds the end of the construct starting at `s[i] == '<'` and what it is.
fn scan(s: &str, i: usize) -> (usize, Tag<'_>) {
    let rest = &s[i..];
    let end_of = |pat: &str, from: usize| {
        rest[from..]
            .find(pat)
            .map_or(s.len(), |p| i + from + p + pat.len())
    };
    if rest.starts_with("<!--") {
        return (end_of("-->", 4), Tag::Neutral);
    }
    if rest.starts_with("<!") || rest.starts_with("<?") {
        return (end_of(">", 1), Tag::Neutral);
    }
    let close = rest.starts_with("</");
    let name_start = if close { 2 } else { 1 };
    let name_len = rest[name_start..]
        .find(|c: char| !c.is_ascii_alphanumeric() && c != '-')
        .unwrap_or(rest.len() - name_start);
    if name_len == 0 {
        return (i + 1, Tag::Neutral); // a lone '<' is text
    }
    let end = end_of(">", name_start);
    let name = &rest[name_start..name_start + name_len];
    if close {
        return (end, Tag::Close);
    }
    let self_closing = s[i..end].ends_with("/>");
    if self_closing || VOID.iter().any(|v| v.eq_ignore_ascii_case(name)) {
        (end, Tag::Neutral)
    } else {
        (end, Tag::Open(name))
    }
}

/// The byte offset of the first `</name` (any case) at or after `from`. Only
/// the bytes between `from` and the match are looked at, so skipping every
/// raw-text element of a page is linear in the page (lower-casing the rest of
/// the page for each one made 5 MB of empty scripts take 42 s).
fn find_close(source: &str, from: usize, name: &str) -> Option<usize> {
    let bytes = source.as_bytes();
    let mut at = from;
    while let Some(rel) = source[at..].find("</") {
        let p = at + rel;
        let name_at = p + 2;
        if bytes
            .get(name_at..name_at + name.len())
            .is_some_and(|n| n.eq_ignore_ascii_case(name.as_bytes()))
        {
            return Some(p);
        }
        at = name_at;
    }
    None
}

/// `source` with every tag below `max_depth` removed; borrowed when nothing is that deep.
pub fn limit_nesting(source: &str, max_depth: usize) -> Cow<'_, str> {
    let mut out: Option<String> = None;
    let mut depth = 0usize;
    let mut i = 0;
    let mut copied_to = 0;
    while let Some(rel) = source[i..].find('<') {
        let start = i + rel;
        let (end, tag) = scan(source, start);
        let drop = match tag {
            Tag::Open(name) => {
                depth += 1;
                // Raw-text elements: their content is not markup.
                if name.eq_ignore_ascii_case("script") || name.eq_ignore_ascii_case("style") {
                    let skip = find_close(source, end, name).unwrap_or(source.len());
                    depth -= 1;
                    i = skip.max(end);
                    continue;
                }
                depth > max_depth
            }
            Tag::Close => {
                let was = depth;
                depth = depth.saturating_sub(1);
                was > max_depth
            }
            Tag::Neutral => false,
        };
        if drop {
            let buf = out.get_or_insert_with(|| String::with_capacity(source.len()));
            buf.push_str(&source[copied_to..start]);
            copied_to = end;
        }
        i = end.max(start + 1);
    }
    match out {
        None => Cow::Borrowed(source),
        Some(mut buf) => {
            buf.push_str(&source[copied_to..]);
            Cow::Owned(buf)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::limit_nesting;

    #[test]
    fn shallow_pages_are_untouched_and_deep_ones_flattened() {
        let page = "<p>a<br>b<img src=x/></p><!-- <div> --><script>if (a<b) {}</script>";
        assert!(matches!(
            limit_nesting(page, 2),
            std::borrow::Cow::Borrowed(_)
        ));
        let deep = format!("{}tief{}", "<div>".repeat(10), "</div>".repeat(10));
        let flat = limit_nesting(&deep, 3);
        assert_eq!(
            flat,
            format!("{}tief{}", "<div>".repeat(3), "</div>".repeat(3))
        );
    }

    #[test]
    fn raw_text_elements_are_skipped_in_linear_time() {
        let page = "<p>a</p><SCRIPT>x = '</b>'</ScRiPt><style></STYLE><p>b</p>";
        assert!(matches!(
            limit_nesting(page, 1),
            std::borrow::Cow::Borrowed(_)
        ));
        // 5 MB of empty script elements: was 42 s (quadratic), now a few milliseconds.
        let hostile = "<script></script>".repeat(300_000);
        let started = std::time::Instant::now();
        let _ = limit_nesting(&hostile, 256);
        assert!(
            started.elapsed() < std::time::Duration::from_secs(2),
            "{:?}",
            started.elapsed()
        );
    }
}
