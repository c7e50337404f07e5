//! Opening the index, applying batches, searching.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex, RwLock};

use dossier_model::{Error, ErrorCode, Kind, Result, SearchHit, SearchRequest, SearchResults};
use tantivy::collector::{Count, DocSetCollector, TopDocs};
use tantivy::indexer::{LogMergePolicy, MergePolicy, NoMergePolicy};
use tantivy::postings::{Postings, TermInfo};
use tantivy::query::AllQuery;
use tantivy::schema::{IndexRecordOption, Value};
use tantivy::{
    doc, DocAddress, DocSet, Index, IndexReader, IndexWriter, ReloadPolicy, Searcher,
    TantivyDocument, TantivyError, Term,
};

use crate::analysis::{
    slot_offset, CjkChars, CjkWords, Family, Mode, ReversedGerman, SLOT_MARK_EVERY,
};
use crate::document::{self, key, IndexDoc};
use crate::facets::FacetCollector;
use crate::query::{ArticleSets, Highlight};
use crate::schema::{self, Fields, INDEX_VERSION};
use crate::snippet::Start;
use crate::{query, snippet};
use dossier_model::attributes::ArticleFilter;
use tantivy::tokenizer::TextAnalyzer;

/// Per (segment, analysis family): the terms snippets are placed by.
type TermCache = HashMap<(u32, usize), Vec<(TermInfo, usize)>>;

/// Reads an article's canonical text for snippets: all of it (`None`), or
/// `Some((start, len))` code points of it.
pub type ArticleText<'a> = &'a dyn Fn(&str, Option<(u32, u32)>) -> Result<Option<String>>;

/// One step of a batch: make the document for `(kind, id)` exactly this, or absent.
#[derive(Debug, Clone, PartialEq)]
pub enum IndexOp {
    Upsert(Box<IndexDoc>),
    Delete { kind: Kind, id: String },
}

const VERSION_FILE: &str = "dossier-index-version";
/// Memory for the writer's in-RAM segments. 48 MB keeps bulk import well under
/// the 300 MB budget while producing segments large enough to merge cheaply.
const WRITER_MEMORY: usize = 48_000_000;
/// Memory for a rebuild's writer, shared by its indexing threads: a rebuild into
/// an empty folder is one long bulk load, and bigger segments mean fewer merges.
const REBUILD_MEMORY: usize = 160_000_000;
/// Indexing threads of a rebuild (the analysers run on them) at most.
const REBUILD_THREADS: usize = 4;
/// An empty index filled in place is committed this often, so searches see it fill up.
const IN_PLACE_COMMIT_EVERY: usize = 65_536;
/// Generation numbers are small: a rebuild takes the next one.
const MAX_GENERATION: u32 = 999_999;

/// One complete index folder: Dossier's version marker and a tantivy index.
struct Generation {
    /// 0 is the base folder itself (`index/`), n > 0 the folder `index-n/` beside it.
    number: u32,
    dir: PathBuf,
    index: Index,
    reader: IndexReader,
}

/// The search index of a notebook.
///
/// The index lives in generations: the base folder (`index/`) or a numbered one
/// beside it (`index-3/`), named by a small file beside them (`index.live`) that is
/// replaced atomically. A rebuild fills a new generation while the live one keeps
/// answering searches, and swaps it in only when it is complete (`begin_rebuild`,
/// `finish_rebuild`); a crash before the swap leaves the old generation live and the
/// unfinished one to be removed. Other processes that have the notebook open follow
/// the swap (`follow`).
pub struct SearchIndex {
    base: PathBuf,
    live: RwLock<Arc<Generation>>,
    /// The schema this version writes (an index of another is rebuilt).
    schema: tantivy::schema::Schema,
    fields: Fields,
    /// `None` when another process holds tantivy's writer lock: we still search,
    /// and that process indexes what we write to the outbox. The writer always
    /// belongs to the live generation.
    writer: Mutex<Option<IndexWriter>>,
    /// Old generations that could not be removed yet (on Windows a folder
    /// something still reads cannot be): `sweep` tries again.
    leftovers: Mutex<Vec<PathBuf>>,
}

/// A rebuild in progress: a new generation being filled beside the live one.
pub struct Rebuild {
    number: u32,
    dir: PathBuf,
    index: Index,
    writer: IndexWriter,
    added: usize,
    /// Filling the live index itself (it was empty).
    in_place: bool,
    /// The live generation's writer lock, held instead of its writer while the
    /// rebuild runs (nothing is applied to it meanwhile; its threads and memory
    /// are not needed), so that no other process takes it over.
    _live_lock: Option<tantivy::directory::DirectoryLock>,
}

impl Rebuild {
    /// Whether the live index itself is being filled (it was empty), rather than
    /// a new one beside it that answers nothing until it is swapped in.
    pub fn in_place(&self) -> bool {
        self.in_place
    }

    /// The folder being filled.
    pub fn dir(&self) -> &Path {
        &self.dir
    }
}

/// Commits what `writer` holds with `upto` as the applied outbox sequence.
fn commit_with(writer: &mut IndexWriter, upto: i64) -> tantivy::Result<()> {
    let payload = Payload {
        seq: upto,
        version: INDEX_VERSION.to_string(),
    };
    let mut prepared = writer.prepare_commit()?;
    prepared.set_payload(&serde_json::to_string(&payload).unwrap_or_default());
    prepared.commit()?;
    Ok(())
}

/// Windows refuses for a moment to replace or create a file while another
/// handle has it (or a just-deleted file of that name) open — "Access denied",
/// "sharing violation"; elsewhere that error is not transient.
fn refusal(io: &std::io::Error) -> bool {
    cfg!(windows)
        && (io.kind() == std::io::ErrorKind::PermissionDenied || io.raw_os_error() == Some(32))
}

/// Whether `e` is such a refusal, wherever tantivy wrapped the io error: a
/// new segment file is opened in a worker and reported as an open-for-write
/// error (seen under Wine: "Failed to open file for write … Access denied" on
/// a `.term` file while another process searched).
fn refused_for_a_moment(e: &TantivyError) -> bool {
    use tantivy::directory::error::{OpenReadError, OpenWriteError};
    match e {
        TantivyError::IoError(io)
        | TantivyError::OpenWriteError(OpenWriteError::IoError { io_error: io, .. })
        | TantivyError::OpenReadError(OpenReadError::IoError { io_error: io, .. }) => refusal(io),
        _ => false,
    }
}

/// `commit_with` for a rebuild, which has no later batch to try again with:
/// while Windows refuses for a moment to replace meta.json (a reader has it
/// open — seen under Wine as "Access denied" when a new notebook's empty index
/// was filled in place), it waits and commits again; a writer takes a commit
/// after a failed one when every segment was written. Only that refusal — a
/// plain io error, from the last step of the commit — is tried again: a
/// refused segment file fails in an indexing worker whose documents are gone
/// with it, and committing again would leave them out, so that ends the
/// rebuild (the everyday path replays its batch from the outbox instead).
fn commit_rebuild(writer: &mut IndexWriter, upto: i64) -> tantivy::Result<()> {
    let mut tries = 0u64;
    loop {
        match commit_with(writer, upto) {
            Err(TantivyError::IoError(io)) if refusal(&io) && tries < 20 => {
                tries += 1;
                std::thread::sleep(std::time::Duration::from_millis(25 * tries));
            }
            done => return done,
        }
    }
}

