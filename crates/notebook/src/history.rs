//! The change log, undo and redo, and the trash.
//!
//! Each change to a claim, note or article made through the façade logs the
//! entity's state before and after (a [`Snapshot`]) in the same transaction
//! as the change. Undo puts `before` back; redo puts `after` back; both are
//! themselves ordinary writes (outbox rows, so the index follows). Deleting
//! also puts the snapshot in the trash, restorable for 30 days.
//!
//! Codebook changes are logged as the code table before and after, with the
//! code links of the claims the change touched (those under the codes it
//! names), so that undo puts paths, colours and links back.

use dossier_model::{
    Article, ArticleSet, AttributeDef, ChangeEntry, Claim, ClaimRelation, EntityKind, Error, Note,
    Result, SavedSearch, TrashItem, UndoOutcome, VerdictChange,
};
use dossier_store::attributes::{self, StoredValue};
use dossier_store::codes::CodeRow;
use dossier_store::journal::{self, EntityRef, Entry};
use dossier_store::outbox::{self, Op};
use dossier_store::{articles, claims, codes, notes, relations, sets, Connection, Write};
use serde::{Deserialize, Serialize};

use crate::notes::resolve_links;
use crate::Notebook;

/// How long deleted things stay restorable.
pub const TRASH_DAYS: i64 = 30;

/// A claim with what hangs on it.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub(crate) struct ClaimState {
    pub(crate) claim: Claim,
    pub(crate) relations: Vec<ClaimRelation>,
    pub(crate) verdicts: Vec<VerdictChange>,
}

/// An entity as it was, enough to put it back.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(tag = "entity", rename_all = "lowercase")]
pub(crate) enum Snapshot {
    Claim(Box<ClaimState>),
    Note(Box<Note>),
    Article {
        article: Box<Article>,
        claims: Vec<ClaimState>,
        /// Its attribute values (absent in entries logged before attributes existed).
        #[serde(default)]
        attributes: Vec<StoredValue>,
        /// The sets it is in (likewise).
        #[serde(default)]
        sets: Vec<String>,
    },
    Codebook(Box<CodebookState>),
    /// An attribute's definition with every article's value of it.
    Attribute {
        def: AttributeDef,
        values: Vec<StoredValue>,
        /// Where it stood in the notebook's order.
        position: Option<i64>,
    },
    /// A set with its members.
    Set {
        set: ArticleSet,
        members: Vec<String>,
        position: Option<i64>,
    },
    /// A saved search.
    SavedSearch {
        search: SavedSearch,
        position: i64,
    },
    /// A concept of the glossary with its terms.
    Glossary(dossier_model::GlossaryConcept),
}

/// The codebook, and the code links of the claims a change may touch.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub(crate) struct CodebookState {
    pub(crate) codes: Vec<CodeRow>,
    pub(crate) claims: Vec<String>,
    /// (claim id, code id)
    pub(crate) links: Vec<(String, String)>,
}

pub(crate) fn codebook_state(c: &Connection, claims: &[String]) -> Result<CodebookState> {
    Ok(CodebookState {
        codes: codes::rows(c)?,
        claims: claims.to_vec(),
        links: codes::links_of(c, claims)?,
    })
}

/// Makes the codebook (and the links of the recorded claims) what `s` says;
/// every claim under a changed code is re-indexed (claims show code paths).
fn apply_codebook(c: &Connection, s: CodebookState) -> Result<()> {
    let current = codes::restore_table(c, &s.codes, &s.claims, &s.links)?;
    let changed: Vec<&str> = s
        .codes
        .iter()
        .filter(|r| current.iter().find(|x| x.id == r.id) != Some(*r))
        .map(|r| r.path.as_str())
        .collect();
    let mut touched = codes::claims_under(c, &changed)?;
    touched.extend(s.claims.iter().cloned());
    touched.sort();
    touched.dedup();
    for id in touched {
        outbox::record(c, EntityKind::Claim, &id, Op::Update)?;
    }
    Ok(())
}

