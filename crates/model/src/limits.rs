//! Limits on what comes from outside: one place that names them, so every
//! reader (files, queries, the webview) applies the same numbers and
//! docs/RELIABILITY.md can list them. A value past a limit is refused with a
//! clear error (or clamped, for counts and offsets), never followed.

use std::time::{Duration, Instant};

use crate::error::{Error, ErrorCode, Result};

/// Levels of a code path (`a/b/c` has three).
pub const MAX_CODE_DEPTH: usize = 16;
/// Characters of one level's name.
pub const MAX_CODE_NAME_CHARS: usize = 200;
/// Characters of a whole code path.
pub const MAX_CODE_PATH_CHARS: usize = 1_000;
/// Nesting of groups in a search query (`((a))` is two).
pub const MAX_QUERY_DEPTH: usize = 32;
/// Characters of a search query; longer input is cut here.
pub const MAX_QUERY_CHARS: usize = 4_000;
/// The most ids one call may name (articles put into a set, claims recoded).
pub const MAX_BATCH_IDS: usize = 100_000;
/// Hits a search may skip (`--offset`) and return (`--limit`).
pub const MAX_SEARCH_OFFSET: u32 = 10_000;
pub const MAX_SEARCH_LIMIT: u32 = 1_000;
/// Nesting of elements a recursive reader of an interchange file follows.
pub const MAX_NESTING: usize = 64;
/// The time one interchange file (qdpx, annotations, references) may take in-process.
pub const INTERCHANGE_BUDGET: Duration = Duration::from_secs(60);

/// A file's bytes, at most `max + 1` of them: a result longer than `max`
/// means the file is larger than its limit (the caller names it), and a file
/// that grows while it is read is not followed.
pub fn read_capped(path: &std::path::Path, max: u64) -> std::io::Result<Vec<u8>> {
    use std::io::Read;
    let mut bytes = Vec::new();
    std::fs::File::open(path)?
        .take(max.saturating_add(1))
        .read_to_end(&mut bytes)?;
    Ok(bytes)
}

/// Checks a code path's shape: names separated by `/`, none empty, within the
/// limits above. Returns the trimmed names.
pub fn code_path_parts(path: &str) -> Result<Vec<&str>> {
    if path.chars().count() > MAX_CODE_PATH_CHARS {
        return Err(Error::invalid(format!(
            "a code path may have at most {MAX_CODE_PATH_CHARS} characters (this one has {})",
            path.chars().count()
        )));
    }
    let parts: Vec<&str> = path.split('/').map(str::trim).collect();
    if parts.iter().any(|p| p.is_empty()) {
        return Err(Error::invalid(format!(
            "'{path}' is not a valid code path (use names separated by '/')"
        )));
    }
    if parts.len() > MAX_CODE_DEPTH {
        return Err(Error::invalid(format!(
            "a code path may have at most {MAX_CODE_DEPTH} levels (this one has {})",
            parts.len()
        )));
    }
    if let Some(long) = parts
        .iter()
        .find(|p| p.chars().count() > MAX_CODE_NAME_CHARS)
    {
        return Err(Error::invalid(format!(
            "a code's name may have at most {MAX_CODE_NAME_CHARS} characters ('{}…' has {})",
            long.chars().take(20).collect::<String>(),
            long.chars().count()
        )));
    }
    if let Some(c) = path.chars().find(|c| c.is_control()) {
        return Err(Error::invalid(format!(
            "a code path may not contain control characters (U+{:04X})",
            c as u32
        )));
    }
    Ok(parts)
}

/// Whether `s` is a UUID in the canonical lower-case hyphenated form — the only
/// form Dossier's ids take. Identifiers from other programs' files become ids
/// only when they pass this; otherwise a new id is given and the old one mapped.
pub fn is_canonical_uuid(s: &str) -> bool {
    let b = s.as_bytes();
    b.len() == 36
        && b.iter().enumerate().all(|(i, &c)| match i {
            8 | 13 | 18 | 23 => c == b'-',
            _ => c.is_ascii_digit() || (b'a'..=b'f').contains(&c),
        })
}