fn index_err(context: &str, e: TantivyError) -> Error {
    Error::new(ErrorCode::Index, format!("search index: {context}: {e}"))
}

/// Takes tantivy's writer lock and clears what a process killed mid-commit left behind:
/// files no commit references (segments, deletes named by opstamp). Replaying that
/// process's batch reaches the same opstamps, and tantivy refuses to create a delete
/// file whose name exists ("FileAlreadyExists", seen in the app crash harness).
fn open_writer(index: &Index) -> tantivy::Result<IndexWriter> {
    let writer = index.writer_with_num_threads(1, WRITER_MEMORY)?;
    // Segments are merged by `merge_segments`, between commits, never beside one.
    writer.set_merge_policy(Box::new(NoMergePolicy));
    if let Err(e) = writer.garbage_collect_files().wait() {
        // Not fatal: the commit that needs a colliding name fails, rolls back and retries.
        eprintln!("dossier: clearing files left by an interrupted index commit: {e}");
    }
    Ok(writer)
}

/// Whether `dir` is a folder Dossier made for an index (it holds the version marker
/// that every index folder Dossier creates gets before anything else) or an empty one.
fn is_own_index(dir: &Path) -> bool {
    let marker = std::fs::symlink_metadata(dir.join(VERSION_FILE))
        .map(|m| m.is_file())
        .unwrap_or(false);
    let is_dir = std::fs::symlink_metadata(dir)
        .map(|m| m.is_dir())
        .unwrap_or(false);
    is_dir
        && (marker
            || std::fs::read_dir(dir)
                .map(|mut d| d.next().is_none())
                .unwrap_or(false))
}

/// Removes an index folder that Dossier made, or an empty one. Anything else is
/// someone's folder: it is refused, never deleted.
fn discard_own_index(dir: &Path) -> Result<()> {
    match std::fs::symlink_metadata(dir) {
        Ok(_) => {}
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(()),
        Err(e) => return Err(Error::io(format!("reading {}", dir.display()), e)),
    };
    if !is_own_index(dir) {
        return Err(Error::new(
            ErrorCode::Conflict,
            format!(
                "'{}' is in the way of the search index and was not made by Dossier (it has no {VERSION_FILE}); \
                 Dossier deletes only what it created — move it elsewhere and open the notebook again",
                dir.display()
            ),
        ));
    }
    std::fs::remove_dir_all(dir).map_err(|e| Error::io(format!("removing {}", dir.display()), e))
}

/// Removes an old generation's folder; whether it is gone. Windows refuses for
/// a moment while a handle on one of its files is being closed (tantivy's
/// meta.json watcher thread, a reader another thread just dropped), so there it
/// is tried a few times over about half a second.
fn remove_folder(dir: &Path) -> bool {
    let tries = if cfg!(windows) { 5 } else { 1 };
    for n in 1..=tries {
        if std::fs::remove_dir_all(dir).is_ok() || !dir.exists() {
            return true;
        }
        if n < tries {
            std::thread::sleep(std::time::Duration::from_millis(20 << n));
        }
    }
    false
}

/// `<base><suffix>`, beside the base folder.
fn beside(base: &Path, suffix: &str) -> PathBuf {
    let mut name = base.file_name().unwrap_or_default().to_os_string();
    name.push(suffix);
    base.with_file_name(name)
}

/// The folder of generation `n`: the base folder for 0, `<base>-<n>` beside it otherwise.
fn generation_dir(base: &Path, n: u32) -> PathBuf {
    if n == 0 {
        return base.to_path_buf();
    }
    beside(base, &format!("-{n}"))
}

/// The generation number a folder name stands for, if it is one of `base`'s.
fn generation_of(base: &Path, name: &str) -> Option<u32> {
    let stem = base.file_name()?.to_str()?;
    if name == stem {
        return Some(0);
    }
    let digits = name.strip_prefix(stem)?.strip_prefix('-')?;
    if digits.is_empty() || digits.len() > 6 || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    digits
        .parse()
        .ok()
        .filter(|n| (1..=MAX_GENERATION).contains(n))
}

/// The file naming the live generation: `<base>.live`.
fn live_file(base: &Path) -> PathBuf {
    beside(base, ".live")
}

/// Where the next `<base>.live` is written before it is renamed over the old one.
fn live_file_draft(base: &Path) -> PathBuf {
    beside(base, ".live.tmp")
}

/// The live generation's number: what `<base>.live` names, or 0 (the base folder)
/// when there is no such file or it does not name one of ours. At most a line of
/// it is read: a folder name is short, and the file is not trusted to be.
fn read_live(base: &Path) -> u32 {
    use std::io::Read as _;
    let mut head = String::new();
    std::fs::File::open(live_file(base))
        .and_then(|f| f.take(64).read_to_string(&mut head))
        .ok()
        .and_then(|_| generation_of(base, head.trim()))
        .unwrap_or(0)
}

/// Names generation `n` live: written beside, flushed, then renamed over the old
/// name, so a reader sees the old name or the new one, never a torn one.
fn write_live(base: &Path, n: u32) -> Result<()> {
    use std::io::Write as _;
    let target = live_file(base);
    let tmp = live_file_draft(base);
    let name = generation_dir(base, n)
        .file_name()
        .unwrap_or_default()
        .to_string_lossy()
        .into_owned();
    let io = |e| Error::io("naming the new search index", e);
    {
        let mut f = std::fs::File::create(&tmp).map_err(io)?;
        f.write_all(format!("{name}\n").as_bytes()).map_err(io)?;
        f.sync_all().map_err(io)?;
    }
    // Windows may refuse the replacement for a moment while another process reads
    // the old name (std opens files shareable, so this is rare): a few tries.
    let mut tries = 0;
    while let Err(e) = std::fs::rename(&tmp, &target) {
        tries += 1;
        if !cfg!(windows) || tries == 5 {
            return Err(io(e));
        }
        std::thread::sleep(std::time::Duration::from_millis(20 << tries));
    }
    #[cfg(unix)]
    if let Some(parent) = target.parent() {
        // The rename itself is durable once the folder is.
        if let Ok(d) = std::fs::File::open(parent) {
            let _ = d.sync_all();
        }
    }
    Ok(())
}

/// What an index folder holds.
enum Found {
    /// An index of this version.
    Current(Index),
    /// A readable index of another version with the same fields: it answers searches
    /// until a rebuild replaces it.
    Stale(Index),
    /// Nothing usable.
    Unusable,
}

fn inspect(dir: &Path, schema: &tantivy::schema::Schema) -> Found {
    let Ok(version) = std::fs::read_to_string(dir.join(VERSION_FILE)) else {
        return Found::Unusable;
    };
    let Some(index) = Index::open_in_dir(dir)
        .ok()
        .filter(|i| i.schema() == *schema)
    else {
        return Found::Unusable;
    };
    if version.trim() == INDEX_VERSION {
        Found::Current(index)
    } else if version.trim().ends_with("-incomplete") {
        Found::Unusable
    } else {
        Found::Stale(index)
    }
}

