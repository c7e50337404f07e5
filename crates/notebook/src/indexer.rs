//! Keeps the tantivy index in step with SQLite through the outbox.
//!
//! `catch_up` reads outbox rows after the sequence number recorded in the
//! index's last commit, turns each changed entity into "make its document
//! exactly what SQLite says now" (upsert or delete), and commits the batch with
//! the new sequence number as payload. A crash anywhere leaves either the old
//! commit (the batch is replayed next time) or the new one: never a gap.
//!
//! The worker thread runs `catch_up` shortly after every write (debounced, so a
//! burst of edits is one commit, never a commit per keystroke) and polls once a
//! second, which also picks up changes written by another process.

use std::collections::BTreeMap;
use std::collections::HashMap;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::mpsc::{self, RecvTimeoutError, Sender};
use std::sync::Arc;
use std::thread::JoinHandle;
use std::time::Duration;

use dossier_model::{Error, Kind, Result};
use dossier_search::{IndexDoc, IndexOp};
use dossier_store::outbox::{self, Entity};
use dossier_store::{articles, claims, notes, relations, Connection};

use crate::Core;

/// Rows per batch: large enough to amortise a commit, small enough to keep the
/// writer's memory bounded during a bulk import.
const BATCH: usize = 512;
const DEBOUNCE: Duration = Duration::from_millis(150);
const POLL: Duration = Duration::from_secs(1);

enum Msg {
    Nudge,
    Stop,
}

/// Progress of a background rebuild, shared with whoever asks (the app polls it).
#[derive(Default)]
pub(crate) struct RebuildProgress {
    active: AtomicBool,
    /// Searches answer from the previous index meanwhile.
    previous: AtomicBool,
    done: AtomicUsize,
    total: AtomicUsize,
}

impl RebuildProgress {
    pub fn status(&self) -> dossier_model::IndexStatus {
        dossier_model::IndexStatus {
            rebuilding: self.active.load(Ordering::Relaxed),
            done: self.done.load(Ordering::Relaxed) as u32,
            total: self.total.load(Ordering::Relaxed) as u32,
            from_previous: self.previous.load(Ordering::Relaxed),
        }
    }
}

pub(crate) struct Worker {
    tx: Sender<Msg>,
    handle: Option<JoinHandle<()>>,
}

impl Worker {
    /// Starts the thread; with `rebuild_first` it refills a new or discarded index before anything else.
    pub fn start(core: Arc<Core>, rebuild_first: bool) -> Worker {
        let (tx, rx) = mpsc::channel();
        if rebuild_first {
            core.rebuild.active.store(true, Ordering::Relaxed);
        }
        let handle = std::thread::Builder::new()
            .name("dossier-indexer".into())
            .spawn(move || {
                if rebuild_first {
                    let progress = &core.rebuild;
                    let result = rebuild(&core, &mut |done, total| {
                        progress.done.store(done, Ordering::Relaxed);
                        progress.total.store(total, Ordering::Relaxed);
                    });
                    progress.active.store(false, Ordering::Relaxed);
                    if let Err(e) = result {
                        // The payload stays 0 until the last batch: the next start rebuilds again.
                        eprintln!("dossier: rebuilding the search index failed: {e}");
                    }
                }
                // Catch up at once: the last session may have ended before indexing.
                run_catch_up(&core);
                loop {
                    let stop = match rx.recv_timeout(POLL) {
                        Ok(Msg::Nudge) => {
                            std::thread::sleep(DEBOUNCE);
                            let mut stop = false;
                            while let Ok(m) = rx.try_recv() {
                                stop |= matches!(m, Msg::Stop);
                            }
                            stop
                        }
                        Err(RecvTimeoutError::Timeout) => false,
                        Ok(Msg::Stop) | Err(RecvTimeoutError::Disconnected) => true,
                    };
                    run_catch_up(&core);
                    if stop {
                        break;
                    }
                }
            })
            .expect("spawning the indexer thread");
        Worker {
            tx,
            handle: Some(handle),
        }
    }

    pub fn nudge(&self) {
        let _ = self.tx.send(Msg::Nudge);
    }

    /// Applies what is pending and ends the thread.
    pub fn stop(mut self) {
        let _ = self.tx.send(Msg::Stop);
        if let Some(h) = self.handle.take() {
            let _ = h.join();
        }
    }
}

fn run_catch_up(core: &Core) {
    // Another process may have owned the index writer and exited: take over then.
    if core.index.try_acquire_writer() {
        if let Err(e) = catch_up(core) {
            // Nothing is lost: the outbox keeps the rows and the next run retries.
            eprintln!("dossier: indexing failed, will retry: {e}");
        }
    }
}