/// Whether `s` is a SHA-256 in lower-case hex: the name of an original file under `sources/`.
pub fn is_sha256_hex(s: &str) -> bool {
    s.len() == 64
        && s.bytes()
            .all(|c| c.is_ascii_digit() || (b'a'..=b'f').contains(&c))
}

/// A time budget for in-process work on outside data.
#[derive(Debug, Clone, Copy)]
pub struct Deadline {
    at: Instant,
    budget: Duration,
}

impl Deadline {
    pub fn after(budget: Duration) -> Deadline {
        Deadline {
            at: Instant::now() + budget,
            budget,
        }
    }

    /// An error naming `what` once the budget is spent.
    pub fn check(&self, what: &str) -> Result<()> {
        if Instant::now() > self.at {
            return Err(Error::new(
                ErrorCode::Unsupported,
                format!(
                    "{what}: gave up after {} s, the time limit for one file",
                    self.budget.as_secs()
                ),
            ));
        }
        Ok(())
    }
}

/// Removes control characters (terminal escape sequences among them) from text
/// meant for a person's terminal; tabs and newlines become spaces.
pub fn printable(s: &str) -> std::borrow::Cow<'_, str> {
    if !s.chars().any(char::is_control) && !s.contains(['\u{202e}', '\u{202d}']) {
        return std::borrow::Cow::Borrowed(s);
    }
    std::borrow::Cow::Owned(
        s.chars()
            .filter_map(|c| match c {
                '\t' | '\n' | '\r' => Some(' '),
                // Bidirectional overrides can make a name read as another.
                '\u{202e}' | '\u{202d}' => None,
                c if c.is_control() => None,
                c => Some(c),
            })
            .collect(),
    )
}

/// `s` cut to at most `max` characters (with `…` when cut), for quoting
/// outside input in an error message.
pub fn shorten(s: &str, max: usize) -> String {
    match s.char_indices().nth(max) {
        Some((cut, _)) => format!("{}…", &s[..cut]),
        None => s.to_string(),
    }
}

/// Characters of a code's memo.
pub const MAX_MEMO_CHARS: usize = 100_000;
/// Characters of one translation of a claim's quote.
pub const MAX_TRANSLATION_CHARS: usize = 20_000;
/// Translations one claim may hold.
pub const MAX_TRANSLATIONS: usize = 50;
/// Terms of one glossary concept, and concepts in a glossary.
pub const MAX_CONCEPT_TERMS: usize = 50;
pub const MAX_CONCEPTS: usize = 10_000;
/// Characters of one glossary term.
pub const MAX_TERM_CHARS: usize = 200;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn code_paths_are_bounded() {
        assert_eq!(code_path_parts(" a / b ").unwrap(), vec!["a", "b"]);
        assert!(code_path_parts("a//b").is_err());
        assert!(code_path_parts(&vec!["a"; MAX_CODE_DEPTH].join("/")).is_ok());
        assert!(code_path_parts(&vec!["a"; MAX_CODE_DEPTH + 1].join("/")).is_err());
        assert!(code_path_parts(&"x".repeat(MAX_CODE_NAME_CHARS + 1)).is_err());
        assert!(code_path_parts("a\u{1b}[31m").is_err());
    }

    #[test]
    fn only_canonical_uuids_and_hashes_pass() {
        assert!(is_canonical_uuid("0192f0c2-7a3b-7cde-8f00-123456789abc"));
        assert!(!is_canonical_uuid("e"));
        assert!(!is_canonical_uuid("0192F0C2-7A3B-7CDE-8F00-123456789ABC"));
        assert!(!is_canonical_uuid(
            "../../../../zipslip-0000-0000-000000000"
        ));
        assert!(is_sha256_hex(&"a".repeat(64)));
        assert!(!is_sha256_hex(&format!("../{}", "a".repeat(61))));
    }

    #[test]
    fn printable_strips_escapes() {
        assert_eq!(printable("a\u{1b}]0;pwned\u{7}b"), "a]0;pwnedb");
        assert_eq!(printable("plain"), "plain");
    }
}
