//! The notebook's link to its team's hub (migration 0016): the link itself,
//! each synced entity's base state, and the conflicts list.

use dossier_model::sync::{ConflictEntry, FieldConflict, Role, SyncKind};
use dossier_model::Result;
use rusqlite::{params, Connection, OptionalExtension};

use crate::convert::wire_column;
use crate::{now, sql_err};

/// The link, as `team join` wrote it and syncs moved it on.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TeamRow {
    pub url: String,
    pub token: String,
    pub analyst: String,
    pub role: Role,
    pub origin: String,
    pub joined_at: String,
    pub pushed_seq: i64,
    pub pulled_seq: i64,
    pub last_sync: Option<String>,
    /// The team's own certificate authority (PEM), if it has one.
    pub ca: Option<String>,
}

pub fn get(c: &Connection) -> Result<Option<TeamRow>> {
    c.query_row(
        "SELECT url, token, analyst, role, origin, joined_at, pushed_seq, pulled_seq, last_sync, ca
         FROM team WHERE id = 1",
        [],
        |r| {
            Ok(TeamRow {
                url: r.get(0)?,
                token: r.get(1)?,
                analyst: r.get(2)?,
                role: wire_column(r.get(3)?, "role")?,
                origin: r.get(4)?,
                joined_at: r.get(5)?,
                pushed_seq: r.get(6)?,
                pulled_seq: r.get(7)?,
                last_sync: r.get(8)?,
                ca: r.get(9)?,
            })
        },
    )
    .optional()
    .map_err(sql_err)
}

/// Links the notebook to a team; a notebook already linked is relinked from
/// scratch (everything is pushed and pulled again, which changes nothing
/// that is already the same on both sides).
pub fn join(
    c: &Connection,
    url: &str,
    token: &str,
    analyst: &str,
    role: Role,
    origin: &str,
    ca: Option<&str>,
) -> Result<()> {
    leave(c)?;
    c.execute(
        "INSERT INTO team (id, url, token, analyst, role, origin, joined_at, ca) VALUES (1, ?1, ?2, ?3, ?4, ?5, ?6, ?7)",
        params![url, token, analyst, role.as_str(), origin, now(), ca],
    )
    .map_err(sql_err)?;
    Ok(())
}

/// Unlinks the notebook; its content stays as it is.
pub fn leave(c: &Connection) -> Result<bool> {
    let n = c.execute("DELETE FROM team", []).map_err(sql_err)?;
    c.execute("DELETE FROM sync_base", []).map_err(sql_err)?;
    c.execute("DELETE FROM sync_conflict", [])
        .map_err(sql_err)?;
    Ok(n > 0)
}

/// The member's role as the hub says it is now.
pub fn set_role(c: &Connection, role: Role) -> Result<()> {
    c.execute("UPDATE team SET role = ?1 WHERE id = 1", [role.as_str()])
        .map_err(sql_err)?;
    Ok(())
}

pub fn set_pushed(c: &Connection, seq: i64) -> Result<()> {
    c.execute("UPDATE team SET pushed_seq = ?1 WHERE id = 1", [seq])
        .map_err(sql_err)?;
    Ok(())
}

pub fn set_pulled(c: &Connection, seq: i64) -> Result<()> {
    c.execute("UPDATE team SET pulled_seq = ?1 WHERE id = 1", [seq])
        .map_err(sql_err)?;
    Ok(())
}

pub fn synced_now(c: &Connection) -> Result<()> {
    c.execute("UPDATE team SET last_sync = ?1 WHERE id = 1", [now()])
        .map_err(sql_err)?;
    Ok(())
}

/// One outbox row to push: `(seq, kind, id, milliseconds since 1970 when written)`.
pub type Pending = (i64, SyncKind, String, u64);

/// Outbox rows after `after`, oldest first, at most `limit`.
pub fn pending(c: &Connection, after: i64, limit: usize) -> Result<Vec<Pending>> {
    let mut stmt = c
        .prepare_cached(
            "SELECT seq, entity, entity_id, at FROM outbox WHERE seq > ?1 ORDER BY seq LIMIT ?2",
        )
        .map_err(sql_err)?;
    let rows = stmt
        .query_map(
            params![after, i64::try_from(limit).unwrap_or(i64::MAX)],
            |r| {
                Ok((
                    r.get::<_, i64>(0)?,
                    wire_column(r.get(1)?, "kind of synced entity")?,
                    r.get::<_, String>(2)?,
                    crate::millis(&r.get::<_, String>(3)?).unwrap_or(0),
                ))
            },
        )
        .map_err(sql_err)?;
    rows.collect::<std::result::Result<_, _>>().map_err(sql_err)
}

