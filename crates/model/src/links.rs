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
    let mut rest = body;
    while let Some(open) = rest.find("[[") {
        let after = &rest[open + 2..];
        let Some(close) = after.find("]]") else { break };
        let inner = &after[..close];
        // A newline inside means this was not a link but stray brackets.
        if !inner.contains('\n') && !inner.trim().is_empty() {
            let target_part = inner.split('|').next().unwrap_or("").trim();
            let (kind, target) = match target_part.split_once(':') {
                Some((k, t)) if matches!(k.trim(), "article" | "claim") => {
                    (Some(k.trim().to_string()), t.trim().to_string())
                }
                _ => (None, target_part.to_string()),
            };
            if !target.is_empty() {
                out.push(RawLink {
                    kind,
                    target,
                    label: inner.to_string(),
                });
            }
        }
        rest = &after[close + 2..];
    }
    out
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
    fn unclosed_brackets_are_not_links() {
        assert!(find_links("[[open").is_empty());
        assert!(find_links("[[]]").is_empty());
    }
}