/// Creates an empty index of this version in `dir` (which must not exist).
fn create_generation(dir: &Path, schema: tantivy::schema::Schema) -> Result<Index> {
    std::fs::create_dir_all(dir)
        .map_err(|e| Error::io(format!("creating {}", dir.display()), e))?;
    // The marker goes in first: from here on the folder is provably ours,
    // even if this process dies before tantivy has written anything.
    std::fs::write(
        dir.join(VERSION_FILE),
        format!("{INDEX_VERSION}-incomplete"),
    )
    .map_err(|e| Error::io("writing the index version", e))?;
    let index = Index::create_in_dir(dir, schema).map_err(|e| index_err("creating", e))?;
    std::fs::write(dir.join(VERSION_FILE), INDEX_VERSION)
        .map_err(|e| Error::io("writing the index version", e))?;
    Ok(index)
}

fn register_analyzers(index: &Index) {
    for family in Family::ALL {
        index
            .tokenizers()
            .register(&family.tokenizer_name(), family.analyzer(Mode::Index));
    }
    index
        .tokenizers()
        .register(ReversedGerman::NAME, ReversedGerman::analyzer());
    index
        .tokenizers()
        .register(CjkChars::NAME, TextAnalyzer::from(CjkChars));
    index
        .tokenizers()
        .register(CjkWords::NAME, TextAnalyzer::from(CjkWords));
}

fn open_reader(index: &Index) -> Result<IndexReader> {
    index
        .reader_builder()
        .reload_policy(ReloadPolicy::OnCommitWithDelay)
        .try_into()
        .map_err(|e| index_err("opening the reader", e))
}

/// The writer a rebuild leaves behind: the rebuild's (several threads, a bulk load's
/// memory, kept for the whole session it would be) gives way to the usual one. In the
/// moment between, another process may take the lock: it indexes, this one searches.
fn everyday_writer(index: &Index, rebuild_writer: IndexWriter) -> Option<IndexWriter> {
    drop(rebuild_writer);
    open_writer(index).ok()
}

/// A rebuild's writer: several threads (the analysers run on them) and a bulk load's
/// memory; nothing merged until everything is in (one merge at the end).
fn rebuild_writer(index: &Index) -> Result<IndexWriter> {
    let threads = std::thread::available_parallelism()
        .map(|n| n.get())
        .unwrap_or(1)
        .clamp(1, REBUILD_THREADS);
    let writer = index
        .writer_with_num_threads(threads, REBUILD_MEMORY)
        .map_err(|e| index_err("opening the rebuild's writer", e))?;
    writer.set_merge_policy(Box::new(NoMergePolicy));
    Ok(writer)
}

/// Merges what tantivy's log merge policy would merge, now, on the calling thread.
fn merge_now(index: &Index, writer: &mut IndexWriter) -> tantivy::Result<()> {
    let metas = index.searchable_segment_metas()?;
    for candidate in LogMergePolicy::default().compute_merge_candidates(&metas) {
        writer.merge(&candidate.0).wait()?;
    }
    Ok(())
}

impl SearchIndex {
    /// Opens the index whose base folder is `base` (the live generation is the one
    /// `<base>.live` names). When it is missing, unreadable or of another version,
    /// `true` is returned: the caller must then rebuild it from SQLite. A readable
    /// index of another version with the same fields keeps answering searches
    /// until then; anything else is replaced by an empty index at once. The index
    /// holds nothing that SQLite does not, so discarding it loses nothing.
    pub fn open(base: &Path) -> Result<(SearchIndex, bool)> {
        let (schema, fields) = schema::build();
        let number = read_live(base);
        let dir = generation_dir(base, number);
        let (index, fresh) = match inspect(&dir, &schema) {
            Found::Current(index) => (index, false),
            Found::Stale(index) => (index, true),
            Found::Unusable => {
                discard_own_index(&dir)?;
                (create_generation(&dir, schema.clone())?, true)
            }
        };
        register_analyzers(&index);
        let writer = match open_writer(&index) {
            Ok(w) => Some(w),
            Err(TantivyError::LockFailure(..)) => None,
            Err(e) => return Err(index_err("opening the writer", e)),
        };
        let reader = open_reader(&index)?;
        let owner = writer.is_some();
        let this = SearchIndex {
            base: base.to_path_buf(),
            live: RwLock::new(Arc::new(Generation {
                number,
                dir,
                index,
                reader,
            })),
            schema,
            fields,
            writer: Mutex::new(writer),
            leftovers: Mutex::new(Vec::new()),
        };
        if owner {
            // No other process owns the live generation, so none is rebuilding:
            // what an interrupted rebuild or a swap left beside it can go.
            this.remove_other_generations();
        }
        Ok((this, fresh))
    }

    fn live(&self) -> Arc<Generation> {
        match self.live.read() {
            Ok(g) => Arc::clone(&g),
            Err(poisoned) => Arc::clone(&poisoned.into_inner()),
        }
    }

    /// The live generation's folder.
    pub fn dir(&self) -> PathBuf {
        self.live().dir.clone()
    }

    /// Removes Dossier's index folders beside the base that are not the live one
    /// (a folder something still reads on Windows is left to `sweep`).
    fn remove_other_generations(&self) {
        let live = self.live().number;
        let Some(parent) = self.base.parent() else {
            return;
        };
        let Ok(entries) = std::fs::read_dir(parent) else {
            return;
        };
        for e in entries.flatten() {
            let name = e.file_name();
            let Some(n) = name.to_str().and_then(|s| generation_of(&self.base, s)) else {
                continue;
            };
            let dir = generation_dir(&self.base, n);
            if n != live && is_own_index(&dir) {
                self.remove_or_remember(dir);
            }
        }
        let _ = std::fs::remove_file(live_file_draft(&self.base));
    }

    /// Removes an old generation's folder, or remembers it for `sweep`.
    fn remove_or_remember(&self, dir: PathBuf) {
        if !remove_folder(&dir) {
            if let Ok(mut left) = self.leftovers.lock() {
                if !left.contains(&dir) {
                    left.push(dir);
                }
            }
        }
    }

    /// Tries again to remove old generations that could not be removed when they
    /// were replaced (the indexer calls it on every run; cheap when there are none).
    /// Only the owner of the writer sweeps, and never the live folder.
    pub fn sweep(&self) {
        let Ok(mut left) = self.leftovers.lock() else {
            return;
        };
        if left.is_empty() || !self.writable() {
            return;
        }
        let live = self.live().dir.clone();
        left.retain(|dir| *dir != live && is_own_index(dir) && !remove_folder(dir));
    }

    /// Switches to the generation `<base>.live` names when another process has
    /// swapped in a rebuilt one. Returns whether it switched.
    pub fn follow(&self) -> Result<bool> {
        let named = read_live(&self.base);
        if named == self.live().number {
            return Ok(false);
        }
        let dir = generation_dir(&self.base, named);
        let Found::Current(index) = inspect(&dir, &self.schema) else {
            // Not (yet) one this version can read: stay on the live one.
            return Ok(false);
        };
        register_analyzers(&index);
        let reader = open_reader(&index)?;
        let mut guard = self
            .writer
            .lock()
            .map_err(|_| Error::internal("index writer poisoned"))?;
        // Our writer, if any, belonged to the old generation.
        *guard = open_writer(&index).ok();
        let next = Arc::new(Generation {
            number: named,
            dir,
            index,
            reader,
        });
        *self
            .live
            .write()
            .map_err(|_| Error::internal("index poisoned"))? = next;
        Ok(true)
    }

