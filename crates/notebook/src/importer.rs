//! Importing files: keep the original bytes by hash, extract, store.
//!
//! Order matters for "nothing lost, nothing half-written": the original file is
//! written to `sources/<sha256>` first (temp file + rename, so it is whole or
//! absent), then the article row and its outbox row in one transaction. A crash
//! in between leaves at worst an unreferenced source file, never a row without
//! its file.

use std::io::Read;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::mpsc;
use std::time::{Duration, Instant};

use dossier_ingest::MAX_FILE_BYTES;
use dossier_model::{
    Article, Error, ErrorCode, ImportOutcome, ImportProgress, ImportStatus, LanguageShare,
    PageGeometry, Result,
};
use dossier_store::{articles, new_id, now, Write};
use sha2::{Digest, Sha256};

use crate::Notebook;

/// Metadata an importer knows better than the file's extractor; `None` keeps the extracted value.
#[derive(Debug, Clone, Default)]
pub(crate) struct ArticleOverrides {
    pub id: Option<String>,
    pub title: Option<String>,
    pub author: Option<String>,
    pub source_url: Option<String>,
    pub published: Option<String>,
}

/// Files of one bulk import written per transaction: few enough to show
/// progress, many enough that SQLite's commit cost is shared.
const BATCH: usize = 32;

/// A file read and extracted by a worker, ready for the writer.
enum Prepared {
    /// A new article: its original bytes and what the extractor made of them.
    Article {
        name: String,
        sha: String,
        bytes: Vec<u8>,
        extracted: Box<dossier_ingest::Extracted>,
    },
    /// A REFI-QDA project, annotations or references: imported by the writer itself.
    Interchange {
        name: String,
        bytes: Vec<u8>,
    },
    Duplicate {
        id: String,
    },
    Failed(Error),
}

