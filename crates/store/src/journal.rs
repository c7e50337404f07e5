//! The change log (history, undo, redo) and the trash.
//!
//! [`record`] is the one call a logged change makes: it writes the change-log
//! row *and* the outbox row of the entity, in the caller's transaction, so
//! history, undo and the index cannot disagree about what changed. The
//! façade decides what a change's before and after look like (its snapshots,
//! JSON); this module only stores and finds them.

use dossier_model::{ChangeEntry, EntityKind, Error, Result, TrashItem};
use rusqlite::{params, Connection, OptionalExtension, Row};

use crate::outbox::{self, Op};
use crate::{entity_kind, new_id, now, sql_err};

/// An entity by kind and id: what a change-log row, a trash item or an outbox
/// row is about.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct EntityRef {
    pub kind: EntityKind,
    pub id: String,
}

impl EntityRef {
    pub fn new(kind: EntityKind, id: impl Into<String>) -> EntityRef {
        EntityRef {
            kind,
            id: id.into(),
        }
    }
}

/// One logged change: the entity's snapshots (JSON) before and after it.
#[derive(Debug, Clone, Copy)]
pub struct Entry<'a> {
    pub entity: &'a EntityRef,
    /// `add`, `edit`, `delete`, `restore`, `carry`…; for the codebook `add code`…
    pub action: &'a str,
    pub before: Option<&'a str>,
    pub after: Option<&'a str>,
    /// Rows that share a step are undone and redone together.
    pub step: Option<i64>,
}

/// Logs a change and queues its entity for the index, in one call. A new
/// change ends the redo chain (undone rows stay in the history, marked abandoned).
pub fn record(c: &Connection, e: Entry<'_>) -> Result<()> {
    // Cached statements: an import logs tens of thousands of changes.
    c.prepare_cached("UPDATE change_log SET undone = 2 WHERE undone = 1")
        .and_then(|mut s| s.execute([]))
        .map_err(sql_err)?;
    c.prepare_cached(
        "INSERT INTO change_log (at, entity, entity_id, action, before, after, step) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
    )
    .and_then(|mut s| {
        s.execute(params![now(), e.entity.kind.as_str(), e.entity.id, e.action, e.before, e.after, e.step])
    })
    .map_err(sql_err)?;
    feed(c, e.entity.kind.as_str(), &e.entity.id)?;
    let op = match (e.before, e.after) {
        (None, _) => Op::Insert,
        (_, None) => Op::Delete,
        _ => Op::Update,
    };
    if !e.entity.kind.indexed() {
        return Ok(());
    }
    outbox::record(c, e.entity.kind, &e.entity.id, op)
}

/// A step number no logged row has yet.
pub fn next_step(c: &Connection) -> Result<i64> {
    c.query_row(
        "SELECT coalesce(max(step), 0) + 1 FROM change_log",
        [],
        |r| r.get(0),
    )
    .map_err(sql_err)
}

const ENTRY_COLUMNS: &str = "seq, at, entity, entity_id, action, before, after, undone";

fn entry(r: &Row<'_>) -> rusqlite::Result<ChangeEntry> {
    Ok(ChangeEntry {
        seq: r.get(0)?,
        at: r.get(1)?,
        entity: entity_kind(r.get(2)?)?,
        entity_id: r.get(3)?,
        action: r.get(4)?,
        before: r.get(5)?,
        after: r.get(6)?,
        undone: r.get::<_, i64>(7)? != 0,
    })
}

/// Every logged change of one entity, oldest first.
pub fn history(c: &Connection, entity: &EntityRef) -> Result<Vec<ChangeEntry>> {
    let mut stmt = c
        .prepare_cached(&format!(
            "SELECT {ENTRY_COLUMNS} FROM change_log WHERE entity = ?1 AND entity_id = ?2 ORDER BY seq"
        ))
        .map_err(sql_err)?;
    let rows = stmt
        .query_map(params![entity.kind.as_str(), entity.id], entry)
        .map_err(sql_err)?;
    rows.collect::<std::result::Result<_, _>>().map_err(sql_err)
}

