//! The `Notebook` façade: every use case of Dossier as one method.
//!
//! A notebook is a folder (`*.dossier/`) holding `notebook.sqlite` (the truth),
//! `index/` (tantivy, derived, rebuildable) and `sources/<sha256>` (the original
//! files). The CLI and the desktop app call only this crate; neither knows SQL
//! or tantivy. Methods block: the app calls them from `spawn_blocking`.
//!
//! Every mutation goes through the store inside one transaction that also
//! writes an outbox row; the user's changes are logged through the journal
//! helpers of `history` (`logged`, `logged_new`, `logged_step`, `logged_codebook`),
//! which write the change-log row with its outbox row in one store call. A
//! background indexer thread (see `indexer`) drains the outbox into the index
//! shortly after, and `flush_index` drains it now. `commands` declares what the
//! desktop window may call, once.

mod agreement;
mod attributes;
mod backup;
mod check;
mod claims;
mod codebook;
pub mod commands;
mod exporting;
mod glossary;
mod history;
mod importer;
mod indexer;
mod interop;
mod merge;
mod notes;
mod pages;
mod relations;
mod repair;
mod seed;
mod structure;
pub mod suggest;
mod table;
mod team;
mod versions;

use std::path::{Path, PathBuf};
use std::sync::Arc;

use dossier_model::{ArticleSummary, Code, Error, ErrorCode, NotebookInfo, Result};
use dossier_search::SearchIndex;
use dossier_store::{articles, claims as claim_rows, codes, notes as note_rows, Store, Write};

pub use backup::BACKUP_FORMAT;
/// Every binary that imports calls this first in `main`: when the process was
/// started as an extraction child (risky parsers run isolated), it does that
/// work and exits; otherwise it returns at once.
pub use dossier_ingest::sandbox::{serve_if_requested as serve_extraction_child, Heap};
pub use dossier_model as model;
pub use dossier_model::ImportProgress;
pub use exporting::APP_VERSION;
pub use relations::parse_evidence;
pub use repair::BACKUPS_DIR;
pub use seed::DEFAULT_CODEBOOK;

pub const DB_FILE: &str = "notebook.sqlite";
pub const INDEX_DIR: &str = "index";
pub const SOURCES_DIR: &str = "sources";

/// How to open a notebook.
#[derive(Debug, Clone, Copy)]
pub struct OpenOptions {
    /// Run the background indexer thread. Tests turn it off to control exactly
    /// when the outbox is applied; the CLI and the app leave it on.
    pub background_indexer: bool,
    /// When the index must be rebuilt (new schema, unreadable), do it on the
    /// indexer thread and return at once (the app, which shows the progress),
    /// rather than before `open` returns (the CLI, whose next step needs it).
    pub rebuild_in_background: bool,
}

impl Default for OpenOptions {
    fn default() -> Self {
        OpenOptions {
            background_indexer: true,
            rebuild_in_background: false,
        }
    }
}

impl OpenOptions {
    /// What the desktop app uses: the window must never wait for a rebuild.
    pub fn for_app() -> Self {
        OpenOptions {
            background_indexer: true,
            rebuild_in_background: true,
        }
    }
}

pub(crate) struct Core {
    pub dir: PathBuf,
    pub store: Store,
    pub index: SearchIndex,
    /// Serialises catch-up runs so batches are applied in outbox order.
    pub catch_up: std::sync::Mutex<()>,
    /// A rebuild running in the background (schema change, unreadable index).
    pub rebuild: indexer::RebuildProgress,
    /// The table of claims' views (see `table`).
    pub views: std::sync::Mutex<table::Views>,
    /// Originals whose page layout was looked for once in this session and
    /// could not be recorded (see `pages::ensure_layout`): not tried again.
    pub layout_tried: std::sync::Mutex<std::collections::HashSet<String>>,
}

/// An open notebook. Cheap to share behind an `Arc`; all methods take `&self`.
pub struct Notebook {
    core: Arc<Core>,
    worker: Option<indexer::Worker>,
}