impl Notebook {
    /// Imports files and folders (recursively; hidden entries skipped). One
    /// outcome per file, in a stable order; a failing file never stops the
    /// rest. Reading and extracting run on all cores; the articles are written
    /// in batches of `BATCH` per transaction. Cancelling keeps what is done.
    pub fn import_paths(
        &self,
        paths: &[PathBuf],
        cancel: &AtomicBool,
        progress: &mut dyn FnMut(&ImportProgress),
    ) -> Result<Vec<ImportOutcome>> {
        let mut collected = Collected::default();
        let mut early = Vec::new();
        for p in paths {
            if let Err(e) = collect_files(p, &mut collected) {
                early.push(failed(p, &e));
            }
        }
        early.extend(collected.skipped.iter().map(|(p, why)| ImportOutcome {
            status: ImportStatus::Skipped,
            ..failed(p, &Error::invalid(why.clone()))
        }));
        let files = collected.files;
        let sizes: Vec<u64> = files
            .iter()
            .map(|f| std::fs::metadata(f).map(|m| m.len()).unwrap_or(0))
            .collect();
        let total = files.len();
        let bytes_total: u64 = sizes.iter().sum();
        let started = Instant::now();
        let mut outcomes: Vec<Option<ImportOutcome>> = vec![None; total];
        let mut bytes_done = 0u64;
        let mut done = 0usize;
        let workers = std::thread::available_parallelism()
            .map_or(2, |n| n.get())
            .clamp(1, 4)
            .min(total.max(1));
        let next = AtomicUsize::new(0);
        let (tx, rx) = mpsc::sync_channel::<(usize, Prepared)>(workers * 2);
        let result = std::thread::scope(|scope| -> Result<()> {
            for _ in 0..workers {
                let tx = tx.clone();
                let (next, files) = (&next, &files);
                scope.spawn(move || loop {
                    let i = next.fetch_add(1, Ordering::Relaxed);
                    if i >= files.len() || cancel.load(Ordering::Relaxed) {
                        break;
                    }
                    if tx.send((i, self.prepare(&files[i]))).is_err() {
                        break;
                    }
                });
            }
            drop(tx);
            let mut batch: Vec<(usize, Ready)> = Vec::new();
            // Files that were in the batch until an earlier file with the same bytes
            // took their place: `(later, earlier)`, answered once the batch is written.
            let mut moved: Vec<(usize, usize)> = Vec::new();
            let mut last_flush = Instant::now();
            for (i, prepared) in rx {
                let path = files[i].display().to_string();
                match prepared {
                    Prepared::Article {
                        name,
                        sha,
                        bytes,
                        extracted,
                    } => {
                        // The same bytes twice in one batch: the file later in the
                        // import's order is the duplicate, whichever was read first.
                        let twin = batch.iter().position(|(_, r)| r.article.sha256 == sha);
                        if let Some(pos) = twin.filter(|&pos| batch[pos].0 < i) {
                            outcomes[i] = Some(outcome(
                                &path,
                                ImportStatus::Duplicate,
                                &batch[pos].1.article,
                            ));
                        } else if let Some(pos) = twin {
                            let article =
                                article_from(&name, sha, &extracted, &ArticleOverrides::default());
                            match self.keep_files(&bytes, &extracted, article) {
                                Ok(ready) => {
                                    let (later, _) = std::mem::replace(&mut batch[pos], (i, ready));
                                    moved.push((later, i));
                                }
                                Err(e) => outcomes[i] = Some(failed(&files[i], &e)),
                            }
                        } else {
                            let article =
                                article_from(&name, sha, &extracted, &ArticleOverrides::default());
                            match self.keep_files(&bytes, &extracted, article) {
                                Ok(ready) => batch.push((i, ready)),
                                Err(e) => outcomes[i] = Some(failed(&files[i], &e)),
                            }
                        }
                    }
                    Prepared::Interchange { name, bytes } => {
                        let o = match self.import_interchange(&name, &bytes) {
                            Ok(Some(o)) => o,
                            Ok(None) => failed_msg(&path, "not an interchange file"),
                            Err(e) => failed(&files[i], &e),
                        };
                        outcomes[i] = Some(ImportOutcome {
                            path: path.clone(),
                            ..o
                        });
                    }
                    Prepared::Duplicate { id } => {
                        outcomes[i] = Some(match self.article(&id) {
                            Ok(a) => outcome(&path, ImportStatus::Duplicate, &a),
                            Err(e) => failed(&files[i], &e),
                        });
                    }
                    Prepared::Failed(e) => outcomes[i] = Some(failed(&files[i], &e)),
                }
                if batch.len() >= BATCH || last_flush.elapsed() > Duration::from_millis(500) {
                    self.write_batch(&mut batch, &files, &mut outcomes);
                    as_duplicates(&mut moved, &files, &mut outcomes);
                    last_flush = Instant::now();
                }
                done += 1;
                bytes_done += sizes[i];
                progress(&ImportProgress {
                    done: done as u32,
                    total: total as u32,
                    current: path,
                    bytes_done,
                    bytes_total,
                    elapsed_ms: started.elapsed().as_millis() as u64,
                });
            }
            self.write_batch(&mut batch, &files, &mut outcomes);
            as_duplicates(&mut moved, &files, &mut outcomes);
            Ok(())
        });
        result?;
        self.nudge();
        if cancel.load(Ordering::Relaxed) && done < total {
            return Err(Error::new(
                ErrorCode::Cancelled,
                format!("import cancelled after {done} of {total} files; those are kept"),
            ));
        }
        early.extend(outcomes.into_iter().flatten());
        self.suggest_versions(&mut early)?;
        Ok(early)
    }

    /// A newly imported article saved from the same address as one already in
    /// the notebook is probably its new version: say so, so the analyst can
    /// carry the claims over (`carry_claims`).
    fn suggest_versions(&self, outcomes: &mut [ImportOutcome]) -> Result<()> {
        self.core.store.read(|c| {
            for o in outcomes
                .iter_mut()
                .filter(|o| o.status == ImportStatus::Imported)
            {
                if let Some(id) = &o.id {
                    o.replaces_candidate = articles::version_candidate(c, id)?;
                }
            }
            Ok(())
        })
    }

