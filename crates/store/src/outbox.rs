//! The outbox / change log. Every mutation calls [`record`] inside its own
//! transaction; the indexer reads rows after the last sequence number it applied.

use dossier_model::Result;
use rusqlite::{params, Connection};

use crate::{now, sql_err};

/// What an outbox row is about: an article, claim or note (indexed), or a code
/// (`Codebook`: not indexed itself; the claims it touches have their own rows).
pub use dossier_model::EntityKind as Entity;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Op {
    Insert,
    Update,
    Delete,
    /// An article's attribute values or set memberships changed: nothing an
    /// index document shows (the indexer passes over it), but the team's sync
    /// sends the article's state.
    Meta,
}

impl Op {
    fn as_str(self) -> &'static str {
        match self {
            Op::Insert => "insert",
            Op::Update => "update",
            Op::Delete => "delete",
            Op::Meta => "meta",
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Change {
    pub seq: i64,
    pub entity: Entity,
    pub entity_id: String,
    /// Whether an index document shows the change (not an article's `meta` row).
    pub indexed: bool,
}

/// The outbox's name of an entity kind: its table (migration 0001) names a
/// code's change `code`, which `EntityKind` reads back as `Codebook`.
fn stored_name(entity: Entity) -> &'static str {
    match entity {
        Entity::Codebook => "code",
        other => other.as_str(),
    }
}

/// Records a change of a named definition (`Attribute`, `Set`, `SavedSearch`),
/// by its name's key (`dossier_model::sync::name_key`: names are compared
/// ignoring ASCII case, as SQLite's NOCASE does).
pub fn record_named(conn: &Connection, entity: Entity, name: &str, op: Op) -> Result<()> {
    record(conn, entity, &dossier_model::sync::name_key(name), op)
}

/// Records that these articles' attribute values or set memberships changed.
pub fn record_meta<'a>(
    conn: &Connection,
    article_ids: impl IntoIterator<Item = &'a String>,
) -> Result<()> {
    for id in article_ids {
        record(conn, Entity::Article, id, Op::Meta)?;
    }
    Ok(())
}

pub fn record(conn: &Connection, entity: Entity, id: &str, op: Op) -> Result<()> {
    conn.prepare_cached("INSERT INTO outbox (entity, entity_id, op, at) VALUES (?1, ?2, ?3, ?4)")
        .and_then(|mut s| s.execute(params![stored_name(entity), id, op.as_str(), now()]))
        .map_err(sql_err)?;
    Ok(())
}

/// Up to `limit` changes with `seq > after`, oldest first.
pub fn since(conn: &Connection, after: i64, limit: usize) -> Result<Vec<Change>> {
    let mut stmt = conn
        .prepare_cached(
            "SELECT seq, entity, entity_id, op FROM outbox WHERE seq > ?1 ORDER BY seq LIMIT ?2",
        )
        .map_err(sql_err)?;
    let rows = stmt
        .query_map(params![after, limit as i64], |r| {
            let entity = crate::entity_kind(r.get(1)?)?;
            Ok(Change {
                seq: r.get(0)?,
                indexed: entity.indexed() && r.get::<_, String>(3)? != "meta",
                entity,
                entity_id: r.get(2)?,
            })
        })
        .map_err(sql_err)?;
    rows.collect::<Result<_, _>>().map_err(sql_err)
}

pub fn last_seq(conn: &Connection) -> Result<i64> {
    conn.query_row("SELECT coalesce(max(seq), 0) FROM outbox", [], |r| r.get(0))
        .map_err(sql_err)
}