/// Applies every outbox row after the index's recorded sequence. Returns the number of rows.
pub(crate) fn catch_up(core: &Core) -> Result<usize> {
    let _serial = core
        .catch_up
        .lock()
        .map_err(|_| Error::internal("indexer lock poisoned"))?;
    // An old index folder left by a rebuild (still in use on Windows when it was
    // replaced) is removed as soon as nothing reads it.
    core.index.sweep();
    let mut total = 0;
    loop {
        let after = core.index.applied_seq()?;
        let changes = core.store.read(|c| outbox::since(c, after, BATCH))?;
        let Some(last) = changes.last().map(|c| c.seq) else {
            return Ok(total);
        };
        total += changes.len();
        // Each entity once per batch, with its state as of now.
        let mut latest: BTreeMap<(Entity, String), ()> = BTreeMap::new();
        for ch in changes.into_iter().filter(|ch| ch.indexed) {
            latest.insert((ch.entity, ch.entity_id), ());
        }
        let items: Vec<(Kind, String)> = latest
            .into_keys()
            .filter_map(|(entity, id)| {
                let kind = match entity {
                    Entity::Article => Kind::Article,
                    Entity::Claim => Kind::Claim,
                    Entity::Note => Kind::Note,
                    // Codes have no documents; their renames are recorded as claim changes.
                    Entity::Codebook => return None,
                    // Not indexed (`EntityKind::indexed`): search reads them from SQLite; their
                    // outbox rows are for the team's sync.
                    Entity::Attribute | Entity::Set | Entity::SavedSearch | Entity::Glossary => {
                        return None
                    }
                };
                Some((kind, id))
            })
            .collect();
        let docs = core.store.read(|c| docs_for(c, &items))?;
        let ops = items
            .into_iter()
            .zip(docs)
            .map(|((kind, id), doc)| match doc {
                Some(d) => IndexOp::Upsert(Box::new(d)),
                None => IndexOp::Delete { kind, id },
            })
            .collect();
        core.index.apply(ops, last)?;
    }
}

/// Fills a new index from SQLite beside the live one and swaps it in when it is
/// complete: until then searches answer from the previous index (and a crash
/// leaves it live). Changes written meanwhile wait in the outbox and are applied
/// afterwards by the normal catch-up, because the recorded sequence is the one
/// read before the entities were.
pub(crate) fn rebuild(core: &Core, progress: &mut dyn FnMut(usize, usize)) -> Result<usize> {
    let _serial = core
        .catch_up
        .lock()
        .map_err(|_| Error::internal("indexer lock poisoned"))?;
    let (seq, total) = core.store.read(|c| {
        let seq = outbox::last_seq(c)?;
        let total = articles::count(c)? + claims::count(c)? + notes::count(c)?;
        Ok((seq, total as usize))
    })?;
    let mut next = core.index.begin_rebuild()?;
    core.rebuild
        .previous
        .store(!next.in_place(), Ordering::Relaxed);
    progress(0, total);
    let mut done = 0;
    // The ids are read a page at a time, never all at once (a million claims'
    // ids were 100 MB held through the whole rebuild). What is written meanwhile
    // is in the outbox after `seq`: the catch-up below makes the index exactly
    // what SQLite says, whether or not a page saw it.
    for kind in [Kind::Article, Kind::Claim, Kind::Note] {
        let mut after = String::new();
        loop {
            let chunk: Vec<(Kind, String)> = core
                .store
                .read(|c| dossier_store::ids_after(c, kind, &after, BATCH))?
                .into_iter()
                .map(|id| (kind, id))
                .collect();
            let Some((_, last)) = chunk.last() else {
                break;
            };
            after = last.clone();
            // The documents go to the rebuild's writer, whose threads analyse them
            // while this one reads the next page from SQLite; it flushes a segment
            // whenever its memory is full.
            let docs = core.store.read(|c| docs_for(c, &chunk))?;
            done += chunk.len();
            core.index
                .add_to_rebuild(&mut next, docs.into_iter().flatten().collect())?;
            progress(done.min(total), total.max(done));
        }
    }
    core.index.finish_rebuild(next, seq)?;
    drop(_serial);
    catch_up(core)?;
    Ok(done)
}

