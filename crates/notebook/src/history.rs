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
    Article, ChangeEntry, Claim, ClaimRelation, Error, Note, Result, TrashItem, UndoOutcome,
    VerdictChange,
};
use dossier_store::{
    articles, claims, codes, new_id, notes, now, params, relations, sql_err, Connection,
    OptionalExtension,
};
use serde::{Deserialize, Serialize};

use crate::notes::resolve_links;
use crate::Notebook;

/// How long deleted things stay restorable.
pub const TRASH_DAYS: i64 = 30;

/// A claim with what hangs on it.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub(crate) struct ClaimState {
    claim: Claim,
    relations: Vec<ClaimRelation>,
    verdicts: Vec<VerdictChange>,
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
    },
    Codebook(Box<CodebookState>),
}

/// One row of the `code` table.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub(crate) struct CodeRow {
    id: String,
    parent_id: Option<String>,
    name: String,
    path: String,
    color: String,
    description: String,
    sort_order: i64,
}

/// The codebook, and the code links of the claims a change may touch.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub(crate) struct CodebookState {
    codes: Vec<CodeRow>,
    claims: Vec<String>,
    /// (claim id, code id)
    links: Vec<(String, String)>,
}

fn codebook_state(c: &Connection, claims: &[String]) -> Result<CodebookState> {
    let mut stmt = c
        .prepare_cached("SELECT id, parent_id, name, path, color, description, sort_order FROM code ORDER BY path")
        .map_err(sql_err)?;
    let codes = stmt
        .query_map([], |r| {
            Ok(CodeRow {
                id: r.get(0)?,
                parent_id: r.get(1)?,
                name: r.get(2)?,
                path: r.get(3)?,
                color: r.get(4)?,
                description: r.get(5)?,
                sort_order: r.get(6)?,
            })
        })
        .map_err(sql_err)?
        .collect::<std::result::Result<Vec<_>, _>>()
        .map_err(sql_err)?;
    let mut links = Vec::new();
    let mut stmt = c
        .prepare_cached("SELECT claim_id, code_id FROM claim_code WHERE claim_id = ?1")
        .map_err(sql_err)?;
    for id in claims {
        let rows = stmt
            .query_map([id], |r| Ok((r.get(0)?, r.get(1)?)))
            .map_err(sql_err)?;
        for row in rows {
            links.push(row.map_err(sql_err)?);
        }
    }
    Ok(CodebookState {
        codes,
        claims: claims.to_vec(),
        links,
    })
}

/// Claims carrying one of `paths` or a code below them.
fn claims_under(c: &Connection, paths: &[&str]) -> Result<Vec<String>> {
    let mut out = std::collections::BTreeSet::new();
    let mut stmt = c
        .prepare_cached(
            "SELECT DISTINCT cc.claim_id FROM claim_code cc JOIN code k ON k.id = cc.code_id
             WHERE k.path = ?1 OR substr(k.path, 1, length(?1) + 1) = ?1 || '/'",
        )
        .map_err(sql_err)?;
    for p in paths {
        let p = p.trim_matches('/');
        let rows = stmt
            .query_map([p], |r| r.get::<_, String>(0))
            .map_err(sql_err)?;
        for r in rows {
            out.insert(r.map_err(sql_err)?);
        }
    }
    Ok(out.into_iter().collect())
}

