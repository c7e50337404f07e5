//! Importing files: keep the original bytes by hash, extract, store.
//!
//! Order matters for "nothing lost, nothing half-written": the original file is
//! written to `sources/<sha256>` first (temp file + rename, so it is whole or
//! absent), then the article row and its outbox row in one transaction. A crash
//! in between leaves at worst an unreferenced source file, never a row without
//! its file.

use std::io::Read;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};

use dossier_ingest::MAX_FILE_BYTES;
use dossier_model::{Article, Error, ErrorCode, ImportOutcome, ImportStatus, Result};
use dossier_store::{articles, new_id, now};
use sha2::{Digest, Sha256};

use crate::{Notebook, SOURCES_DIR};

/// Metadata an importer knows better than the file's extractor; `None` keeps the extracted value.
#[derive(Debug, Clone, Default)]
pub(crate) struct ArticleOverrides {
    pub id: Option<String>,
    pub title: Option<String>,
    pub author: Option<String>,
    pub source_url: Option<String>,
    pub published: Option<String>,
}

/// Reported before each file of a bulk import.
#[derive(Debug, Clone)]
pub struct ImportProgress {
    pub done: usize,
    pub total: usize,
    pub current: String,
}

impl Notebook {
    /// Imports files and folders (recursively; hidden entries skipped). One
    /// outcome per file, in a stable order; a failing file never stops the rest.
    pub fn import_paths(
        &self,
        paths: &[PathBuf],
        cancel: &AtomicBool,
        progress: &mut dyn FnMut(&ImportProgress),
    ) -> Result<Vec<ImportOutcome>> {
        let mut files = Vec::new();
        let mut outcomes = Vec::new();
        for p in paths {
            if let Err(e) = collect_files(p, &mut files) {
                outcomes.push(failed(p, &e));
            }
        }
        let total = files.len();
        for (done, file) in files.iter().enumerate() {
            if cancel.load(Ordering::Relaxed) {
                return Err(Error::new(
                    ErrorCode::Cancelled,
                    format!("import cancelled after {done} of {total} files"),
                ));
            }
            progress(&ImportProgress {
                done,
                total,
                current: file.display().to_string(),
            });
            let outcome = match read_file(file) {
                Ok(bytes) => {
                    let name = file
                        .file_name()
                        .map(|n| n.to_string_lossy().into_owned())
                        .unwrap_or_default();
                    self.import_bytes(&name, &bytes).map(|mut o| {
                        o.path = file.display().to_string();
                        o
                    })
                }
                Err(e) => Err(e),
            };
            outcomes.push(outcome.unwrap_or_else(|e| failed(file, &e)));
        }
        progress(&ImportProgress {
            done: total,
            total,
            current: String::new(),
        });
        self.nudge();
        Ok(outcomes)
    }

    /// Imports one file's bytes. Interchange files (a REFI-QDA `.qdpx`, W3C or
    /// Hypothesis annotations, CSL-JSON, BibTeX, RIS) bring in what they hold;
    /// every other file becomes an article. A duplicate (same SHA-256) changes
    /// nothing. Errors are returned as `Err`; the caller records them per file.
    pub fn import_bytes(&self, name: &str, bytes: &[u8]) -> Result<ImportOutcome> {
        if let Some(outcome) = self.import_interchange(name, bytes)? {
            return Ok(outcome);
        }
        self.import_article(name, bytes, &ArticleOverrides::default())
    }