/// Every `(kind, id)` that should have a document in the index.
pub(crate) fn all_documents(c: &Connection) -> Result<Vec<(Kind, String)>> {
    let mut ids: Vec<(Kind, String)> = Vec::new();
    ids.extend(
        articles::all_ids(c)?
            .into_iter()
            .map(|i| (Kind::Article, i)),
    );
    ids.extend(claims::all_ids(c)?.into_iter().map(|i| (Kind::Claim, i)));
    ids.extend(notes::all_ids(c)?.into_iter().map(|i| (Kind::Note, i)));
    Ok(ids)
}

/// The documents SQLite says `items` should have (`None` for one that no
/// longer exists), in the order asked. Claims are read a few hundred at a
/// time, and each article's title, language and date once per call.
pub(crate) fn docs_for(c: &Connection, items: &[(Kind, String)]) -> Result<Vec<Option<IndexDoc>>> {
    let claim_ids: Vec<String> = items
        .iter()
        .filter(|(k, _)| *k == Kind::Claim)
        .map(|(_, id)| id.clone())
        .collect();
    let mut claims: HashMap<String, dossier_model::Claim> = claims::get_many(c, &claim_ids)?
        .into_iter()
        .map(|cl| (cl.id.clone(), cl))
        .collect();
    let mut contexts = HashMap::new();
    items
        .iter()
        .map(|(kind, id)| match kind {
            Kind::Claim => match claims.remove(id) {
                Some(cl) => claim_doc(c, cl, &mut contexts).map(Some),
                None => Ok(None),
            },
            _ => doc_for(c, *kind, id),
        })
        .collect()
}

/// The document SQLite says `kind:id` should have, or `None` when it no longer exists.
pub(crate) fn doc_for(c: &Connection, kind: Kind, id: &str) -> Result<Option<IndexDoc>> {
    Ok(match kind {
        Kind::Article => articles::get(c, id)?.map(|a| IndexDoc {
            date: article_date(a.published.as_deref(), &a.imported_at),
            article_id: Some(a.id.clone()),
            ..IndexDoc::new(kind, a.id, a.title, a.text, a.language)
        }),
        Kind::Claim => match claims::get(c, id)? {
            Some(cl) => Some(claim_doc(c, cl, &mut HashMap::new())?),
            None => None,
        },
        Kind::Note => notes::get(c, id)?.map(|n| {
            let lang = dossier_ingest::detect_language(&format!("{}\n{}", n.title, n.body));
            IndexDoc {
                date: Some(n.created_at),
                article_id: n.article_id,
                ..IndexDoc::new(kind, n.id, n.title, n.body, lang)
            }
        }),
    })
}

/// A claim's document. `contexts` remembers the articles already read.
fn claim_doc(
    c: &Connection,
    cl: dossier_model::Claim,
    contexts: &mut HashMap<String, Option<articles::ArticleContext>>,
) -> Result<IndexDoc> {
    let kind = Kind::Claim;
    // The article's title, language and date, not its text: a rebuild
    // indexes a million claims and must not read their articles' texts.
    let ctx = match contexts.get(&cl.article_id) {
        Some(ctx) => ctx.clone(),
        None => {
            let ctx = articles::context(c, &cl.article_id)?;
            contexts.insert(cl.article_id.clone(), ctx.clone());
            ctx
        }
    };
    let date = ctx
        .as_ref()
        .and_then(|a| article_date(a.published.as_deref(), &a.imported_at));
    let (title, lang) = ctx.map(|a| (a.title, a.language)).unwrap_or_default();
    let rels = relations::of_claim(c, &cl.id)?;
    let mut body = cl.exact.clone();
    let rel_comments = rels.iter().filter_map(|r| r.comment.clone());
    for extra in [cl.comment.clone(), cl.claimant.clone()]
        .into_iter()
        .flatten()
        .chain(rel_comments)
    {
        body.push_str("\n\n");
        body.push_str(&extra);
    }
    Ok(IndexDoc {
        article_id: Some(cl.article_id),
        codes: cl.codes,
        stance: Some(cl.stance.as_str().to_string()),
        start: Some(cl.start),
        claimant: cl.claimant,
        analyst: cl.analyst,
        date,
        verdict: Some(cl.verdict.as_str().to_string()),
        hedging: Some(cl.hedging.as_str().to_string()),
        relations: rels.iter().map(|r| r.kind.as_str().to_string()).collect(),
        translations: cl
            .translations
            .into_iter()
            .map(|t| (t.language, t.text))
            .collect(),
        ..IndexDoc::new(kind, cl.id, title, body, lang)
    })
}

/// What `date:` means for an article and its claims (see `dates::article_date`).
fn article_date(published: Option<&str>, imported_at: &str) -> Option<String> {
    dossier_model::dates::article_date(published, imported_at).map(|d| d.to_string())
}