/// A notebook is created only in a new or empty folder: opening `~/Documents`
/// by mistake must not fill it with a database, a `sources/` and an `index/`.
fn refuse_foreign_folder(dir: &Path) -> Result<()> {
    if dir.join(DB_FILE).exists() {
        return Ok(());
    }
    match std::fs::read_dir(dir).map(|mut entries| entries.next().is_some()) {
        Ok(true) => Err(Error::new(
            ErrorCode::Conflict,
            format!(
                "'{}' is not a Dossier notebook (it has no {DB_FILE}) and is not empty; \
                 create a notebook in a new or empty folder",
                dir.display()
            ),
        )),
        Ok(false) => Ok(()),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(()),
        Err(e) if e.kind() == std::io::ErrorKind::NotADirectory => Err(Error::new(
            ErrorCode::Conflict,
            format!("'{}' is a file, not a notebook folder", dir.display()),
        )),
        Err(e) => Err(Error::io(format!("reading '{}'", dir.display()), e)),
    }
}

impl Notebook {
    /// The default notebook: `$DOSSIER_NOTEBOOK`, else `Dossier/Default.dossier` in the OS data directory.
    pub fn default_dir() -> PathBuf {
        if let Some(p) = std::env::var_os("DOSSIER_NOTEBOOK").filter(|p| !p.is_empty()) {
            return PathBuf::from(p);
        }
        dirs::data_dir()
            .unwrap_or_else(|| PathBuf::from("."))
            .join("Dossier")
            .join("Default.dossier")
    }

    /// Opens the notebook in `dir`, creating it (with the default codebook) when it does not exist.
    pub fn open(dir: &Path) -> Result<Notebook> {
        Self::open_with(dir, OpenOptions::default())
    }

    pub fn open_with(dir: &Path, options: OpenOptions) -> Result<Notebook> {
        refuse_foreign_folder(dir)?;
        for sub in [dir.to_path_buf(), dir.join(SOURCES_DIR)] {
            std::fs::create_dir_all(&sub)
                .map_err(|e| Error::io(format!("creating {}", sub.display()), e))?;
        }
        let store = Store::open(&dir.join(DB_FILE))?;
        // Original files are named by their hash: a stored hash that is not one
        // (a crafted backup, a hand-edited database) is refused before any path is
        // made from it.
        if let Some(bad) = store.read(articles::malformed_source_hash)? {
            return Err(Error::new(
                ErrorCode::Storage,
                format!(
                    "the notebook's database names an original file '{}' that is not a SHA-256; \
                     it was altered outside Dossier and is not opened",
                    dossier_model::limits::printable(&bad.chars().take(80).collect::<String>())
                ),
            ));
        }
        let (index, fresh) = SearchIndex::open(&dir.join(INDEX_DIR))?;
        let core = Arc::new(Core {
            dir: dir.to_path_buf(),
            store,
            index,
            catch_up: std::sync::Mutex::new(()),
            rebuild: Default::default(),
            views: Default::default(),
            layout_tried: Default::default(),
        });
        // A notebook that never recorded a change is brand new: give it the default
        // codebook. (Counting codes instead would re-seed a codebook the user emptied.)
        let is_new = core.store.read(dossier_store::outbox::last_seq)? == 0;
        if is_new {
            core.store.write(Write::NewNotebook, |c| {
                // The same ids in every notebook: notebooks joining one team share these codes.
                for (path, color, description) in DEFAULT_CODEBOOK {
                    codes::add_with_ids(c, path, color, description, |p| {
                        dossier_store::stable_id(&format!("dossier default code {p}"))
                    })?;
                }
                Ok(())
            })?;
        }
        // A new or discarded index is refilled from SQLite, starting from seq 0.
        // With a background indexer (the app) that happens on its thread, so the
        // window opens at once and shows the progress; searches meanwhile see
        // what is indexed so far. The CLI rebuilds before it goes on.
        let rebuild = fresh && core.index.writable();
        let in_background = options.background_indexer && options.rebuild_in_background;
        if rebuild && !in_background {
            indexer::rebuild(&core, &mut |_, _| {})?;
        }
        let worker = options
            .background_indexer
            .then(|| indexer::Worker::start(core.clone(), rebuild && in_background));
        Ok(Notebook { core, worker })
    }