    /// False when another process owns the writer.
    pub fn writable(&self) -> bool {
        self.writer.lock().map(|w| w.is_some()).unwrap_or(false)
    }

    /// Tries to take over the writer when another process held it at open
    /// (it may have exited since), after following a generation that process
    /// may have swapped in. Returns whether this process can now index.
    pub fn try_acquire_writer(&self) -> bool {
        if let Err(e) = self.follow() {
            eprintln!("dossier: opening the rebuilt search index: {e}");
        }
        let Ok(mut guard) = self.writer.lock() else {
            return false;
        };
        if guard.is_none() {
            if let Ok(w) = open_writer(&self.live().index) {
                *guard = Some(w);
            }
        }
        guard.is_some()
    }

    /// The last outbox sequence number whose effect is committed in the index.
    pub fn applied_seq(&self) -> Result<i64> {
        let metas = self
            .live()
            .index
            .load_metas()
            .map_err(|e| index_err("reading metadata", e))?;
        Ok(metas
            .payload
            .as_deref()
            .and_then(|p| serde_json::from_str::<Payload>(p).ok())
            .map_or(0, |p| p.seq))
    }

    /// The writer, locked; `Busy` when another process owns it.
    fn owned_writer(&self) -> Result<std::sync::MutexGuard<'_, Option<IndexWriter>>> {
        let guard = self
            .writer
            .lock()
            .map_err(|_| Error::internal("index writer poisoned"))?;
        if guard.is_none() {
            return Err(Error::new(
                ErrorCode::Busy,
                "another Dossier process is updating this notebook's search index",
            ));
        }
        Ok(guard)
    }

    /// Applies `ops` (delete by key, then add) and commits them together with
    /// `upto` as the applied sequence. Applying the same batch twice gives the
    /// same index: the indexer may safely replay after a crash.
    ///
    /// On Windows a commit can be refused for a moment ("Access denied" while
    /// `meta.json` is replaced, when tantivy's own watcher or another process
    /// happens to be reading it — seen under Wine on most runs of a test suite):
    /// such a commit is rolled back and the batch applied again, a few times.
    pub fn apply(&self, ops: Vec<IndexOp>, upto: i64) -> Result<()> {
        self.with_retries(|| self.apply_once(&ops, upto))
    }

    /// One attempt of `apply`; the error says whether trying again may succeed.
    fn apply_once(&self, ops: &[IndexOp], upto: i64) -> std::result::Result<(), (Error, bool)> {
        let mut guard = self.owned_writer().map_err(|e| (e, false))?;
        let writer = guard.as_mut().expect("owned_writer checked");
        let applied = self.apply_with(writer, ops, upto);
        if applied.is_ok() {
            self.merge_segments(writer);
        } else if writer.rollback().is_err() {
            // A failed commit leaves the writer's uncommitted segments and deletes in an
            // undefined state; a replay on top of them was seen to commit a document
            // twice. Go back to the last commit (the outbox still has the batch), or give
            // the writer up so that the next catch-up opens a clean one.
            *guard = None;
        }
        applied
    }

    /// Merges what tantivy's log merge policy would merge, but now, on the indexer's
    /// thread, with no commit in flight. With tantivy's background merges, the app crash
    /// harness twice found a claim in the index twice: the stale copy sat in a merged
    /// segment that had missed the delete of a commit made while the merge ran. Merging
    /// in step with the commits takes that race away (200 kills without it since). A
    /// failed merge changes nothing committed; it is retried after the next commit.
    fn merge_segments(&self, writer: &mut IndexWriter) {
        if let Err(e) = merge_now(&self.live().index, writer) {
            eprintln!("dossier: merging index segments failed, will retry: {e}");
        }
    }

    fn apply_with(
        &self,
        writer: &mut IndexWriter,
        ops: &[IndexOp],
        upto: i64,
    ) -> std::result::Result<(), (Error, bool)> {
        let fatal = |e: Error| (e, false);
        for op in ops {
            match op {
                IndexOp::Delete { kind, id } => {
                    writer.delete_term(Term::from_field_text(self.fields.key, &key(*kind, id)));
                }
                IndexOp::Upsert(d) => {
                    writer.delete_term(Term::from_field_text(self.fields.key, &d.key()));
                    writer
                        .add_document(document::to_document(&self.fields, d))
                        .map_err(|e| fatal(index_err("adding a document", e)))?;
                }
            }
        }
        commit_with(writer, upto).map_err(|e| {
            let transient = refused_for_a_moment(&e);
            (index_err("committing", e), transient)
        })
    }

    /// Starts a rebuild: an empty generation beside the live one (or the live one
    /// itself when it holds nothing), with a writer of several threads. Only the
    /// process that owns the live generation's writer rebuilds (`Busy` otherwise),
    /// so two rebuilds never race.
    pub fn begin_rebuild(&self) -> Result<Rebuild> {
        let mut owner = self.owned_writer()?;
        let current = self.live();
        current
            .reader
            .reload()
            .map_err(|e| index_err("reloading", e))?;
        if current.reader.searcher().num_docs() == 0 {
            // Nothing to keep answering from (a new notebook, or an index that had to
            // be replaced by an empty one): filled where it is, committed at the end.
            *owner = None;
            let writer = rebuild_writer(&current.index)?;
            return Ok(Rebuild {
                number: current.number,
                dir: current.dir.clone(),
                index: current.index.clone(),
                writer,
                added: 0,
                in_place: true,
                _live_lock: None,
            });
        }
        // The live writer gives way to its bare lock for the rebuild's duration.
        *owner = None;
        let live_lock = tantivy::Directory::acquire_lock(
            current.index.directory(),
            &tantivy::directory::INDEX_WRITER_LOCK,
        )
        .map_err(|e| {
            Error::new(
                ErrorCode::Busy,
                format!("another Dossier process took over this notebook's search index: {e}"),
            )
        })?;
        drop(owner);
        let live = current.number;
        let mut number = live % MAX_GENERATION + 1;
        // A folder left by an interrupted rebuild is ours to replace; someone
        // else's is stepped over.
        while number == live || discard_own_index(&generation_dir(&self.base, number)).is_err() {
            number = number % MAX_GENERATION + 1;
            if number == live {
                return Err(Error::new(
                    ErrorCode::Conflict,
                    "no folder is free beside the search index for its rebuild",
                ));
            }
        }
        let dir = generation_dir(&self.base, number);
        if let Ok(mut left) = self.leftovers.lock() {
            left.retain(|d| *d != dir);
        }
        let index = create_generation(&dir, self.schema.clone())?;
        register_analyzers(&index);
        let writer = rebuild_writer(&index)?;
        Ok(Rebuild {
            number,
            dir,
            index,
            writer,
            added: 0,
            in_place: false,
            _live_lock: Some(live_lock),
        })
    }

    /// Adds documents to a rebuild; none is deleted (its folder started empty).
    pub fn add_to_rebuild(&self, rebuild: &mut Rebuild, docs: Vec<IndexDoc>) -> Result<()> {
        for d in docs {
            rebuild
                .writer
                .add_document(document::to_document(&self.fields, &d))
                .map_err(|e| index_err("adding a document", e))?;
            rebuild.added += 1;
            if rebuild.in_place && rebuild.added.is_multiple_of(IN_PLACE_COMMIT_EVERY) {
                // Searches see the index fill up; the payload stays 0, so a crash
                // before the end rebuilds again.
                commit_rebuild(&mut rebuild.writer, 0)
                    .map_err(|e| index_err("committing part of the rebuild", e))?;
            }
        }
        Ok(())
    }

    /// Commits the rebuild with `upto` as its applied sequence, merges it, and
    /// swaps it in: from here on searches read it and the outbox is applied to it.
    /// The old generation's folder is removed (or, when something still reads it
    /// on Windows, by a later `sweep`).
    pub fn finish_rebuild(&self, rebuild: Rebuild, upto: i64) -> Result<usize> {
        let Rebuild {
            number,
            dir,
            index,
            mut writer,
            added,
            in_place: _,
            _live_lock: live_lock,
        } = rebuild;
        commit_rebuild(&mut writer, upto).map_err(|e| index_err("committing the rebuild", e))?;
        merge_now(&index, &mut writer).map_err(|e| index_err("merging the rebuild", e))?;
        let mut guard = self
            .writer
            .lock()
            .map_err(|_| Error::internal("index writer poisoned"))?;
        if self.live().number == number {
            // Filled in place (it was empty): it stays live, with this writer, and
            // is of this version now even if the empty one was of another.
            std::fs::write(dir.join(VERSION_FILE), INDEX_VERSION)
                .map_err(|e| Error::io("writing the index version", e))?;
            *guard = everyday_writer(&index, writer);
            self.live()
                .reader
                .reload()
                .map_err(|e| index_err("reloading", e))?;
            return Ok(added);
        }
        // No handle on the old generation is kept past this point (its files stay
        // open while one is, and Windows then refuses to delete its folder).
        let reader = open_reader(&index)?;
        // The switch: a crash before it leaves the old generation live, after it the new.
        write_live(&self.base, number)?;
        let old = std::mem::replace(
            &mut *self
                .live
                .write()
                .map_err(|_| Error::internal("index poisoned"))?,
            Arc::new(Generation {
                number,
                dir,
                index: index.clone(),
                reader,
            }),
        );
        // The old generation's lock goes; the new one gets its everyday writer.
        *guard = everyday_writer(&index, writer);
        drop(guard);
        drop(live_lock);
        let old_dir = old.dir.clone();
        drop(old);
        if is_own_index(&old_dir) {
            self.remove_or_remember(old_dir);
        }
        Ok(added)
    }

    /// Runs `attempt` until it succeeds, fails for good, or was refused eight times;
    /// then reloads the reader.
    fn with_retries(
        &self,
        mut attempt: impl FnMut() -> std::result::Result<(), (Error, bool)>,
    ) -> Result<()> {
        // 20 ms doubling to 1.3 s: about 2.5 s in all before the error is reported.
        const ATTEMPTS: u32 = 8;
        for n in 1.. {
            match attempt() {
                Ok(()) => break,
                Err((_, true)) if n < ATTEMPTS => {
                    std::thread::sleep(std::time::Duration::from_millis(10 << n));
                }
                Err((e, _)) => return Err(e),
            }
        }
        self.live()
            .reader
            .reload()
            .map_err(|e| index_err("reloading", e))
    }

    /// `key -> stamp` of every live document: what `check` compares with SQLite.
    pub fn stamps(&self) -> Result<HashMap<String, String>> {
        self.follow()?;
        let live = self.live();
        live.reader
            .reload()
            .map_err(|e| index_err("reloading", e))?;
        let searcher = live.reader.searcher();
        let mut addresses: Vec<_> = searcher
            .search(&AllQuery, &DocSetCollector)
            .map_err(|e| index_err("listing", e))?
            .into_iter()
            .collect();
        // In store order: each compressed block of stored fields is then read
        // once (the collector's set is unordered, and a block per document was
        // decompressed again and again).
        addresses.sort_unstable();
        let mut out = HashMap::with_capacity(addresses.len());
        for addr in addresses {
            let d: TantivyDocument = searcher
                .doc(addr)
                .map_err(|e| index_err("reading a document", e))?;
            let k = text(&d, self.fields.key);
            if out.insert(k.clone(), text(&d, self.fields.stamp)).is_some() {
                out.insert(format!("{k}#duplicate"), String::new());
            }
        }
        Ok(out)
    }

    /// Runs `req`. Snippets of article hits are cut from `article_text` (the
    /// index keeps no copy of article texts: SQLite has them, and a second copy
    /// would more than double the index); claims and notes are short and stored.
    /// `sets` answers `attr:` filters (`query::no_attributes` where there are none).
    pub fn search(
        &self,
        req: &SearchRequest,
        article_text: ArticleText<'_>,
        sets: ArticleSets<'_>,
    ) -> Result<SearchResults> {
        // A query is compiled up to three times (exact, partial, with typos):
        // each `attr:`/`set:` filter is asked once.
        let memo = std::cell::RefCell::new(std::collections::HashMap::new());
        let memo_sets = |f: &ArticleFilter| -> Result<Arc<Vec<String>>> {
            if let Some(ids) = memo.borrow().get(f) {
                return Ok(Arc::clone(ids));
            }
            let ids = sets(f)?;
            memo.borrow_mut().insert(f.clone(), Arc::clone(&ids));
            Ok(ids)
        };
        let sets: ArticleSets<'_> = &memo_sets;
        let searcher = self.live().reader.searcher();
        let mut compiled = query::compile(req, &self.fields, sets, false);
        if let Some(e) = compiled.error.take() {
            return Err(e);
        }
        let mut found = self.collect(&searcher, &compiled, req)?;
        // Fewer than a page of documents have every word: go on with those
        // that have most of them (all-word matches still rank first).
        let limit = req.limit.clamp(1, dossier_model::limits::MAX_SEARCH_LIMIT) as usize;
        let mut words = None;
        if found.0 < limit {
            if let Some((query, n)) = query::compile_partial(req, &self.fields, sets) {
                let wider = self.collect_query(&searcher, query.as_ref(), req)?;
                if wider.0 > found.0 {
                    found = wider;
                    words = Some(n);
                }
            }
        }
        let mut fuzzy = false;
        // Typos are tolerated only when nothing at all is found, so a correct
        // word is never drowned by its neighbours.
        if found.0 == 0 && compiled.fuzzable {
            compiled = query::compile(req, &self.fields, sets, true);
            found = self.collect(&searcher, &compiled, req)?;
            fuzzy = found.0 > 0;
        }
        let (total, top, facets) = found;
        let mut hits = Vec::with_capacity(top.len());
        let mut cache = TermCache::new();
        for (score, addr) in top {
            // A partial match's score is its words' count × PARTIAL_WORD_SCORE + BM25:
            // shown as BM25, with whether it lacks some of the words.
            let (score, partial) = match words {
                Some(n) => {
                    let matched = (score / query::PARTIAL_WORD_SCORE).floor();
                    (
                        score - matched * query::PARTIAL_WORD_SCORE,
                        (matched as usize) < n,
                    )
                }
                None => (score, false),
            };
            let mut hit = self.hit(
                &searcher,
                addr,
                score,
                &compiled.highlight,
                (!req.skip_snippets).then_some(article_text),
                &mut cache,
            )?;
            hit.partial = partial;
            hits.push(hit);
        }
        Ok(SearchResults {
            total: total as u32,
            partial: hits.iter().any(|h| h.partial),
            hits,
            facets,
            fuzzy,
            plain_fallback: compiled.plain_fallback,
        })
    }

    #[allow(clippy::type_complexity)]
    fn collect(
        &self,
        searcher: &Searcher,
        compiled: &query::Compiled,
        req: &SearchRequest,
    ) -> Result<(usize, Vec<(f32, DocAddress)>, dossier_model::Facets)> {
        self.collect_query(searcher, compiled.query.as_ref(), req)
    }

    #[allow(clippy::type_complexity)]
    fn collect_query(
        &self,
        searcher: &Searcher,
        query: &dyn tantivy::query::Query,
        req: &SearchRequest,
    ) -> Result<(usize, Vec<(f32, DocAddress)>, dossier_model::Facets)> {
        let limit = req.limit.clamp(1, dossier_model::limits::MAX_SEARCH_LIMIT) as usize;
        // TopDocs allocates offset + limit slots: an offset from outside is clamped.
        let offset = req.offset.min(dossier_model::limits::MAX_SEARCH_OFFSET) as usize;
        let collector = (
            Count,
            TopDocs::with_limit(limit)
                .and_offset(offset)
                .order_by_score(),
            FacetCollector,
        );
        searcher
            .search(query, &collector)
            .map_err(|e| index_err("searching", e))
    }

    fn hit(
        &self,
        searcher: &Searcher,
        addr: DocAddress,
        score: f32,
        highlight: &[Highlight],
        article_text: Option<ArticleText<'_>>,
        cache: &mut TermCache,
    ) -> Result<SearchHit> {
        let d: TantivyDocument = searcher
            .doc(addr)
            .map_err(|e| index_err("reading a hit", e))?;
        let kind = Kind::parse(&text(&d, self.fields.kind)).unwrap_or(Kind::Article);
        let family = Family::for_language(&text(&d, self.fields.lang));
        let hl = &highlight[family.index()];
        let id = text(&d, self.fields.id);
        let (snippet, first_match) = match article_text {
            None => (String::new(), None),
            Some(read) => {
                let slot = self.best_passage(searcher, addr, family, hl, cache);
                let s = if kind == Kind::Article {
                    self.article_snippet(&d, &id, slot, family, hl, read)?
                } else {
                    let body = text(&d, self.fields.body_stored);
                    snippet::best(&body, 0, family, hl, start_at(&body, slot, hl))
                };
                (s.html, s.first_match)
            }
        };
        let article_id = Some(text(&d, self.fields.article_id)).filter(|s| !s.is_empty());
        let claim_start = d
            .get_first(self.fields.start)
            .and_then(|v| v.as_u64())
            .map(|v| v as u32);
        let position = match kind {
            Kind::Article => first_match,
            Kind::Claim => claim_start,
            Kind::Note => None,
        };
        Ok(SearchHit {
            kind,
            id,
            article_id,
            title: text(&d, self.fields.title_stored),
            score,
            snippet,
            position,
            links: Vec::new(),
            partial: false,
        })
    }

    /// An article's snippet from the part of its text around `slot`: the
    /// stored slot marks say where that part begins, so a long text is not
    /// read whole for every hit.
    fn article_snippet(
        &self,
        d: &TantivyDocument,
        id: &str,
        slot: Option<usize>,
        family: Family,
        hl: &Highlight,
        read: ArticleText<'_>,
    ) -> Result<snippet::Snippet> {
        // Enough for SLOT_MARK_EVERY words, the passage and its context.
        const PART_CHARS: u32 = 4096;
        let marks: Vec<u32> = d
            .get_first(self.fields.slot_marks)
            .and_then(|v| v.as_bytes())
            .map(|b| {
                b.chunks_exact(4)
                    .map(|c| u32::from_le_bytes([c[0], c[1], c[2], c[3]]))
                    .collect()
            })
            .unwrap_or_default();
        let part = match slot {
            Some(slot) if !marks.is_empty() => {
                let k = (slot / SLOT_MARK_EVERY).min(marks.len() - 1);
                Some((marks[k], slot - k * SLOT_MARK_EVERY))
            }
            // No match in the text (title or codes only): its beginning will do.
            None if hl.placeable() => Some((0, 0)),
            _ => None,
        };
        if let Some((offset, rel_slot)) = part {
            let piece = read(id, Some((offset, PART_CHARS)))?.unwrap_or_default();
            let at = slot_offset(&piece, rel_slot);
            if at < piece.len() || piece.chars().count() < PART_CHARS as usize {
                let start = if slot.is_some() {
                    Start::Known(at)
                } else {
                    Start::Absent
                };
                return Ok(snippet::best(&piece, offset, family, hl, start));
            }
        }
        let whole = read(id, None)?.unwrap_or_default();
        Ok(snippet::best(
            &whole,
            0,
            family,
            hl,
            start_at(&whole, slot, hl),
        ))
    }

    /// The body terms of one segment that stand for the query's parts (a
    /// prefix or compound head expanded to the terms it matches), with the
    /// part each belongs to. The same for every hit of the segment: computed once.
    fn passage_terms(
        &self,
        segment: &tantivy::SegmentReader,
        family: Family,
        hl: &Highlight,
    ) -> Vec<(TermInfo, usize)> {
        // Expansions per prefix or head: enough to place a snippet.
        const EXPANSIONS: usize = 64;
        let Ok(inverted) = segment.inverted_index(self.fields.body[family.index()]) else {
            return Vec::new();
        };
        let range = |dict: &tantivy::termdict::TermDictionary, prefix: &[u8]| {
            let mut out = Vec::new();
            let mut upper = prefix.to_vec();
            upper.push(0xFF); // no UTF-8 byte is 0xFF: everything starting with `prefix` sorts below
            if let Ok(mut stream) = dict.range().ge(prefix).lt(&upper).into_stream() {
                while out.len() < EXPANSIONS && stream.advance() {
                    out.push((stream.key().to_vec(), stream.value().clone()));
                }
            }
            out
        };
        let mut terms = Vec::new();
        let mut part = 0;
        for t in &hl.exact {
            if let Ok(Some(info)) = inverted.terms().get(t.as_bytes()) {
                terms.push((info, part));
            }
            part += 1;
        }
        for p in &hl.prefixes {
            terms.extend(
                range(inverted.terms(), p.as_bytes())
                    .into_iter()
                    .map(|(_, i)| (i, part)),
            );
            part += 1;
        }
        if family == Family::German && !hl.suffixes.is_empty() {
            if let Ok(reversed) = segment.inverted_index(self.fields.reversed_de) {
                for s in &hl.suffixes {
                    let key: String = s.chars().rev().collect();
                    for (r, _) in range(reversed.terms(), key.as_bytes()) {
                        let word: String = String::from_utf8_lossy(&r).chars().rev().collect();
                        if let Ok(Some(info)) = inverted.terms().get(word.as_bytes()) {
                            terms.push((info, part));
                        }
                    }
                    part += 1;
                }
            }
        }
        terms
    }

    /// The token slot where the passage with the most distinct query parts
    /// begins, read from the positions the index keeps: no analysis of the
    /// text is needed to find it, however long the text is. Prefixes and
    /// compound heads are expanded to the terms they match in this segment.
    fn best_passage(
        &self,
        searcher: &Searcher,
        addr: DocAddress,
        family: Family,
        hl: &Highlight,
        cache: &mut TermCache,
    ) -> Option<usize> {
        // Positions are two apart per word; this spans about 25 words.
        const SPAN: u32 = 50;
        let segment = searcher.segment_reader(addr.segment_ord);
        let inverted = segment
            .inverted_index(self.fields.body[family.index()])
            .ok()?;
        let terms = cache
            .entry((addr.segment_ord, family.index()))
            .or_insert_with(|| self.passage_terms(segment, family, hl));
        let mut found: Vec<(u32, usize)> = Vec::new();
        let mut buf = Vec::new();
        for (info, part) in terms.iter() {
            let Ok(mut postings) = inverted
                .read_postings_from_terminfo(info, IndexRecordOption::WithFreqsAndPositions)
            else {
                continue;
            };
            // A fresh postings list stands on its first document; `seek` only goes forward.
            if postings.doc() > addr.doc_id || postings.seek(addr.doc_id) != addr.doc_id {
                continue;
            }
            postings.positions(&mut buf);
            found.extend(buf.iter().map(|&p| (p, *part)));
        }
        if found.is_empty() {
            return None;
        }
        found.sort_unstable();
        let mut best = (0usize, found[0].0);
        for (k, &(p, _)) in found.iter().enumerate() {
            let mut distinct: Vec<usize> = found[k..]
                .iter()
                .take_while(|(q, _)| *q < p + SPAN)
                .map(|(_, i)| *i)
                .collect();
            distinct.sort_unstable();
            distinct.dedup();
            if distinct.len() > best.0 {
                best = (distinct.len(), p);
            }
        }
        Some(best.1 as usize / 2)
    }
}