/// The rows undo (`undo`) or redo would apply next, in the order to apply
/// them: the newest change not undone, or the oldest undone one, with every
/// row of its step. Empty when there is nothing to do.
pub fn next_to_apply(c: &Connection, undo: bool) -> Result<Vec<ChangeEntry>> {
    let sql = if undo {
        format!("SELECT {ENTRY_COLUMNS}, step FROM change_log WHERE undone = 0 ORDER BY seq DESC LIMIT 1")
    } else {
        format!("SELECT {ENTRY_COLUMNS}, step FROM change_log WHERE undone = 1 ORDER BY seq ASC LIMIT 1")
    };
    let Some((first, step)) = c
        .query_row(&sql, [], |r| Ok((entry(r)?, r.get::<_, Option<i64>>(8)?)))
        .optional()
        .map_err(sql_err)?
    else {
        return Ok(Vec::new());
    };
    let Some(step) = step else {
        return Ok(vec![first]);
    };
    let order = if undo { "DESC" } else { "ASC" };
    let mut stmt = c
        .prepare_cached(&format!(
            "SELECT {ENTRY_COLUMNS} FROM change_log WHERE step = ?1 AND undone = ?2 ORDER BY seq {order}"
        ))
        .map_err(sql_err)?;
    let rows = stmt
        .query_map(params![step, i64::from(!undo)], entry)
        .map_err(sql_err)?;
    rows.collect::<std::result::Result<_, _>>().map_err(sql_err)
}