    /// Creates (or opens) a notebook; with `sample`, adds the sample article, its claims and a note.
    pub fn init(dir: &Path, sample: bool) -> Result<Notebook> {
        Self::init_with(dir, sample, OpenOptions::default())
    }

    pub fn init_with(dir: &Path, sample: bool, options: OpenOptions) -> Result<Notebook> {
        let nb = Self::open_with(dir, options)?;
        if sample {
            seed::seed_sample(&nb)?;
            nb.flush_index()?;
        }
        Ok(nb)
    }

    pub fn dir(&self) -> &Path {
        &self.core.dir
    }

    pub fn info(&self) -> Result<NotebookInfo> {
        let s = &self.core.store;
        Ok(NotebookInfo {
            path: self.core.dir.display().to_string(),
            articles: s.read(articles::count)?,
            claims: s.read(claim_rows::count)?,
            notes: s.read(note_rows::count)?,
            codes: s.read(codes::count)?,
            index_writable: self.core.index.writable(),
        })
    }

    // ---- articles ----

    pub fn articles(&self) -> Result<Vec<ArticleSummary>> {
        self.core.store.read(articles::list)
    }

    pub fn article(&self, id: &str) -> Result<dossier_model::Article> {
        self.core
            .store
            .read(|c| articles::get(c, id))?
            .ok_or_else(|| Error::not_found("article", id))
    }

    /// Corrects an article's language (detection can be wrong on short or mixed
    /// texts). The article and its claims are re-indexed with that language's analysis.
    pub fn set_article_language(&self, id: &str, language: &str) -> Result<dossier_model::Article> {
        let lang = dossier_model::valid_language(language)?;
        let patch = articles::MetadataPatch {
            language: Some(lang),
            ..Default::default()
        };
        if !self.logged(dossier_model::EntityKind::Article, id, "edit", |c| {
            articles::update_metadata(c, id, &patch)
        })? {
            return Err(Error::not_found("article", id));
        }
        self.nudge();
        self.article(id)
    }

    /// Deletes an article with its claims (into the trash: restorable for 30
    /// days; its original file stays in `sources/` until then, and `check
    /// --repair` collects it only after the trash let go of it).
    pub fn delete_article(&self, id: &str) -> Result<()> {
        let deleted = self.logged(dossier_model::EntityKind::Article, id, "delete", |c| {
            articles::delete(c, id)
        })?;
        if !deleted {
            return Err(Error::not_found("article", id));
        }
        self.nudge();
        Ok(())
    }

    // ---- codebook ----

    pub fn codes(&self) -> Result<Vec<Code>> {
        self.core.store.read(codes::list)
    }

    pub fn add_code(&self, path: &str, color: Option<&str>, description: &str) -> Result<Code> {
        let color = color.unwrap_or("#7a7a7a");
        let code = self.logged_codebook(&[path], "add code", |c| {
            codes::add(c, path, color, description)
        })?;
        self.nudge();
        Ok(code)
    }

    pub fn update_code(
        &self,
        path: &str,
        color: Option<&str>,
        description: Option<&str>,
    ) -> Result<Code> {
        let code = self.logged_codebook(&[path], "edit code", |c| {
            codes::set_details(c, path, color, description, None)
        })?;
        self.nudge();
        Ok(code)
    }

    /// Writes a code's memo (Markdown: definition, inclusion and exclusion
    /// rules, examples); an empty text removes it. Undoable like every
    /// codebook change.
    pub fn set_code_memo(&self, path: &str, memo: &str) -> Result<Code> {
        let memo = memo.trim();
        if memo.chars().count() > dossier_model::limits::MAX_MEMO_CHARS {
            return Err(Error::invalid(format!(
                "a memo holds at most {} characters",
                dossier_model::limits::MAX_MEMO_CHARS
            )));
        }
        let code = self.logged_codebook(&[path], "edit memo", |c| {
            codes::set_details(c, path, None, None, Some(memo))
        })?;
        self.nudge();
        Ok(code)
    }