/// Outbox rows after `after`.
pub fn pending_count(c: &Connection, after: i64) -> Result<i64> {
    c.query_row("SELECT count(*) FROM outbox WHERE seq > ?1", [after], |r| {
        r.get(0)
    })
    .map_err(sql_err)
}

/// An entity's base: its clock and the state (JSON; `None`: deleted).
pub fn base(c: &Connection, kind: SyncKind, id: &str) -> Result<Option<(u64, Option<String>)>> {
    c.prepare_cached("SELECT hlc, state FROM sync_base WHERE kind = ?1 AND entity_id = ?2")
        .and_then(|mut s| {
            s.query_row(params![kind.as_str(), id], |r| {
                Ok((u64::try_from(r.get::<_, i64>(0)?).unwrap_or(0), r.get(1)?))
            })
            .optional()
        })
        .map_err(sql_err)
}

/// The relations (`from_id`) or verdicts (`claim_id`) of a claim the team
/// knew of, by their bases (so a deleted one is found too).
pub fn based_on_claim(c: &Connection, kind: SyncKind, claim_id: &str) -> Result<Vec<String>> {
    // Literal paths, so that the partial indexes of migration 0018 serve them.
    let sql = match kind {
        SyncKind::Relation => {
            "SELECT entity_id FROM sync_base WHERE kind = 'relation' AND json_extract(state, '$.from_id') = ?1"
        }
        SyncKind::Verdict => {
            "SELECT entity_id FROM sync_base WHERE kind = 'verdict' AND json_extract(state, '$.claim_id') = ?1"
        }
        _ => return Ok(Vec::new()),
    };
    let mut stmt = c.prepare_cached(sql).map_err(sql_err)?;
    let rows = stmt.query_map([claim_id], |r| r.get(0)).map_err(sql_err)?;
    rows.collect::<std::result::Result<_, _>>().map_err(sql_err)
}

pub fn set_base(
    c: &Connection,
    kind: SyncKind,
    id: &str,
    hlc: u64,
    state: Option<&str>,
) -> Result<()> {
    c.prepare_cached(
        "INSERT INTO sync_base (kind, entity_id, hlc, state) VALUES (?1, ?2, ?3, ?4)
         ON CONFLICT (kind, entity_id) DO UPDATE SET hlc = ?3, state = ?4",
    )
    .and_then(|mut s| {
        s.execute(params![
            kind.as_str(),
            id,
            i64::try_from(hlc).unwrap_or(i64::MAX),
            state
        ])
    })
    .map_err(sql_err)?;
    Ok(())
}

pub fn add_conflict(
    c: &Connection,
    seq: i64,
    kind: SyncKind,
    id: &str,
    f: &FieldConflict,
) -> Result<()> {
    c.prepare_cached(
        "INSERT INTO sync_conflict (seq, kind, entity_id, at, field, kept, lost, kept_by, lost_by)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)",
    )
    .and_then(|mut s| {
        s.execute(params![
            seq,
            kind.as_str(),
            id,
            now(),
            f.field,
            f.kept.to_string(),
            f.lost.to_string(),
            f.kept_by,
            f.lost_by
        ])
    })
    .map_err(sql_err)?;
    Ok(())
}

/// The newest conflicts first.
pub fn conflicts(c: &Connection, limit: usize) -> Result<Vec<ConflictEntry>> {
    let mut stmt = c
        .prepare_cached(
            "SELECT seq, kind, entity_id, at, field, kept, lost, kept_by, lost_by FROM sync_conflict
             ORDER BY id DESC LIMIT ?1",
        )
        .map_err(sql_err)?;
    let rows = stmt
        .query_map([i64::try_from(limit).unwrap_or(i64::MAX)], |r| {
            let json = |s: String| serde_json::from_str(&s).unwrap_or(serde_json::Value::String(s));
            Ok(ConflictEntry {
                seq: r.get(0)?,
                kind: wire_column(r.get(1)?, "kind of synced entity")?,
                entity_id: r.get(2)?,
                at: r.get(3)?,
                conflict: FieldConflict {
                    field: r.get(4)?,
                    kept: json(r.get(5)?),
                    lost: json(r.get(6)?),
                    kept_by: r.get(7)?,
                    lost_by: r.get(8)?,
                },
            })
        })
        .map_err(sql_err)?;
    rows.collect::<std::result::Result<_, _>>().map_err(sql_err)
}

pub fn conflict_count(c: &Connection) -> Result<i64> {
    c.query_row("SELECT count(*) FROM sync_conflict", [], |r| r.get(0))
        .map_err(sql_err)
}
