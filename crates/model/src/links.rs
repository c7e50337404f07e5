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

/// The scheme of links back into a notebook: `dossier://claim/ID`,
/// `dossier://note/ID`, `dossier://article/ID` (registered with the OS, so a
/// link in an exported file opens the window there).
pub const SCHEME: &str = "dossier";

/// The link back to an entity of a notebook.
pub fn entity_link(kind: crate::LinkKind, id: &str) -> String {
    format!("{SCHEME}://{}/{id}", kind.as_str())
}

/// Reads a link back (`dossier://claim/ID`, also with a trailing slash, a
/// query or a fragment, which are ignored): what it names. Anything else —
/// another scheme, an unknown kind, an id that is no Dossier id — is an
/// error; a link is outside data and is checked like any other.
pub fn parse_entity_link(url: &str) -> crate::Result<(crate::LinkKind, String)> {
    let bad = || {
        crate::Error::invalid(format!(
            "'{}' is no Dossier link: use dossier://claim/ID, dossier://note/ID or dossier://article/ID",
            crate::limits::shorten(url, 120)
        ))
    };
    let url = url.trim();
    if url.len() > 200 {
        return Err(bad());
    }
    let rest = url
        .split_once("://")
        .filter(|(scheme, _)| scheme.eq_ignore_ascii_case(SCHEME))
        .map(|(_, rest)| rest)
        .ok_or_else(bad)?;
    let rest = rest.split(['?', '#']).next().unwrap_or("");
    let (kind, id) = rest.split_once('/').ok_or_else(bad)?;
    let kind = crate::LinkKind::parse(kind).ok_or_else(bad)?;
    let id = id.trim_end_matches('/').to_ascii_lowercase();
    if !crate::limits::is_canonical_uuid(&id) {
        return Err(bad());
    }
    Ok((kind, id))
}

#[cfg(test)]
mod link_back_tests {
    use super::*;
    use crate::LinkKind;

    #[test]
    fn links_back_are_written_and_read_strictly() {
        let id = "0190a1b2-0000-7000-8000-000000000011";
        let link = entity_link(LinkKind::Claim, id);
        assert_eq!(link, format!("dossier://claim/{id}"));
        assert_eq!(
            parse_entity_link(&link).unwrap(),
            (LinkKind::Claim, id.to_string())
        );
        assert_eq!(
            parse_entity_link(&format!("DOSSIER://note/{}/?x=1#y", id.to_uppercase())).unwrap(),
            (LinkKind::Note, id.to_string())
        );
        for bad in [
            "https://claim/0190a1b2-0000-7000-8000-000000000011",
            "dossier://code/0190a1b2-0000-7000-8000-000000000011",
            "dossier://claim/../../etc/passwd",
            "dossier://claim/",
            "dossier:claim/0190a1b2-0000-7000-8000-000000000011",
            "",
        ] {
            assert!(parse_entity_link(bad).is_err(), "{bad}");
        }
        assert!(parse_entity_link(&format!("dossier://claim/{}", "a".repeat(10_000))).is_err());
    }
}