    pub fn rename_code(&self, path: &str, new_name: &str) -> Result<Code> {
        let code =
            self.logged_codebook(&[path], "rename code", |c| codes::rename(c, path, new_name))?;
        self.nudge();
        Ok(code)
    }

    pub fn move_code(&self, path: &str, new_parent: Option<&str>) -> Result<Code> {
        let code = self.logged_codebook(&[path], "move code", |c| {
            codes::move_to(c, path, new_parent)
        })?;
        self.nudge();
        Ok(code)
    }

    /// Merges one code into another: its claims and sub-codes move over, then it is deleted.
    pub fn merge_code(&self, from: &str, into: &str) -> Result<Code> {
        let code = self.logged_codebook(&[from, into], "merge codes", |c| {
            codes::merge(c, from, into)
        })?;
        self.nudge();
        Ok(code)
    }

    /// Deletes a code. With children or claims it is refused unless `force`:
    /// then the code (and its sub-codes) are removed from their claims, which stay.
    pub fn delete_code(&self, path: &str, force: bool) -> Result<()> {
        self.logged_codebook(&[path], "delete code", |c| codes::delete(c, path, force))?;
        self.nudge();
        Ok(())
    }

    // ---- index ----

    /// Applies every pending outbox change to the index now.
    pub fn flush_index(&self) -> Result<()> {
        // The process that held the index writer when this one opened may have exited
        // since (an app closing as the CLI starts): take over then, instead of leaving
        // its changes unindexed until the next open.
        if self.core.index.try_acquire_writer() {
            indexer::catch_up(&self.core)?;
        }
        Ok(())
    }

    /// Whether the index is being rebuilt in the background, and how far it is.
    pub fn index_status(&self) -> dossier_model::IndexStatus {
        self.core.rebuild.status()
    }

    /// Rebuilds the index from SQLite. `progress(done, total)`.
    pub fn reindex(&self, progress: &mut dyn FnMut(usize, usize)) -> Result<usize> {
        indexer::rebuild(&self.core, progress)
    }

    /// Searches the index; note hits carry the articles and claims they link
    /// to (read from SQLite, so they are as fresh as the note).
    pub fn search(
        &self,
        req: &dossier_model::SearchRequest,
    ) -> Result<dossier_model::SearchResults> {
        let store = &self.core.store;
        let text = |id: &str, part: Option<(u32, u32)>| {
            store.read(|c| match part {
                None => articles::text(c, id),
                Some((start, len)) => articles::text_part(c, id, start, len),
            })
        };
        let sets = |f: &dossier_model::attributes::ArticleFilter| {
            self.articles_where(f).map(std::sync::Arc::new)
        };
        let expanded;
        let req = if req.expand {
            expanded = dossier_model::SearchRequest {
                synonyms: self.synonyms()?,
                ..req.clone()
            };
            &expanded
        } else {
            req
        };
        let mut results = self.core.index.search(req, &text, &sets)?;
        let notes: Vec<usize> = (0..results.hits.len())
            .filter(|&i| results.hits[i].kind == dossier_model::Kind::Note)
            .collect();
        if !notes.is_empty() {
            self.core.store.read(|c| {
                for i in notes {
                    if let Some(n) = note_rows::get(c, &results.hits[i].id)? {
                        results.hits[i].links = n.links;
                    }
                }
                Ok(())
            })?;
        }
        Ok(results)
    }

    pub fn check(&self) -> Result<dossier_model::CheckReport> {
        check::run(&self.core)
    }

    /// Removes one document from the index without touching SQLite: only for
    /// tests and the reliability harness, to prove that `check` notices.
    #[doc(hidden)]
    pub fn corrupt_index_for_test(&self, kind: dossier_model::Kind, id: &str) -> Result<()> {
        let seq = self.core.index.applied_seq()?;
        self.core.index.apply(
            vec![dossier_search::IndexOp::Delete {
                kind,
                id: id.to_string(),
            }],
            seq,
        )
    }

    fn nudge(&self) {
        if let Some(w) = &self.worker {
            w.nudge();
        }
    }
}

impl Drop for Notebook {
    fn drop(&mut self) {
        if let Some(w) = self.worker.take() {
            w.stop();
        }
    }
}
