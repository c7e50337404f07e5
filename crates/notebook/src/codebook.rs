//! A codebook alone, from a REFI-QDA `.qdc` or a CSV file: merged into the
//! notebook's codebook by path, as one undoable step.

use std::path::Path;

use dossier_export::qda;
use dossier_model::{CodebookImport, Error, ErrorCode, Result};
use dossier_store::codes;

use crate::Notebook;

/// Bytes of a codebook file at most.
const MAX_CODEBOOK_BYTES: u64 = 20 << 20;

impl Notebook {
    /// Reads a codebook (`.qdc`, else CSV with a `path` column and any of
    /// `color`, `description`, `memo`) and merges it by path: new paths are
    /// added with their parents; for known paths a colour, description or
    /// memo the file gives replaces the notebook's. Codes, claims and
    /// everything else the file does not name stay. One undo step.
    pub fn import_codebook(&self, path: &Path) -> Result<CodebookImport> {
        let name = path.display().to_string();
        let bytes = dossier_model::limits::read_capped(path, MAX_CODEBOOK_BYTES)
            .map_err(|e| Error::io(format!("reading {name}"), e))?;
        self.import_codebook_bytes(&name, &bytes)
    }

    /// [`Notebook::import_codebook`] of a file's bytes; `name` tells a `.qdc`
    /// (else CSV) and names the file in errors.
    pub(crate) fn import_codebook_bytes(&self, name: &str, bytes: &[u8]) -> Result<CodebookImport> {
        if bytes.len() as u64 > MAX_CODEBOOK_BYTES {
            return Err(Error::invalid(format!(
                "'{name}' is larger than a codebook may be (20 MB)"
            )));
        }
        let text = std::str::from_utf8(bytes).map_err(|_| {
            Error::new(
                ErrorCode::Unsupported,
                format!("'{name}' is not UTF-8 text"),
            )
        })?;
        let is_qdc = Path::new(name)
            .extension()
            .is_some_and(|e| e.eq_ignore_ascii_case("qdc") || e.eq_ignore_ascii_case("xml"));
        let incoming = if is_qdc {
            qda::parse_codebook(text)
        } else {
            qda::parse_codebook_csv(text)
        }
        .map_err(|e| Error::new(ErrorCode::Unsupported, format!("'{name}': {e}")))?;
        let mut report = CodebookImport {
            added: 0,
            updated: 0,
            unchanged: 0,
            problems: Vec::new(),
        };
        self.logged_codebook(&[], "import codebook", |c| {
            for code in &incoming {
                let joined = code.path.join("/");
                let shown: String = joined.chars().take(80).collect();
                if let Err(e) = dossier_model::limits::code_path_parts(&joined) {
                    report.problems.push(format!("{shown}: {}", e.message));
                    continue;
                }
                let memo = code.memo.trim();
                if memo.chars().count() > dossier_model::limits::MAX_MEMO_CHARS {
                    report
                        .problems
                        .push(format!("{shown}: the memo is too long"));
                    continue;
                }
                let color = code.color.as_deref().map(crate::interop::expand_hex);
                match codes::by_path(c, &joined)? {
                    None => {
                        let made = codes::add(
                            c,
                            &joined,
                            color.as_deref().unwrap_or("#7a7a7a"),
                            code.description.trim(),
                        );
                        let made = match made {
                            Err(e) if e.code == ErrorCode::InvalidInput && color.is_some() => {
                                report.problems.push(format!(
                                    "{shown}: colour '{}' not read",
                                    code.color.clone().unwrap_or_default()
                                ));
                                codes::add(c, &joined, "#7a7a7a", code.description.trim())
                            }
                            other => other,
                        };
                        match made {
                            Ok(_) => {
                                if !memo.is_empty() {
                                    codes::set_details(c, &joined, None, None, Some(memo))?;
                                }
                                report.added += 1;
                            }
                            Err(e) if e.code == ErrorCode::InvalidInput => {
                                report.problems.push(format!("{shown}: {}", e.message))
                            }
                            Err(e) => return Err(e),
                        }
                    }
                    Some(known) => {
                        let color = color.filter(|x| !x.eq_ignore_ascii_case(&known.color));
                        let description = Some(code.description.trim())
                            .filter(|d| !d.is_empty() && *d != known.description);
                        let memo = Some(memo).filter(|m| !m.is_empty() && *m != known.memo);
                        if color.is_none() && description.is_none() && memo.is_none() {
                            report.unchanged += 1;
                            continue;
                        }
                        match codes::set_details(c, &joined, color.as_deref(), description, memo) {
                            Ok(_) => report.updated += 1,
                            Err(e) if e.code == ErrorCode::InvalidInput => {
                                // A colour the codebook cannot hold: the rest still counts.
                                codes::set_details(c, &joined, None, description, memo)?;
                                report.problems.push(format!("{shown}: {}", e.message));
                                report.updated += 1;
                            }
                            Err(e) => return Err(e),
                        }
                    }
                }
            }
            Ok(())
        })?;
        self.nudge();
        Ok(report)
    }
}