    /// Reads, hashes and extracts one file (on a worker thread).
    fn prepare(&self, file: &Path) -> Prepared {
        let bytes = match read_file(file) {
            Ok(b) => b,
            Err(e) => return Prepared::Failed(e),
        };
        // The full path is the provenance an analyst can go back to.
        let name = file.display().to_string();
        if crate::interop::is_interchange(&name) {
            return Prepared::Interchange { name, bytes };
        }
        let sha = hex::encode(Sha256::digest(&bytes));
        match self.core.store.read(|c| articles::id_by_sha256(c, &sha)) {
            Ok(Some(id)) => return Prepared::Duplicate { id },
            Ok(None) => {}
            Err(e) => return Prepared::Failed(e),
        }
        match dossier_ingest::extract_file(&bytes, file) {
            Ok(x) => Prepared::Article {
                name,
                sha,
                bytes,
                extracted: Box::new(x),
            },
            Err(e) => Prepared::Failed(e),
        }
    }

    /// Inserts a batch of articles in one transaction. Should the batch fail
    /// (another process imported one of the files meanwhile), each article is
    /// retried alone so that one conflict does not cost the others.
    fn write_batch(
        &self,
        batch: &mut Vec<(usize, Ready)>,
        files: &[PathBuf],
        outcomes: &mut [Option<ImportOutcome>],
    ) {
        if batch.is_empty() {
            return;
        }
        let items = std::mem::take(batch);
        let all = self.core.store.write(Write::NewArticles, |c| {
            for (_, r) in &items {
                insert_article(c, r)?;
            }
            Ok(())
        });
        for (i, r) in &items {
            let a = &r.article;
            let path = files[*i].display().to_string();
            let single = match &all {
                Ok(()) => Ok(()),
                Err(_) => self
                    .core
                    .store
                    .write(Write::NewArticles, |c| insert_article(c, r)),
            };
            outcomes[*i] = Some(match single {
                Ok(()) => imported(&path, r),
                Err(e) if e.code == ErrorCode::Conflict => {
                    match self
                        .core
                        .store
                        .read(|c| articles::id_by_sha256(c, &a.sha256))
                    {
                        Ok(Some(id)) => match self.article(&id) {
                            Ok(existing) => outcome(&path, ImportStatus::Duplicate, &existing),
                            Err(e) => failed(&files[*i], &e),
                        },
                        _ => failed(&files[*i], &e),
                    }
                }
                Err(e) => failed(&files[*i], &e),
            });
        }
        self.nudge();
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
        let mut article = article_from(name, sha.clone(), &extracted, overrides);
        // A preferred id (a QDA source's GUID) is kept when it is still free.
        if let Some(id) = &overrides.id {
            if self.core.store.read(|c| articles::get(c, id))?.is_none() {
                article.id = id.clone();
            }
        }
        let ready = self.keep_files(bytes, &extracted, article)?;
        match self
            .core
            .store
            .write(Write::NewArticles, |c| insert_article(c, &ready))
        {
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
        Ok(imported(name, &ready))
    }

    fn duplicate(&self, name: &str, id: &str) -> Result<ImportOutcome> {
        let a = self.article(id)?;
        Ok(outcome(name, ImportStatus::Duplicate, &a))
    }

    /// Keeps the original and its figures' images under `sources/` (before
    /// the article's row is written: a row never names a missing file).
    fn keep_files(
        &self,
        bytes: &[u8],
        extracted: &dossier_ingest::Extracted,
        article: Article,
    ) -> Result<Ready> {
        self.keep_source(&article.sha256, bytes)?;
        for image in &extracted.images {
            self.keep_source(&image.sha256, &image.bytes)?;
        }
        Ok(Ready {
            article,
            geometry: extracted.geometry.clone(),
            blocks: extracted.structure(),
            notes: extracted.notes.clone(),
        })
    }

    fn keep_source(&self, sha: &str, bytes: &[u8]) -> Result<()> {
        crate::structure::keep_file(&self.core.dir, sha, bytes)
    }
}

/// An article ready to be written: its row and what its original gives
/// beside the text, the files already kept.
struct Ready {
    article: Article,
    /// For a PDF, where its words sit on its pages.
    geometry: Vec<PageGeometry>,
    /// The text's blocks: headings, paragraphs, tables, figures.
    blocks: Vec<dossier_model::blocks::Block>,
    /// What the original held that could not be kept (images).
    notes: Vec<String>,
}

/// An article's row, its pages' layout and its text's blocks, in one transaction.
fn insert_article(c: &dossier_store::Connection, r: &Ready) -> Result<()> {
    let a = &r.article;
    articles::insert(c, a)?;
    dossier_store::layout::put(c, &a.sha256, &r.geometry)?;
    dossier_store::structure::put(c, &a.sha256, &a.text_sha256, &r.blocks)?;
    dossier_store::journal::feed(c, dossier_model::EntityKind::Article.as_str(), &a.id)
}

/// Each later file of a pair with the same bytes gets the earlier one's
/// outcome as a duplicate (or its failure).
fn as_duplicates(
    moved: &mut Vec<(usize, usize)>,
    files: &[PathBuf],
    outcomes: &mut [Option<ImportOutcome>],
) {
    for (later, earlier) in moved.drain(..) {
        let path = files[later].display().to_string();
        outcomes[later] = outcomes[earlier].clone().map(|o| match o.status {
            ImportStatus::Failed => ImportOutcome { path, ..o },
            _ => ImportOutcome {
                path,
                status: ImportStatus::Duplicate,
                replaces_candidate: None,
                ..o
            },
        });
    }
}

/// The outcome of a new article, with what could not be kept of it.
fn imported(path: &str, r: &Ready) -> ImportOutcome {
    let mut o = outcome(path, ImportStatus::Imported, &r.article);
    o.warnings.extend(r.notes.iter().cloned());
    o
}

/// The article row for extracted text; `overrides` win over the extractor.
pub(crate) fn article_from(
    name: &str,
    sha: String,
    extracted: &dossier_ingest::Extracted,
    overrides: &ArticleOverrides,
) -> Article {
    let text = extracted.canonical_text();
    let (language, mix) =
        dossier_ingest::languages_for(&text, extracted.declared_language.as_deref());
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
    let pick = |o: &Option<String>, e: &Option<String>| o.clone().or_else(|| e.clone());
    Article {
        id: new_id(),
        title,
        author: pick(&overrides.author, &extracted.author),
        source_url: pick(&overrides.source_url, &extracted.source_url),
        // Stored as an ISO date when it is one (`dates::normalize`), else as written.
        published: pick(&overrides.published, &extracted.published)
            .as_deref()
            .and_then(dossier_model::dates::normalize),
        language,
        imported_at: now(),
        sha256: sha,
        text_sha256: hex::encode(Sha256::digest(text.as_bytes())),
        original_name: name.to_string(),
        media_type: extracted.media_type.clone(),
        parser: extracted.parser.clone(),
        page_starts: extracted.page_starts(),
        pages: extracted.pages.clone(),
        // Three decimals are all a share says; the stored JSON stays short.
        languages: mix
            .shares
            .into_iter()
            .map(|l| LanguageShare {
                share: (l.share * 1000.0).round() / 1000.0,
                ..l
            })
            .collect(),
        text,
    }
}

fn outcome(path: &str, status: ImportStatus, a: &Article) -> ImportOutcome {
    ImportOutcome {
        path: path.to_string(),
        status,
        id: Some(a.id.clone()),
        title: Some(a.title.clone()),
        language: Some(a.language.clone()),
        error: None,
        summary: None,
        replaces_candidate: None,
        warnings: a.reading_warnings(),
    }
}

fn failed_msg(path: &str, message: &str) -> ImportOutcome {
    ImportOutcome {
        path: path.to_string(),
        status: ImportStatus::Failed,
        id: None,
        title: None,
        language: None,
        error: Some(message.to_string()),
        summary: None,
        replaces_candidate: None,
        warnings: Vec::new(),
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
        replaces_candidate: None,
        warnings: Vec::new(),
    }
}

fn read_file(path: &Path) -> Result<Vec<u8>> {
    // Checked again right before opening: opening a FIFO would block the import.
    if !std::fs::metadata(path).is_ok_and(|m| m.is_file()) {
        return Err(Error::new(
            ErrorCode::Unsupported,
            format!("'{}' is not a regular file; not opened", path.display()),
        ));
    }
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

/// Deepest folder level an import descends to.
pub const MAX_FOLDER_DEPTH: usize = 64;
/// Most files one import collects (the rest are reported, not read).
pub const MAX_FILES: usize = 1_000_000;

const NOT_A_FILE: &str = "not a regular file (a FIFO, device or socket); not opened";

/// What `collect_files` found: files to read and entries it did not open.
#[derive(Default)]
struct Collected {
    files: Vec<PathBuf>,
    skipped: Vec<(PathBuf, String)>,
}

/// Collects the regular files under `path`. The symlink policy: a path the user
/// named is followed (they chose it); inside a folder, a link is followed only to
/// a regular file inside that folder, never to a folder (loops) or out of it.
/// FIFOs, devices and sockets are never opened (a FIFO would block the import).
/// Every entry not taken gets an outcome saying why; one odd entry never stops the rest.
fn collect_files(path: &Path, out: &mut Collected) -> Result<()> {
    let meta = std::fs::metadata(path)
        .map_err(|e| Error::io(format!("cannot read '{}'", path.display()), e))?;
    if meta.is_file() {
        out.files.push(path.to_path_buf());
        return Ok(());
    }
    if !meta.is_dir() {
        out.skipped.push((path.to_path_buf(), NOT_A_FILE.into()));
        return Ok(());
    }
    let root = std::fs::canonicalize(path)
        .map_err(|e| Error::io(format!("cannot read '{}'", path.display()), e))?;
    // An explicit stack, not recursion: depth is bounded and reported.
    let mut stack = vec![(path.to_path_buf(), 0usize)];
    while let Some((dir, depth)) = stack.pop() {
        let listing = match std::fs::read_dir(&dir) {
            Ok(l) => l,
            Err(e) => {
                out.skipped
                    .push((dir.clone(), format!("cannot list this folder: {e}")));
                continue;
            }
        };
        let mut entries: Vec<PathBuf> = listing
            .filter_map(|e| e.ok().map(|e| e.path()))
            .filter(|p| {
                !p.file_name()
                    .is_some_and(|n| n.to_string_lossy().starts_with('.'))
            })
            .collect();
        entries.sort();
        let mut subfolders = Vec::new();
        for e in entries {
            if out.files.len() >= MAX_FILES {
                out.skipped.push((
                    e,
                    format!(
                        "more than {MAX_FILES} files in one import; import the rest separately"
                    ),
                ));
                return Ok(());
            }
            let Ok(link_meta) = std::fs::symlink_metadata(&e) else {
                out.skipped
                    .push((e, "vanished while the folder was read".into()));
                continue;
            };
            let ft = link_meta.file_type();
            if ft.is_dir() {
                if depth + 1 >= MAX_FOLDER_DEPTH {
                    out.skipped.push((
                        e,
                        format!(
                            "folders nested deeper than {MAX_FOLDER_DEPTH} levels are not entered"
                        ),
                    ));
                } else {
                    subfolders.push(e);
                }
            } else if ft.is_file() {
                out.files.push(e);
            } else if ft.is_symlink() {
                match std::fs::metadata(&e) {
                    Err(_) => out
                        .skipped
                        .push((e, "a link to nothing (dangling); skipped".into())),
                    Ok(m) if m.is_dir() => out.skipped.push((
                        e,
                        "a link to a folder; links to folders are not followed".into(),
                    )),
                    Ok(m) if !m.is_file() => out.skipped.push((
                        e,
                        "a link to something that is not a regular file; not opened".into(),
                    )),
                    Ok(_) => match std::fs::canonicalize(&e) {
                        Ok(target) if target.starts_with(&root) => out.files.push(e),
                        _ => out.skipped.push((
                            e,
                            "a link to a file outside the chosen folder; not followed".into(),
                        )),
                    },
                }
            } else {
                out.skipped.push((e, NOT_A_FILE.into()));
            }
        }
        // Depth first, in name order (the stack pops the last pushed first).
        for sub in subfolders.into_iter().rev() {
            stack.push((sub, depth + 1));
        }
    }
    Ok(())
}