impl Snapshot {
    fn title(&self) -> String {
        match self {
            Snapshot::Claim(c) => c.claim.exact.chars().take(120).collect(),
            Snapshot::Note(n) => n.title.clone(),
            Snapshot::Article { article, .. } => article.title.clone(),
            Snapshot::Codebook(_) => "codebook".into(),
            Snapshot::Attribute { def, .. } => format!("attribute {}", def.name),
            Snapshot::Set { set, .. } => format!("set {}", set.name),
            Snapshot::SavedSearch { search, .. } => format!("saved search {}", search.name),
            Snapshot::Glossary(g) => g
                .terms
                .iter()
                .map(|t| t.term.as_str())
                .collect::<Vec<_>>()
                .join(" ↔ "),
        }
    }
}

pub(crate) fn claim_state(c: &Connection, id: &str) -> Result<Option<ClaimState>> {
    let Some(claim) = claims::get(c, id)? else {
        return Ok(None);
    };
    Ok(Some(ClaimState {
        relations: relations::of_claim(c, id)?,
        verdicts: relations::verdicts(c, id)?,
        claim,
    }))
}

/// How `entity` looks now; `None` when it does not exist. The codebook is
/// snapshot by `codebook_state`, with the claims a change touches.
pub(crate) fn snapshot(c: &Connection, entity: &EntityRef) -> Result<Option<Snapshot>> {
    let id = entity.id.as_str();
    Ok(match entity.kind {
        EntityKind::Claim => claim_state(c, id)?.map(|s| Snapshot::Claim(Box::new(s))),
        EntityKind::Note => notes::get(c, id)?.map(|n| Snapshot::Note(Box::new(n))),
        EntityKind::Article => match articles::get(c, id)? {
            None => None,
            Some(article) => {
                let mut states = Vec::new();
                for cl in claims::list(c, Some(id), None)? {
                    states.extend(claim_state(c, &cl.id)?);
                }
                Some(Snapshot::Article {
                    article: Box::new(article),
                    claims: states,
                    attributes: attributes::stored_of_article(c, id)?,
                    sets: sets::of_article(c, id)?,
                })
            }
        },
        EntityKind::Codebook => Some(Snapshot::Codebook(Box::new(codebook_state(c, &[])?))),
        EntityKind::Attribute => attributes::def(c, id)?
            .map(|def| -> Result<Snapshot> {
                Ok(Snapshot::Attribute {
                    values: attributes::stored_of_attribute(c, &def.name)?,
                    position: attributes::position(c, &def.name)?,
                    def,
                })
            })
            .transpose()?,
        EntityKind::Set => sets::get(c, id)?
            .map(|set| -> Result<Snapshot> {
                Ok(Snapshot::Set {
                    members: sets::members(c, &set.name)?,
                    position: sets::position(c, &set.name)?,
                    set,
                })
            })
            .transpose()?,
        EntityKind::SavedSearch => sets::saved_one(c, id)?
            .map(|(search, position)| Snapshot::SavedSearch { search, position }),
        EntityKind::Glossary => dossier_store::glossary::get(c, id)?.map(Snapshot::Glossary),
    })
}

fn to_json(s: &Option<Snapshot>) -> Result<Option<String>> {
    s.as_ref()
        .map(|s| serde_json::to_string(s).map_err(|e| Error::internal(e.to_string())))
        .transpose()
}

fn from_json(s: Option<&str>) -> Result<Option<Snapshot>> {
    s.map(|s| serde_json::from_str(s).map_err(journal::corrupt))
        .transpose()
}

/// Logs a change of `entity` (with its outbox row, in one call); rows that
/// share a `step` are undone and redone together.
pub(crate) fn log(
    c: &Connection,
    step: Option<i64>,
    entity: &EntityRef,
    action: &str,
    before: &Option<Snapshot>,
    after: &Option<Snapshot>,
) -> Result<()> {
    log_json(c, step, entity, action, &to_json(before)?, &to_json(after)?)
}