/// Where a snippet starts: at the slot the index found; with none, nowhere
/// (the match is in the title or codes) unless typos are allowed, which the
/// index cannot place (then the text is scanned).
fn start_at(body: &str, slot: Option<usize>, hl: &Highlight) -> Start {
    match slot {
        Some(slot) => Start::Known(slot_offset(body, slot)),
        None if hl.placeable() => Start::Absent,
        None => Start::Unknown,
    }
}

fn text(d: &TantivyDocument, field: tantivy::schema::Field) -> String {
    d.get_first(field)
        .and_then(|v| v.as_str().map(str::to_string))
        .unwrap_or_default()
}

/// What every commit carries: the outbox sequence it is complete up to.
#[derive(serde::Serialize, serde::Deserialize)]
struct Payload {
    seq: i64,
    version: String,
}

#[cfg(test)]
mod tests {
    use super::*;

    fn note(id: &str, stamp: &str) -> IndexOp {
        IndexOp::Upsert(Box::new(IndexDoc::new(
            Kind::Note,
            id.into(),
            "Notiz".into(),
            format!("Qwen und Vertrauen, Stand {stamp}"),
            "de".into(),
        )))
    }

    #[test]
    fn a_refusal_is_transient_on_windows_in_every_wrapper_tantivy_uses() {
        use std::io::{Error as IoError, ErrorKind};
        use tantivy::directory::error::{OpenReadError, OpenWriteError};
        let denied = || Arc::new(IoError::from(ErrorKind::PermissionDenied));
        let sharing = || Arc::new(IoError::from_raw_os_error(32));
        let path = PathBuf::from("43b3815ab2754fa194b5a1ebcf8a2bd8.term");
        let refusals = [
            TantivyError::IoError(denied()),
            TantivyError::IoError(sharing()),
            TantivyError::OpenWriteError(OpenWriteError::IoError {
                io_error: denied(),
                filepath: path.clone(),
            }),
            TantivyError::OpenReadError(OpenReadError::IoError {
                io_error: denied(),
                filepath: path.clone(),
            }),
        ];
        for e in &refusals {
            assert_eq!(refused_for_a_moment(e), cfg!(windows), "{e}");
        }
        let lasting = [
            TantivyError::IoError(Arc::new(IoError::from(ErrorKind::NotFound))),
            TantivyError::OpenWriteError(OpenWriteError::FileAlreadyExists(path.clone())),
            TantivyError::OpenWriteError(OpenWriteError::IoError {
                io_error: Arc::new(IoError::from(ErrorKind::StorageFull)),
                filepath: path,
            }),
            TantivyError::Poisoned,
        ];
        for e in &lasting {
            assert!(!refused_for_a_moment(e), "{e}");
        }
    }