/// Makes the codebook (and the links of the recorded claims) what `s` says.
fn apply_codebook(c: &Connection, s: CodebookState) -> Result<()> {
    let current = codebook_state(c, &s.claims)?;
    for id in &s.claims {
        c.execute("DELETE FROM claim_code WHERE claim_id = ?1", [id])
            .map_err(sql_err)?;
    }
    let wanted: std::collections::HashMap<&str, &CodeRow> =
        s.codes.iter().map(|r| (r.id.as_str(), r)).collect();
    // Codes the change added: remove, deepest first.
    let mut extra: Vec<&CodeRow> = current
        .codes
        .iter()
        .filter(|r| !wanted.contains_key(r.id.as_str()))
        .collect();
    extra.sort_by_key(|r| std::cmp::Reverse(r.path.matches('/').count()));
    for r in extra {
        c.execute("DELETE FROM claim_code WHERE code_id = ?1", [&r.id])
            .map_err(sql_err)?;
        c.execute("DELETE FROM code WHERE id = ?1", [&r.id])
            .map_err(sql_err)?;
    }
    // Paths move out of the way first, so a swap cannot collide on the unique path.
    c.execute("UPDATE code SET path = '\u{1}' || id", [])
        .map_err(sql_err)?;
    let mut rows: Vec<&CodeRow> = s.codes.iter().collect();
    rows.sort_by_key(|r| r.path.matches('/').count());
    for r in rows {
        c.execute(
            "INSERT INTO code (id, parent_id, name, path, color, description, sort_order) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)
             ON CONFLICT(id) DO UPDATE SET parent_id = ?2, name = ?3, path = ?4, color = ?5, description = ?6, sort_order = ?7",
            params![r.id, r.parent_id, r.name, r.path, r.color, r.description, r.sort_order],
        )
        .map_err(sql_err)?;
    }
    for (claim, code) in &s.links {
        c.execute(
            "INSERT OR IGNORE INTO claim_code (claim_id, code_id) SELECT ?1, ?2 WHERE EXISTS (SELECT 1 FROM claim WHERE id = ?1)",
            params![claim, code],
        )
        .map_err(sql_err)?;
    }
    // Claims show code paths in the index: every claim under a changed code is re-indexed.
    let changed: Vec<&str> = s
        .codes
        .iter()
        .filter(|r| current.codes.iter().find(|x| x.id == r.id) != Some(*r))
        .map(|r| r.path.as_str())
        .collect();
    let mut touched = claims_under(c, &changed)?;
    touched.extend(s.claims.iter().cloned());
    touched.sort();
    touched.dedup();
    for id in touched {
        dossier_store::outbox::record(
            c,
            dossier_store::outbox::Entity::Claim,
            &id,
            dossier_store::outbox::Op::Update,
        )?;
    }
    Ok(())
}