/// `log` with the snapshots already serialised.
fn log_json(
    c: &Connection,
    step: Option<i64>,
    entity: &EntityRef,
    action: &str,
    before: &Option<String>,
    after: &Option<String>,
) -> Result<()> {
    journal::record(
        c,
        Entry {
            entity,
            action,
            before: before.as_deref(),
            after: after.as_deref(),
            step,
        },
    )
}

/// Logs a deletion and keeps the snapshot in the trash.
pub(crate) fn log_delete(c: &Connection, entity: &EntityRef, before: Snapshot) -> Result<()> {
    let json = serde_json::to_string(&before).map_err(|e| Error::internal(e.to_string()))?;
    journal::trash_put(c, entity, &before.title(), &json)?;
    log(c, None, entity, "delete", &Some(before), &None)
}

/// Makes `entity` exactly `state` (absent for `None`), as ordinary writes.
pub(crate) fn apply(c: &Connection, entity: &EntityRef, state: Option<Snapshot>) -> Result<()> {
    if let Some(Snapshot::Codebook(s)) = state {
        return apply_codebook(c, *s);
    }
    let id = entity.id.as_str();
    // Remove what is there now (its dependants go with it and come back from the snapshot).
    match entity.kind {
        EntityKind::Claim => {
            claims::delete(c, id)?;
        }
        EntityKind::Codebook => return Ok(()),
        EntityKind::Note => {
            notes::delete(c, id)?;
        }
        EntityKind::Article => {
            articles::delete(c, id)?;
        }
        EntityKind::Attribute => {
            attributes::undefine(c, id)?;
        }
        EntityKind::Set => {
            sets::delete(c, id)?;
        }
        EntityKind::SavedSearch => {
            sets::unsave(c, id)?;
        }
        EntityKind::Glossary => {
            dossier_store::glossary::delete(c, id)?;
        }
    }
    match state {
        None | Some(Snapshot::Codebook(_)) => {}
        Some(Snapshot::Attribute {
            def,
            values,
            position,
        }) => {
            attributes::define(c, &def, position)?;
            attributes::restore(c, &values)?;
            // Attributes are no index documents and no link targets.
            return Ok(());
        }
        Some(Snapshot::Set {
            set,
            members,
            position,
        }) => {
            sets::create(c, &set.name, &set.description, position)?;
            sets::restore_members(c, &set.name, &members)?;
            return Ok(());
        }
        Some(Snapshot::SavedSearch { search, position }) => {
            sets::save(c, &search, Some(position))?;
            return Ok(());
        }
        Some(Snapshot::Glossary(concept)) => {
            dossier_store::glossary::put(c, &concept)?;
            return Ok(());
        }
        Some(Snapshot::Claim(s)) => put_claim(c, *s)?,
        Some(Snapshot::Note(n)) => {
            let mut n = *n;
            if let Some(a) = &n.article_id {
                if articles::get(c, a)?.is_none() {
                    n.article_id = None;
                }
            }
            n.links = resolve_links(c, &n.body)?;
            notes::insert(c, &n)?;
            // Notes that link to it by id or by title lead to it again.
            relink_notes(c, &n.id)?;
            crate::notes::relink_title(c, &n.title, &n.id)?;
        }
        Some(Snapshot::Article {
            article,
            claims: states,
            attributes: values,
            sets: in_sets,
        }) => {
            articles::insert(c, &article)?;
            for s in states {
                put_claim(c, s)?;
            }
            attributes::restore(c, &values)?;
            sets::restore_memberships(c, &article.id, &in_sets)?;
        }
    }
    relink_notes(c, id)
}