    fn copy_dir(from: &Path, to: &Path) {
        std::fs::create_dir_all(to).unwrap();
        for e in std::fs::read_dir(from).unwrap() {
            let e = e.unwrap();
            std::fs::copy(e.path(), to.join(e.file_name())).unwrap();
        }
    }

    fn keys(index: &SearchIndex) -> Vec<String> {
        let mut k: Vec<String> = index.stamps().unwrap().into_keys().collect();
        k.sort();
        k
    }

    /// A new index at `<tmp>/index` holding one note, "alt", applied up to `seq`.
    fn index_with_one_note(seq: i64) -> (tempfile::TempDir, PathBuf, SearchIndex) {
        let tmp = tempfile::tempdir().unwrap();
        let base = tmp.path().join("index");
        let (index, fresh) = SearchIndex::open(&base).unwrap();
        assert!(fresh);
        index.apply(vec![note("alt", "1")], seq).unwrap();
        (tmp, base, index)
    }

    fn doc(op: IndexOp) -> IndexDoc {
        match op {
            IndexOp::Upsert(d) => *d,
            IndexOp::Delete { .. } => unreachable!(),
        }
    }

    /// A rebuild fills a folder beside the live index, which answers searches (here and
    /// in a second opener, as another process would) until the rebuild is swapped in.
    #[test]
    fn a_rebuild_is_built_beside_the_live_index_and_swapped_in_when_complete() {
        let (tmp, base, index) = index_with_one_note(3);
        let (other, _) = SearchIndex::open(&base).unwrap();
        assert!(!other.writable(), "the first opener owns the writer");

        let mut next = index.begin_rebuild().unwrap();
        assert_eq!(next.dir(), tmp.path().join("index-1"));
        index
            .add_to_rebuild(
                &mut next,
                vec![doc(note("neu1", "1")), doc(note("neu2", "1"))],
            )
            .unwrap();
        assert_eq!(
            keys(&index),
            ["note:alt"],
            "searches read the old index meanwhile"
        );
        assert_eq!(index.applied_seq().unwrap(), 3);
        assert!(!live_file(&base).exists());

        assert_eq!(index.finish_rebuild(next, 9).unwrap(), 2);
        assert_eq!(keys(&index), ["note:neu1", "note:neu2"]);
        assert_eq!(index.applied_seq().unwrap(), 9);
        assert_eq!(
            std::fs::read_to_string(live_file(&base)).unwrap(),
            "index-1\n"
        );
        // On Windows a folder another reader still has open cannot be removed yet.
        assert_eq!(!base.exists(), !cfg!(windows), "the old folder is removed");
        // The rebuilt index takes the outbox from here on.
        index.apply(vec![note("neu3", "1")], 10).unwrap();
        assert_eq!(keys(&index).len(), 3);

        // The other opener follows the swap (on its next look at the index).
        assert_eq!(other.live().number, 0);
        assert!(other.follow().unwrap());
        assert!(!other.follow().unwrap());
        assert_eq!(keys(&other).len(), 3);
        assert!(
            !other.try_acquire_writer(),
            "the rebuilder still owns the writer"
        );
        drop(other);
        // Nothing reads the old folder now: the sweep removes it wherever it was left.
        index.sweep();
        assert!(!base.exists());
        drop(index);

        let (index, fresh) = SearchIndex::open(&base).unwrap();
        assert!(!fresh);
        assert_eq!(index.dir(), tmp.path().join("index-1"));
        assert_eq!(index.applied_seq().unwrap(), 10);
        // A second rebuild takes the next folder and frees this one.
        let next = index.begin_rebuild().unwrap();
        assert_eq!(next.dir(), tmp.path().join("index-2"));
        index.finish_rebuild(next, 11).unwrap();
        assert!(keys(&index).is_empty());
        index.sweep();
        assert!(!tmp.path().join("index-1").exists());
    }