impl Snapshot {
    fn entity(&self) -> &'static str {
        match self {
            Snapshot::Claim(_) => "claim",
            Snapshot::Note(_) => "note",
            Snapshot::Article { .. } => "article",
            Snapshot::Codebook(_) => "codebook",
        }
    }

    fn title(&self) -> String {
        match self {
            Snapshot::Claim(c) => c.claim.exact.chars().take(120).collect(),
            Snapshot::Note(n) => n.title.clone(),
            Snapshot::Article { article, .. } => article.title.clone(),
            Snapshot::Codebook(_) => "codebook".into(),
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

pub(crate) fn snapshot(c: &Connection, entity: &str, id: &str) -> Result<Option<Snapshot>> {
    Ok(match entity {
        "claim" => claim_state(c, id)?.map(|s| Snapshot::Claim(Box::new(s))),
        "note" => notes::get(c, id)?.map(|n| Snapshot::Note(Box::new(n))),
        _ => match articles::get(c, id)? {
            None => None,
            Some(article) => {
                let mut states = Vec::new();
                for cl in claims::list(c, Some(id), None)? {
                    states.extend(claim_state(c, &cl.id)?);
                }
                Some(Snapshot::Article {
                    article: Box::new(article),
                    claims: states,
                })
            }
        },
    })
}

fn to_json(s: &Option<Snapshot>) -> Result<Option<String>> {
    s.as_ref()
        .map(|s| serde_json::to_string(s).map_err(|e| Error::internal(e.to_string())))
        .transpose()
}

fn from_json(s: Option<String>) -> Result<Option<Snapshot>> {
    s.map(|s| serde_json::from_str(&s).map_err(|e| Error::internal(format!("change log: {e}"))))
        .transpose()
}

/// Logs a change (a new change ends the redo chain).
pub(crate) fn log(
    c: &Connection,
    entity: &str,
    id: &str,
    action: &str,
    before: &Option<Snapshot>,
    after: &Option<Snapshot>,
) -> Result<()> {
    log_in_step(c, None, entity, id, action, before, after)
}

/// Logs one entity's part of a change; rows that share a `step` are undone and
/// redone together.
pub(crate) fn log_in_step(
    c: &Connection,
    step: Option<i64>,
    entity: &str,
    id: &str,
    action: &str,
    before: &Option<Snapshot>,
    after: &Option<Snapshot>,
) -> Result<()> {
    // Undone changes can no longer be redone, but stay in the history (2 = abandoned).
    c.execute("UPDATE change_log SET undone = 2 WHERE undone = 1", [])
        .map_err(sql_err)?;
    c.execute(
        "INSERT INTO change_log (at, entity, entity_id, action, before, after, step) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
        params![now(), entity, id, action, to_json(before)?, to_json(after)?, step],
    )
    .map_err(sql_err)?;
    Ok(())
}

/// A step number no logged row has yet.
fn next_step(c: &Connection) -> Result<i64> {
    c.query_row(
        "SELECT coalesce(max(step), 0) + 1 FROM change_log",
        [],
        |r| r.get(0),
    )
    .map_err(sql_err)
}

/// Logs a deletion and keeps the snapshot in the trash.
pub(crate) fn log_delete(c: &Connection, before: Snapshot) -> Result<()> {
    let id = match &before {
        Snapshot::Claim(s) => s.claim.id.clone(),
        Snapshot::Note(n) => n.id.clone(),
        Snapshot::Article { article, .. } => article.id.clone(),
        Snapshot::Codebook(_) => "codebook".into(),
    };
    c.execute(
        "INSERT INTO trash (id, entity, entity_id, title, snapshot, deleted_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
        params![
            new_id(),
            before.entity(),
            id,
            before.title(),
            serde_json::to_string(&before).map_err(|e| Error::internal(e.to_string()))?,
            now()
        ],
    )
    .map_err(sql_err)?;
    let entity = before.entity();
    log(c, entity, &id, "delete", &Some(before), &None)
}

/// Makes `entity:id` exactly `state` (absent for `None`), as ordinary writes.
fn apply(c: &Connection, entity: &str, id: &str, state: Option<Snapshot>) -> Result<()> {
    if let Some(Snapshot::Codebook(s)) = state {
        return apply_codebook(c, *s);
    }
    // Remove what is there now (its dependants go with it and come back from the snapshot).
    match entity {
        "claim" => {
            claims::delete(c, id)?;
        }
        "codebook" => return Ok(()),
        "note" => {
            notes::delete(c, id)?;
        }
        _ => {
            articles::delete(c, id)?;
        }
    }
    match state {
        None | Some(Snapshot::Codebook(_)) => {}
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
        }
        Some(Snapshot::Article {
            article,
            claims: states,
        }) => {
            articles::insert(c, &article)?;
            for s in states {
                put_claim(c, s)?;
            }
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
    for r in s.relations {
        let other = if r.from_id == s.claim.id {
            &r.to_id
        } else {
            &r.from_id
        };
        if claims::get(c, other)?.is_some() {
            c.execute(
                "INSERT OR IGNORE INTO claim_relation (id, from_id, to_id, kind, comment, analyst, created_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
                params![r.id, r.from_id, r.to_id, r.kind.as_str(), r.comment, r.analyst, r.created_at],
            )
            .map_err(sql_err)?;
        }
    }
    for v in s.verdicts {
        c.execute(
            "INSERT OR IGNORE INTO claim_verdict (id, claim_id, verdict, analyst, note, evidence, at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
            params![
                v.id,
                v.claim_id,
                v.verdict.as_str(),
                v.analyst,
                v.note,
                serde_json::to_string(&v.evidence).unwrap_or_else(|_| "[]".into()),
                v.at
            ],
        )
        .map_err(sql_err)?;
    }
    c.execute(
        "UPDATE claim SET verdict = ?2 WHERE id = ?1",
        params![s.claim.id, s.claim.verdict.as_str()],
    )
    .map_err(sql_err)?;
    relink_notes(c, &s.claim.id)
}

/// Notes that mention `id` in a link get their links resolved again (a restored
/// claim or article is linked again; a removed one drops out).
fn relink_notes(c: &Connection, id: &str) -> Result<()> {
    let ids: Vec<String> = {
        let mut stmt = c
            .prepare_cached("SELECT id FROM note WHERE instr(body, ?1) > 0")
            .map_err(sql_err)?;
        let rows = stmt.query_map([id], |r| r.get(0)).map_err(sql_err)?;
        rows.collect::<std::result::Result<_, _>>()
            .map_err(sql_err)?
    };
    for nid in ids {
        if let Some(mut n) = notes::get(c, &nid)? {
            n.links = resolve_links(c, &n.body)?;
            notes::update(c, &n)?;
        }
    }
    Ok(())
}

fn entry(r: &dossier_store::Row<'_>) -> std::result::Result<ChangeEntry, dossier_store::SqlError> {
    Ok(ChangeEntry {
        seq: r.get(0)?,
        at: r.get(1)?,
        entity: r.get(2)?,
        entity_id: r.get(3)?,
        action: r.get(4)?,
        before: r.get(5)?,
        after: r.get(6)?,
        undone: r.get::<_, i64>(7)? != 0,
    })
}

const ENTRY_COLUMNS: &str = "seq, at, entity, entity_id, action, before, after, undone";

/// Applies one logged row backwards (`undo`) or forwards, and marks it.
fn undo_one(c: &Connection, e: ChangeEntry, undo: bool) -> Result<()> {
    let target = if undo {
        e.before.clone()
    } else {
        e.after.clone()
    };
    apply(c, &e.entity, &e.entity_id, from_json(target)?)?;
    c.execute(
        "UPDATE change_log SET undone = ?2 WHERE seq = ?1",
        params![e.seq, i64::from(undo)],
    )
    .map_err(sql_err)?;
    // Undoing a deletion takes the item out of the trash; redoing it puts it back.
    if e.action == "delete" {
        if undo {
            c.execute(
                "DELETE FROM trash WHERE entity = ?1 AND entity_id = ?2",
                params![e.entity, e.entity_id],
            )
            .map_err(sql_err)?;
        } else if let Some(s) = from_json(e.before.clone())? {
            c.execute(
                "INSERT INTO trash (id, entity, entity_id, title, snapshot, deleted_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
                params![new_id(), e.entity, e.entity_id, s.title(), e.before, now()],
            )
            .map_err(sql_err)?;
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
        entity: &str,
        id: &str,
        action: &str,
        f: impl FnOnce(&Connection) -> Result<T>,
    ) -> Result<T> {
        self.core.store.write(|c| {
            let before = snapshot(c, entity, id)?;
            let out = f(c)?;
            let after = snapshot(c, entity, id)?;
            match (action, before) {
                ("delete", Some(b)) if after.is_none() => log_delete(c, b)?,
                // Nothing there before or after (a refused change): nothing to log.
                (_, None) if after.is_none() => {}
                (_, before) => log(c, entity, id, action, &before, &after)?,
            }
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
        self.core.store.write(|c| {
            let mut before: Vec<(String, Option<Snapshot>)> = Vec::new();
            for id in before_ids {
                before.push((id.clone(), snapshot(c, "claim", id)?));
            }
            let (out, touched) = f(c)?;
            for id in touched {
                if !before.iter().any(|(b, _)| *b == id) {
                    before.push((id, None));
                }
            }
            let step = next_step(c)?;
            for (id, was) in before {
                let now_state = snapshot(c, "claim", &id)?;
                if was.is_none() && now_state.is_none() {
                    continue;
                }
                // Unchanged claims are not part of the step.
                if to_json(&was)? == to_json(&now_state)? {
                    continue;
                }
                log_in_step(c, Some(step), "claim", &id, action, &was, &now_state)?;
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
        self.core.store.write(|c| {
            let affected = claims_under(c, paths)?;
            let before = codebook_state(c, &affected)?;
            let out = f(c)?;
            let after = codebook_state(c, &affected)?;
            let label = paths.join(" → ");
            log(
                c,
                "codebook",
                &label,
                action,
                &Some(Snapshot::Codebook(Box::new(before))),
                &Some(Snapshot::Codebook(Box::new(after))),
            )?;
            Ok(out)
        })
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
        let sql = if undo {
            format!(
                "SELECT {ENTRY_COLUMNS} FROM change_log WHERE undone = 0 ORDER BY seq DESC LIMIT 1"
            )
        } else {
            format!(
                "SELECT {ENTRY_COLUMNS} FROM change_log WHERE undone = 1 ORDER BY seq ASC LIMIT 1"
            )
        };
        let done = self.core.store.write(|c| {
            let Some(newest) = c.query_row(&sql, [], entry).optional().map_err(sql_err)? else {
                return Ok(None);
            };
            // A change to many claims is one step: all its rows, newest first to undo.
            let step: Option<i64> = c
                .query_row("SELECT step FROM change_log WHERE seq = ?1", [newest.seq], |r| r.get(0))
                .map_err(sql_err)?;
            let entries = match step {
                None => vec![newest],
                Some(step) => {
                    let order = if undo { "DESC" } else { "ASC" };
                    let mut stmt = c
                        .prepare(&format!(
                            "SELECT {ENTRY_COLUMNS} FROM change_log WHERE step = ?1 AND undone = ?2 ORDER BY seq {order}"
                        ))
                        .map_err(sql_err)?;
                    let rows = stmt
                        .query_map(params![step, i64::from(!undo)], entry)
                        .map_err(sql_err)?;
                    rows.collect::<std::result::Result<Vec<_>, _>>().map_err(sql_err)?
                }
            };
            let first = entries.first().map(|e| (e.entity.clone(), e.entity_id.clone(), e.action.clone()));
            for e in entries {
                undo_one(c, e, undo)?;
            }
            Ok(first.map(|(entity, entity_id, action)| UndoOutcome {
                entity,
                entity_id,
                action,
            }))
        })?;
        self.nudge();
        Ok(done)
    }

    /// Every logged change of one article, claim or note, oldest first.
    pub fn history(&self, entity: dossier_model::EntityKind, id: &str) -> Result<Vec<ChangeEntry>> {
        let entity = entity.as_str();
        self.core.store.read(|c| {
            let mut stmt = c
                .prepare_cached(&format!(
                    "SELECT {ENTRY_COLUMNS} FROM change_log WHERE entity = ?1 AND entity_id = ?2 ORDER BY seq"
                ))
                .map_err(sql_err)?;
            let rows = stmt.query_map(params![entity, id], entry).map_err(sql_err)?;
            rows.collect::<std::result::Result<_, _>>().map_err(sql_err)
        })
    }

    /// What was deleted in the last 30 days, newest first (older entries are purged).
    pub fn trash(&self) -> Result<Vec<TrashItem>> {
        self.core.store.write(|c| {
            c.execute(
                "DELETE FROM trash WHERE deleted_at < strftime('%Y-%m-%dT%H:%M:%fZ', 'now', ?1)",
                [format!("-{TRASH_DAYS} days")],
            )
            .map_err(sql_err)?;
            let mut stmt = c
                .prepare_cached("SELECT id, entity, entity_id, title, deleted_at FROM trash ORDER BY deleted_at DESC")
                .map_err(sql_err)?;
            let rows = stmt
                .query_map([], |r| {
                    Ok(TrashItem {
                        id: r.get(0)?,
                        entity: r.get(1)?,
                        entity_id: r.get(2)?,
                        title: r.get(3)?,
                        deleted_at: r.get(4)?,
                    })
                })
                .map_err(sql_err)?;
            rows.collect::<std::result::Result<_, _>>().map_err(sql_err)
        })
    }

    /// SHA-256 of the original files of articles in the trash.
    pub(crate) fn trashed_article_sources(&self) -> Result<Vec<String>> {
        self.core.store.read(|c| {
            let mut stmt = c
                .prepare_cached("SELECT json_extract(snapshot, '$.article.sha256') FROM trash WHERE entity = 'article'")
                .map_err(sql_err)?;
            let rows = stmt
                .query_map([], |r| r.get::<_, Option<String>>(0))
                .map_err(sql_err)?;
            let all: Vec<Option<String>> = rows.collect::<std::result::Result<_, _>>().map_err(sql_err)?;
            Ok(all.into_iter().flatten().collect())
        })
    }

    /// Puts a deleted item back (a claim needs its article to exist).
    pub fn restore_from_trash(&self, trash_id: &str) -> Result<TrashItem> {
        let item = self.core.store.write(|c| {
            let row: Option<(String, String, String, String, String)> = c
                .query_row(
                    "SELECT entity, entity_id, title, snapshot, deleted_at FROM trash WHERE id = ?1",
                    [trash_id],
                    |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?)),
                )
                .optional()
                .map_err(sql_err)?;
            let Some((entity, entity_id, title, snap, deleted_at)) = row else {
                return Err(Error::not_found("trash item", trash_id));
            };
            if snapshot(c, &entity, &entity_id)?.is_some() {
                return Err(Error::invalid(format!("the {entity} is already back in the notebook")));
            }
            let state = from_json(Some(snap))?;
            apply(c, &entity, &entity_id, state.clone())?;
            log(c, &entity, &entity_id, "restore", &None, &state)?;
            c.execute("DELETE FROM trash WHERE id = ?1", [trash_id])
                .map_err(sql_err)?;
            Ok(TrashItem {
                id: trash_id.to_string(),
                entity,
                entity_id,
                title,
                deleted_at,
            })
        })?;
        self.nudge();
        Ok(item)
    }
}