/// Puts a claim back with its codes (those still in the codebook), relations
/// (whose other claim still exists) and verdict history.
fn put_claim(c: &Connection, s: ClaimState) -> Result<()> {
    if articles::get(c, &s.claim.article_id)?.is_none() {
        return Err(Error::invalid(
            "the claim's article is gone; restore the article first",
        ));
    }
    let mut code_ids = Vec::new();
    for path in &s.claim.codes {
        if let Some(code) = codes::by_path(c, path)? {
            code_ids.push(code.id);
        }
    }
    claims::insert(c, &s.claim, &code_ids)?;
    for r in &s.relations {
        let other = if r.from_id == s.claim.id {
            &r.to_id
        } else {
            &r.from_id
        };
        if claims::get(c, other)?.is_some() {
            relations::restore(c, r)?;
        }
    }
    for v in &s.verdicts {
        relations::restore_verdict(c, v)?;
    }
    relations::restore_current_verdict(c, &s.claim.id, s.claim.verdict)?;
    relink_notes(c, &s.claim.id)
}

/// Notes that mention `id` in a link get their links resolved again (a restored
/// claim or article is linked again; a removed one drops out).
fn relink_notes(c: &Connection, id: &str) -> Result<()> {
    for nid in notes::ids_mentioning(c, id)? {
        if let Some(mut n) = notes::get(c, &nid)? {
            n.links = resolve_links(c, &n.body)?;
            notes::update(c, &n)?;
        }
    }
    Ok(())
}

/// The entities a logged change touches, each with how it looked before.
pub(crate) struct Step<'c> {
    c: &'c Connection,
    /// In the order they were declared (undo applies them backwards).
    states: std::cell::RefCell<Vec<(EntityRef, Option<Snapshot>)>>,
    /// The entities in `states`, so declaring one is O(1) (an import declares
    /// tens of thousands).
    seen: std::cell::RefCell<std::collections::HashSet<EntityRef>>,
}

impl Step<'_> {
    /// Records how an entity looks before the change writes to it (call it
    /// before the first write; later calls for the same entity do nothing).
    pub(crate) fn will_change(&self, kind: EntityKind, id: &str) -> Result<()> {
        let entity = EntityRef::new(kind, id);
        if !self.seen.borrow_mut().insert(entity.clone()) {
            return Ok(());
        }
        let before = snapshot(self.c, &entity)?;
        self.states.borrow_mut().push((entity, before));
        Ok(())
    }

    /// Records an entity the change created (it did not exist before), when
    /// it was not declared already.
    pub(crate) fn created(&self, kind: EntityKind, id: &str) {
        let entity = EntityRef::new(kind, id);
        if self.seen.borrow_mut().insert(entity.clone()) {
            self.states.borrow_mut().push((entity, None));
        }
    }
}

/// Applies one logged row backwards (`undo`) or forwards, and marks it.
fn undo_one(c: &Connection, e: &ChangeEntry, undo: bool) -> Result<()> {
    let target = if undo { &e.before } else { &e.after };
    let entity = EntityRef::new(e.entity, e.entity_id.clone());
    apply(c, &entity, from_json(target.as_deref())?)?;
    journal::mark_undone(c, e.seq, undo)?;
    // Undoing a deletion takes the item out of the trash; redoing it puts it back.
    if e.action == "delete" {
        if undo {
            journal::trash_remove(c, &entity)?;
        } else if let (Some(s), Some(json)) = (from_json(e.before.as_deref())?, &e.before) {
            journal::trash_put(c, &entity, &s.title(), json)?;
        }
    }
    Ok(())
}

impl Notebook {
    /// Runs `f` in one write transaction and logs how `entity:id` looked
    /// before and after it. `action` is `add`, `edit` or `delete` (a deletion
    /// also goes to the trash).
    pub(crate) fn logged<T>(
        &self,
        kind: EntityKind,
        id: &str,
        action: &str,
        f: impl FnOnce(&Connection) -> Result<T>,
    ) -> Result<T> {
        let entity = EntityRef::new(kind, id);
        self.core.store.write(Write::Logged, |c| {
            let before = snapshot(c, &entity)?;
            let out = f(c)?;
            let after = snapshot(c, &entity)?;
            match (action, before) {
                ("delete", Some(b)) if after.is_none() => log_delete(c, &entity, b)?,
                // Nothing there before or after (a refused change): nothing to log.
                (_, None) if after.is_none() => {}
                (_, before) => log(c, None, &entity, action, &before, &after)?,
            }
            Ok(out)
        })
    }