    /// A rebuild that never finished (the process died) leaves the old index live;
    /// its folder is removed by the next opener that owns the index.
    #[test]
    fn a_rebuild_cut_short_leaves_the_old_index_live() {
        let (tmp, base, index) = index_with_one_note(4);
        {
            let mut next = index.begin_rebuild().unwrap();
            index
                .add_to_rebuild(&mut next, vec![doc(note("neu", "1"))])
                .unwrap();
            // Dropped uncommitted: what a killed process leaves.
            drop(next);
            drop(index);
        }
        assert!(tmp.path().join("index-1").exists());
        let (index, fresh) = SearchIndex::open(&base).unwrap();
        assert!(!fresh);
        assert_eq!(keys(&index), ["note:alt"]);
        assert_eq!(index.applied_seq().unwrap(), 4);
        assert!(!tmp.path().join("index-1").exists());
        // A folder beside it that Dossier did not make is never touched.
        std::fs::create_dir(tmp.path().join("index-1")).unwrap();
        std::fs::write(tmp.path().join("index-1/mine.txt"), "x").unwrap();
        drop(index);
        let (index, _) = SearchIndex::open(&base).unwrap();
        assert!(tmp.path().join("index-1/mine.txt").exists());
        let next = index.begin_rebuild().unwrap();
        assert_eq!(next.dir(), tmp.path().join("index-2"));
    }