    /// Imports one file as an article, with metadata that the caller knows
    /// better than the extractor (from a QDA project, say).
    pub(crate) fn import_article(
        &self,
        name: &str,
        bytes: &[u8],
        overrides: &ArticleOverrides,
    ) -> Result<ImportOutcome> {
        let sha = hex::encode(Sha256::digest(bytes));
        if let Some(existing) = self.core.store.read(|c| articles::id_by_sha256(c, &sha))? {
            return self.duplicate(name, &existing);
        }
        let extracted = dossier_ingest::extract(bytes, name)?;
        let text = extracted.canonical_text();
        let language = extracted
            .declared_language
            .clone()
            .map(|l| l.trim().to_string())
            .unwrap_or_else(|| dossier_ingest::detect_language(&text));
        let title = overrides
            .title
            .clone()
            .or_else(|| extracted.title.clone())
            .unwrap_or_else(|| {
                Path::new(name)
                    .file_stem()
                    .map(|s| s.to_string_lossy().into_owned())
                    .unwrap_or_else(|| name.to_string())
            });
        // A preferred id (a QDA source's GUID) is kept when it is still free.
        let id = match &overrides.id {
            Some(id) if self.core.store.read(|c| articles::get(c, id))?.is_none() => id.clone(),
            _ => new_id(),
        };
        self.keep_source(&sha, bytes)?;
        let article = Article {
            id,
            title,
            author: overrides
                .author
                .clone()
                .or_else(|| extracted.author.clone()),
            source_url: overrides
                .source_url
                .clone()
                .or_else(|| extracted.source_url.clone()),
            published: overrides
                .published
                .clone()
                .or_else(|| extracted.published.clone()),
            language,
            imported_at: now(),
            sha256: sha.clone(),
            text_sha256: hex::encode(Sha256::digest(text.as_bytes())),
            original_name: name.to_string(),
            media_type: extracted.media_type.clone(),
            parser: extracted.parser.clone(),
            page_starts: extracted.page_starts(),
            text,
        };
        match self.core.store.write(|c| articles::insert(c, &article)) {
            Ok(()) => {}
            // Another process imported the same bytes between our check and insert.
            Err(e) if e.code == ErrorCode::Conflict => {
                if let Some(existing) = self.core.store.read(|c| articles::id_by_sha256(c, &sha))? {
                    return self.duplicate(name, &existing);
                }
                return Err(e);
            }
            Err(e) => return Err(e),
        }
        self.nudge();
        Ok(ImportOutcome {
            path: name.to_string(),
            status: ImportStatus::Imported,
            id: Some(article.id),
            title: Some(article.title),
            language: Some(article.language),
            error: None,
            summary: None,
        })
    }

    fn duplicate(&self, name: &str, id: &str) -> Result<ImportOutcome> {
        let a = self.article(id)?;
        Ok(ImportOutcome {
            path: name.to_string(),
            status: ImportStatus::Duplicate,
            id: Some(a.id),
            title: Some(a.title),
            language: Some(a.language),
            error: None,
            summary: None,
        })
    }

    fn keep_source(&self, sha: &str, bytes: &[u8]) -> Result<()> {
        let dir = self.core.dir.join(SOURCES_DIR);
        let target = dir.join(sha);
        if target.exists() {
            return Ok(());
        }
        let tmp = dir.join(format!(".{sha}.{}.tmp", std::process::id()));
        std::fs::write(&tmp, bytes).map_err(|e| Error::io("saving the original file", e))?;
        std::fs::rename(&tmp, &target).map_err(|e| Error::io("saving the original file", e))
    }
}

fn failed(path: &Path, e: &Error) -> ImportOutcome {
    ImportOutcome {
        path: path.display().to_string(),
        status: ImportStatus::Failed,
        id: None,
        title: None,
        language: None,
        error: Some(e.message.clone()),
        summary: None,
    }
}

fn read_file(path: &Path) -> Result<Vec<u8>> {
    let file = std::fs::File::open(path)
        .map_err(|e| Error::io(format!("cannot read '{}'", path.display()), e))?;
    let len = file.metadata().map(|m| m.len()).unwrap_or(0);
    if len > MAX_FILE_BYTES {
        return Err(Error::new(
            ErrorCode::Unsupported,
            format!(
                "'{}' is {} MB; files over {} MB are not imported",
                path.display(),
                len >> 20,
                MAX_FILE_BYTES >> 20
            ),
        ));
    }
    let mut bytes = Vec::with_capacity(len as usize);
    // `take` guards against a file that grows while we read it.
    file.take(MAX_FILE_BYTES + 1)
        .read_to_end(&mut bytes)
        .map_err(|e| Error::io(format!("cannot read '{}'", path.display()), e))?;
    Ok(bytes)
}

fn collect_files(path: &Path, out: &mut Vec<PathBuf>) -> Result<()> {
    let meta = std::fs::metadata(path)
        .map_err(|e| Error::io(format!("cannot read '{}'", path.display()), e))?;
    if meta.is_file() {
        out.push(path.to_path_buf());
        return Ok(());
    }
    let mut entries: Vec<PathBuf> = std::fs::read_dir(path)
        .map_err(|e| Error::io(format!("cannot list '{}'", path.display()), e))?
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| {
            !p.file_name()
                .is_some_and(|n| n.to_string_lossy().starts_with('.'))
        })
        .collect();
    entries.sort();
    for e in entries {
        // Symlinked folders could loop; follow only links to files.
        let is_link = std::fs::symlink_metadata(&e)
            .map(|m| m.file_type().is_symlink())
            .unwrap_or(false);
        if is_link && e.is_dir() {
            continue;
        }
        collect_files(&e, out)?;
    }
    Ok(())
}