    /// Runs `f`, which creates one entity and returns it with its id, in one
    /// write transaction, and logs the creation.
    pub(crate) fn logged_new<T>(
        &self,
        kind: EntityKind,
        f: impl FnOnce(&Connection) -> Result<(T, String)>,
    ) -> Result<T> {
        self.core.store.write(Write::Logged, |c| {
            let (out, id) = f(c)?;
            let entity = EntityRef::new(kind, id);
            let after = snapshot(c, &entity)?;
            log(c, None, &entity, "add", &None, &after)?;
            Ok(out)
        })
    }

    /// Runs `f`, a change to many claims, in one write transaction and logs
    /// each claim's state before and after it as one undo step. `before_ids`
    /// are the claims `f` may change or delete; `f` returns the ids of claims it
    /// created or changed (logged too, with their state before if they existed).
    pub(crate) fn logged_claims<T>(
        &self,
        before_ids: &[String],
        action: &str,
        f: impl FnOnce(&Connection) -> Result<(T, Vec<String>)>,
    ) -> Result<T> {
        self.logged_step(action, |c, step| {
            for id in before_ids {
                step.will_change(EntityKind::Claim, id)?;
            }
            let (out, touched) = f(c)?;
            for id in touched {
                // Not declared before: created by `f` (it did not exist).
                step.created(EntityKind::Claim, &id);
            }
            Ok(out)
        })
    }

