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
}

impl Op {
    fn as_str(self) -> &'static str {
        match self {
            Op::Insert => "insert",
            Op::Update => "update",
            Op::Delete => "delete",
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Change {
    pub seq: i64,
    pub entity: Entity,
    pub entity_id: String,
}

/// The outbox's name of an entity kind: its table (migration 0001) names a
/// code's change `code`, which `EntityKind` reads back as `Codebook`.
fn stored_name(entity: Entity) -> &'static str {
    match entity {
        Entity::Codebook => "code",
        other => other.as_str(),
    }
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
            "SELECT seq, entity, entity_id FROM outbox WHERE seq > ?1 ORDER BY seq LIMIT ?2",
        )
        .map_err(sql_err)?;
    let rows = stmt
        .query_map(params![after, limit as i64], |r| {
            Ok(Change {
                seq: r.get(0)?,
                entity: crate::entity_kind(r.get(1)?)?,
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
