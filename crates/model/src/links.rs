//! `[[…]]` links in note bodies.
//!
//! A link names its target by id (`[[article:ID]]`, `[[claim:ID]]`, or a bare
//! id) or, for articles, by title (`[[Title]]`); an optional label follows a
//! pipe (`[[claim:ID|the Qwen claim]]`). This module only finds the links;
//! resolving them against the notebook is the façade's job.

/// One `[[…]]` occurrence as written.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RawLink {
    /// `Some("article")`/`Some("claim")` when the link is prefixed, else `None`.
    pub kind: Option<String>,
    /// The id or title, trimmed.
    pub target: String,
    /// The whole text between the brackets.
    pub label: String,
}

pub fn find_links(body: &str) -> Vec<RawLink> {
    let mut out = Vec::new();
    scan(body, |_, link| out.push(link));
    out
}

/// `body` with the target of every link that `new_target` maps replaced (the
/// kind and label stay). Links are parsed, never found by substring, so an id
/// that happens to be a letter or a word elsewhere in the text changes only
/// where it is a link's target, and the result grows by at most one id per link.
pub fn rewrite_links(body: &str, mut new_target: impl FnMut(&RawLink) -> Option<String>) -> String {
    let mut out = String::with_capacity(body.len());
    let mut copied = 0;
    scan(body, |range, link| {
        if let Some(t) = new_target(&link) {
            out.push_str(&body[copied..range.start]);
            out.push_str(&t);
            copied = range.end;
        }
    });
    out.push_str(&body[copied..]);
    out
}

/// Calls `f` with the byte range of each link's target in `body` and the link.
fn scan(body: &str, mut f: impl FnMut(std::ops::Range<usize>, RawLink)) {
    let mut pos = 0;
    while let Some(open) = body[pos..].find("[[") {
        let inner_start = pos + open + 2;
        let Some(close) = body[inner_start..].find("]]") else {
            break;
        };
        let inner_end = inner_start + close;
        let inner = &body[inner_start..inner_end];
        // A newline inside means this was not a link but stray brackets.
        if !inner.contains('\n') && !inner.trim().is_empty() {
            let part_len = inner.find('|').unwrap_or(inner.len());
            let target_part = &inner[..part_len];
            let (kind, raw_target) = match target_part.split_once(':') {
                Some((k, t)) if matches!(k.trim(), "article" | "claim" | "note") => {
                    (Some(k.trim().to_string()), t)
                }
                _ => (None, target_part),
            };
            let target = raw_target.trim();
            if !target.is_empty() {
                // `target` is a sub-slice of `body`: its byte range is exact.
                let at = target.as_ptr() as usize - body.as_ptr() as usize;
                f(
                    at..at + target.len(),
                    RawLink {
                        kind,
                        target: target.to_string(),
                        label: inner.to_string(),
                    },
                );
            }
        }
        pos = inner_end + 2;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_prefixed_bare_and_labelled_links() {
        let links = find_links(
            "Siehe [[article:0192]] und [[claim:abc|die These]], [[Qwen im Test]].\n[[\n]]",
        );
        assert_eq!(links.len(), 3);
        assert_eq!(links[0].kind.as_deref(), Some("article"));
        assert_eq!(links[0].target, "0192");
        assert_eq!(links[1].target, "abc");
        assert_eq!(links[1].label, "claim:abc|die These");
        assert_eq!(links[2].kind, None);
        assert_eq!(links[2].target, "Qwen im Test");
    }

    #[test]
    fn rewriting_touches_only_link_targets() {
        let body = "e e [[claim:e|see e]] and [[article: e ]] [[e]] e";
        let out = rewrite_links(body, |l| (l.target == "e").then(|| "X".to_string()));
        assert_eq!(out, "e e [[claim:X|see e]] and [[article: X ]] [[X]] e");
        // Many one-letter ids cannot grow a body geometrically: one id per link, once.
        let body = "[[a]]".repeat(1000);
        let out = rewrite_links(&body, |_| Some("0".repeat(36)));
        assert_eq!(out.len(), 1000 * (4 + 36));
    }

    #[test]
    fn unclosed_brackets_are_not_links() {
        assert!(find_links("[[open").is_empty());
        assert!(find_links("[[]]").is_empty());
    }
}