    /// Runs `f`, a change to several entities, in one write transaction and
    /// logs each one's state before and after it as one undo step. `f` declares
    /// every entity before it writes to it (`Step::will_change`), which records
    /// how it looked.
    pub(crate) fn logged_step<T>(
        &self,
        action: &str,
        f: impl FnOnce(&Connection, &Step<'_>) -> Result<T>,
    ) -> Result<T> {
        self.core.store.write(Write::Logged, |c| {
            let step = Step {
                c,
                states: Default::default(),
                seen: Default::default(),
            };
            let out = f(c, &step)?;
            let number = journal::next_step(c)?;
            for (entity, was) in step.states.into_inner() {
                let (before, after) = (to_json(&was)?, to_json(&snapshot(c, &entity)?)?);
                // Unchanged entities (or never there) are not part of the step.
                if before == after {
                    continue;
                }
                log_json(c, Some(number), &entity, action, &before, &after)?;
            }
            Ok(out)
        })
    }

    /// Runs a codebook change `f` in one write transaction and logs the
    /// codebook before and after, with the links of the claims under `paths`.
    pub(crate) fn logged_codebook<T>(
        &self,
        paths: &[&str],
        action: &str,
        f: impl FnOnce(&Connection) -> Result<T>,
    ) -> Result<T> {
        self.core.store.write(Write::Logged, |c| {
            let affected = codes::claims_under(c, paths)?;
            let before = codebook_state(c, &affected)?;
            let out = f(c)?;
            let after = codebook_state(c, &affected)?;
            let label = EntityRef::new(EntityKind::Codebook, paths.join(" → "));
            log(
                c,
                None,
                &label,
                action,
                &Some(Snapshot::Codebook(Box::new(before))),
                &Some(Snapshot::Codebook(Box::new(after))),
            )?;
            Ok(out)
        })
    }

    /// Runs `f`, which applies changes the team made (`team.rs`), in one write
    /// transaction; each applied change logs itself with `log` or `log_delete`
    /// (as `sync`), so the history shows what the team changed and undo can
    /// take it back.
    pub(crate) fn logged_team<T>(&self, f: impl FnOnce(&Connection) -> Result<T>) -> Result<T> {
        self.core.store.write(Write::Logged, f)
    }

    /// Undoes the newest change not undone yet; `None` when there is nothing to undo.
    pub fn undo(&self) -> Result<Option<UndoOutcome>> {
        self.step(true)
    }

    /// Redoes the change undone last; `None` when there is nothing to redo.
    pub fn redo(&self) -> Result<Option<UndoOutcome>> {
        self.step(false)
    }

    fn step(&self, undo: bool) -> Result<Option<UndoOutcome>> {
        let done = self.core.store.write(Write::Logged, |c| {
            // A change to many entities is one step: all its rows, in the order to apply them.
            let entries = journal::next_to_apply(c, undo)?;
            for e in &entries {
                undo_one(c, e, undo)?;
            }
            Ok(entries.into_iter().next().map(|e| UndoOutcome {
                entity: e.entity,
                entity_id: e.entity_id,
                action: e.action,
            }))
        })?;
        self.nudge();
        Ok(done)
    }

    /// Every logged change of one article, claim or note, oldest first.
    pub fn history(&self, entity: EntityKind, id: &str) -> Result<Vec<ChangeEntry>> {
        self.core
            .store
            .read(|c| journal::history(c, &EntityRef::new(entity, id)))
    }

    /// What was deleted in the last 30 days, newest first (older entries are purged).
    pub fn trash(&self) -> Result<Vec<TrashItem>> {
        self.core
            .store
            .write(Write::Maintenance, |c| journal::trash_list(c, TRASH_DAYS))
    }

    /// SHA-256 of the original files of articles in the trash.
    pub(crate) fn trashed_article_sources(&self) -> Result<Vec<String>> {
        self.core.store.read(journal::trashed_article_sources)
    }

    /// Puts a deleted item back (a claim needs its article to exist).
    pub fn restore_from_trash(&self, trash_id: &str) -> Result<TrashItem> {
        let item = self.core.store.write(Write::Logged, |c| {
            let Some((item, snap)) = journal::trash_get(c, trash_id)? else {
                return Err(Error::not_found("trash item", trash_id));
            };
            let entity = EntityRef::new(item.entity, item.entity_id.clone());
            if snapshot(c, &entity)?.is_some() {
                return Err(Error::invalid(format!(
                    "the {} is already back in the notebook",
                    item.entity
                )));
            }
            let state = from_json(Some(&snap))?;
            apply(c, &entity, state.clone())?;
            log(c, None, &entity, "restore", &None, &state)?;
            journal::trash_delete(c, trash_id)?;
            Ok(item)
        })?;
        self.nudge();
        Ok(item)
    }
}

impl Notebook {
    /// Where the change feed stands now (a window starts following here).
    pub fn change_head(&self) -> Result<i64> {
        self.core.store.read(journal::feed_head)
    }

    /// What other processes changed after `since` (a seq from
    /// [`Notebook::change_head`] or an earlier answer), grouped by kind of
    /// entity, undo and redo included; this process's own changes are left
    /// out (its window shows them already). At most 5 000 changes an answer;
    /// the next call goes on from its `seq`.
    pub fn changes_since(&self, since: i64) -> Result<dossier_model::ChangeFeed> {
        let (rows, reset) = self
            .core
            .store
            .read(|c| journal::feed_since(c, since, 5_000))?;
        let seq = rows.last().map_or(since, |r| r.0);
        let mut batches: Vec<dossier_model::ChangeBatch> = Vec::new();
        for (feed_seq, entity, id) in rows {
            if self.core.store.wrote_feed_row(feed_seq) {
                continue;
            }
            let batch = match batches.iter_mut().position(|b| b.entity == entity) {
                Some(i) => &mut batches[i],
                None => {
                    batches.push(dossier_model::ChangeBatch {
                        entity,
                        ids: Vec::new(),
                    });
                    batches.last_mut().expect("pushed")
                }
            };
            if !batch.ids.contains(&id) && batch.ids.len() < 1_000 {
                batch.ids.push(id);
            }
        }
        Ok(dossier_model::ChangeFeed {
            seq,
            batches,
            reset,
        })
    }
}