/// Marks a row undone (or done again).
pub fn mark_undone(c: &Connection, seq: i64, undone: bool) -> Result<()> {
    c.execute(
        "UPDATE change_log SET undone = ?2 WHERE seq = ?1",
        params![seq, i64::from(undone)],
    )
    .map_err(sql_err)?;
    let (entity, id): (String, String) = c
        .query_row(
            "SELECT entity, entity_id FROM change_log WHERE seq = ?1",
            [seq],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .map_err(sql_err)?;
    feed(c, &entity, &id)
}

/// Rows of the change feed kept (older ones are pruned as new ones come).
pub const FEED_KEPT: i64 = 20_000;

/// Appends to the change feed, and drops the row that falls out of it.
/// Logged changes feed it through `record`; writes that are not logged (new
/// articles from an import) call it themselves, so a window on the same
/// notebook sees them too.
pub fn feed(c: &Connection, entity: &str, id: &str) -> Result<()> {
    c.prepare_cached("INSERT INTO change_feed (entity, entity_id) VALUES (?1, ?2)")
        .and_then(|mut s| s.execute(params![entity, id]))
        .map_err(sql_err)?;
    c.prepare_cached("DELETE FROM change_feed WHERE seq <= last_insert_rowid() - ?1")
        .and_then(|mut s| s.execute([FEED_KEPT]))
        .map_err(sql_err)?;
    Ok(())
}

/// One row of the change feed: `(seq, entity, id)`.
pub type FeedRow = (i64, EntityKind, String);

/// The change feed after `since`: `(seq, entity, id)` in order, at most
/// `limit`, and whether rows after `since` were already pruned (the reader
/// must reload everything).
pub fn feed_since(c: &Connection, since: i64, limit: usize) -> Result<(Vec<FeedRow>, bool)> {
    let oldest: Option<i64> = c
        .query_row("SELECT min(seq) FROM change_feed", [], |r| r.get(0))
        .map_err(sql_err)?;
    let pruned = oldest.is_some_and(|o| o > since + 1);
    let mut stmt = c
        .prepare_cached(
            "SELECT seq, entity, entity_id FROM change_feed WHERE seq > ?1 ORDER BY seq LIMIT ?2",
        )
        .map_err(sql_err)?;
    let rows = stmt
        .query_map(params![since, limit as i64], |r| {
            Ok((
                r.get::<_, i64>(0)?,
                r.get::<_, String>(1)?,
                r.get::<_, String>(2)?,
            ))
        })
        .map_err(sql_err)?;
    let mut out = Vec::new();
    for row in rows {
        let (seq, entity, id) = row.map_err(sql_err)?;
        if let Some(kind) = EntityKind::parse(&entity) {
            out.push((seq, kind, id));
        }
    }
    Ok((out, pruned))
}

/// The newest seq of the change feed (0 when empty).
pub fn feed_head(c: &Connection) -> Result<i64> {
    c.query_row("SELECT coalesce(max(seq), 0) FROM change_feed", [], |r| {
        r.get(0)
    })
    .map_err(sql_err)
}

/// Puts a deleted entity's snapshot in the trash.
pub fn trash_put(c: &Connection, entity: &EntityRef, title: &str, snapshot: &str) -> Result<()> {
    c.execute(
        "INSERT INTO trash (id, entity, entity_id, title, snapshot, deleted_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
        params![new_id(), entity.kind.as_str(), entity.id, title, snapshot, now()],
    )
    .map_err(sql_err)?;
    Ok(())
}

/// Takes an entity out of the trash (its deletion was undone).
pub fn trash_remove(c: &Connection, entity: &EntityRef) -> Result<()> {
    c.execute(
        "DELETE FROM trash WHERE entity = ?1 AND entity_id = ?2",
        params![entity.kind.as_str(), entity.id],
    )
    .map_err(sql_err)?;
    Ok(())
}

fn trash_item(r: &Row<'_>) -> rusqlite::Result<TrashItem> {
    Ok(TrashItem {
        id: r.get(0)?,
        entity: entity_kind(r.get(1)?)?,
        entity_id: r.get(2)?,
        title: r.get(3)?,
        deleted_at: r.get(4)?,
    })
}

/// What was deleted in the last `keep_days` days, newest first; older items
/// are purged.
pub fn trash_list(c: &Connection, keep_days: i64) -> Result<Vec<TrashItem>> {
    c.execute(
        "DELETE FROM trash WHERE deleted_at < strftime('%Y-%m-%dT%H:%M:%fZ', 'now', ?1)",
        [format!("-{keep_days} days")],
    )
    .map_err(sql_err)?;
    let mut stmt = c
        .prepare_cached(
            "SELECT id, entity, entity_id, title, deleted_at FROM trash ORDER BY deleted_at DESC",
        )
        .map_err(sql_err)?;
    let rows = stmt.query_map([], trash_item).map_err(sql_err)?;
    rows.collect::<std::result::Result<_, _>>().map_err(sql_err)
}

/// One trash item with its snapshot.
pub fn trash_get(c: &Connection, trash_id: &str) -> Result<Option<(TrashItem, String)>> {
    c.query_row(
        "SELECT id, entity, entity_id, title, deleted_at, snapshot FROM trash WHERE id = ?1",
        [trash_id],
        |r| Ok((trash_item(r)?, r.get(5)?)),
    )
    .optional()
    .map_err(sql_err)
}

/// Removes one trash item (it was restored).
pub fn trash_delete(c: &Connection, trash_id: &str) -> Result<()> {
    c.execute("DELETE FROM trash WHERE id = ?1", [trash_id])
        .map_err(sql_err)?;
    Ok(())
}

/// SHA-256 of the original files of articles in the trash (kept on disk).
pub fn trashed_article_sources(c: &Connection) -> Result<Vec<String>> {
    let mut stmt = c
        .prepare_cached(
            "SELECT json_extract(snapshot, '$.article.sha256') FROM trash WHERE entity = 'article'",
        )
        .map_err(sql_err)?;
    let rows = stmt
        .query_map([], |r| r.get::<_, Option<String>>(0))
        .map_err(sql_err)?;
    let all: Vec<Option<String>> = rows
        .collect::<std::result::Result<_, _>>()
        .map_err(sql_err)?;
    Ok(all.into_iter().flatten().collect())
}

/// For errors about a snapshot the log holds but cannot be read.
pub fn corrupt(what: impl std::fmt::Display) -> Error {
    Error::internal(format!("change log: {what}"))
}