    /// An index of another version with the same fields answers searches until the
    /// rebuild replaces it; one that cannot be read is replaced by an empty one at once.
    #[test]
    fn an_index_of_another_version_answers_until_it_is_rebuilt() {
        let (tmp, base, index) = index_with_one_note(5);
        drop(index);
        std::fs::write(base.join(VERSION_FILE), "dossier-index-0").unwrap();
        let (index, fresh) = SearchIndex::open(&base).unwrap();
        assert!(fresh, "another version must be rebuilt");
        assert_eq!(keys(&index), ["note:alt"]);
        let next = index.begin_rebuild().unwrap();
        index.finish_rebuild(next, 5).unwrap();
        assert!(keys(&index).is_empty());
        drop(index);
        let (_, fresh) = SearchIndex::open(&base).unwrap();
        assert!(!fresh);

        let live = tmp.path().join("index-1");
        std::fs::write(live.join("meta.json"), "{ kaputt").unwrap();
        let (index, fresh) = SearchIndex::open(&base).unwrap();
        assert!(fresh);
        assert!(keys(&index).is_empty());
        assert_eq!(
            index.dir(),
            live,
            "an unreadable index is replaced where it is"
        );
        // With nothing to answer from, the rebuild fills it in place.
        let mut next = index.begin_rebuild().unwrap();
        assert_eq!(next.dir(), live);
        index
            .add_to_rebuild(&mut next, vec![doc(note("neu", "1"))])
            .unwrap();
        index.finish_rebuild(next, 6).unwrap();
        assert_eq!(keys(&index), ["note:neu"]);
        assert_eq!(index.applied_seq().unwrap(), 6);
        assert!(index.writable());
        index.apply(vec![note("neu2", "1")], 7).unwrap();
        assert_eq!(keys(&index).len(), 2);
        // A live file naming something that is not ours is ignored.
        std::fs::write(live_file(&base), "../../etc\n").unwrap();
        assert_eq!(read_live(&base), 0);
        // Nor is a huge one read whole: its first line is not a folder name.
        let mut huge = b"index-1\n".to_vec();
        huge.resize(8 << 20, b'x');
        std::fs::write(live_file(&base), huge).unwrap();
        assert_eq!(read_live(&base), 0);
        std::fs::write(live_file(&base), "index-1\n").unwrap();
        assert_eq!(read_live(&base), 1);
    }

    /// A process killed after tantivy wrote a commit's delete file but before its
    /// meta.json leaves that file behind. The next process replays the same batch,
    /// reaches the same opstamp and must still commit (the app crash harness found it
    /// failing with FileAlreadyExists).
    #[test]
    fn a_batch_replayed_after_a_commit_was_cut_short_commits_once() {
        let tmp = tempfile::tempdir().unwrap();
        let (live, snapshot) = (tmp.path().join("live"), tmp.path().join("snapshot"));
        {
            let (index, fresh) = SearchIndex::open(&live).unwrap();
            assert!(fresh);
            index
                .apply(vec![note("n1", "1"), note("n2", "1")], 1)
                .unwrap();
        }
        copy_dir(&live, &snapshot); // the notebook as the killed process found it
        {
            let (index, _) = SearchIndex::open(&live).unwrap();
            index.apply(vec![note("n1", "2")], 2).unwrap();
        }
        // What the killed process had written of that commit: its delete file, and the
        // managed-files list that tantivy updates before it creates any file.
        let before: std::collections::HashSet<_> = std::fs::read_dir(&snapshot)
            .unwrap()
            .map(|e| e.unwrap().file_name())
            .collect();
        let mut orphans = 0;
        for e in std::fs::read_dir(&live).unwrap() {
            let name = e.unwrap().file_name();
            if name.to_string_lossy().ends_with(".del") && !before.contains(&name) {
                std::fs::copy(live.join(&name), snapshot.join(&name)).unwrap();
                orphans += 1;
            }
        }
        assert_eq!(orphans, 1, "the replayed commit writes one delete file");
        std::fs::copy(live.join(".managed.json"), snapshot.join(".managed.json")).unwrap();

        let (index, fresh) = SearchIndex::open(&snapshot).unwrap();
        assert!(!fresh);
        assert_eq!(index.applied_seq().unwrap(), 1);
        index.apply(vec![note("n1", "2")], 2).unwrap();
        let stamps = index.stamps().unwrap();
        assert_eq!(stamps.len(), 2, "{stamps:?}");
        let IndexOp::Upsert(second) = note("n1", "2") else {
            unreachable!()
        };
        assert_eq!(
            stamps["note:n1"],
            second.stamp(),
            "the second version is the one indexed"
        );
        assert_eq!(index.applied_seq().unwrap(), 2);
    }
}
