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
    /// Which articles are pulled whole (JSON of a `Scope`); `None`: all.
    pub scope: Option<String>,
}

pub fn get(c: &Connection) -> Result<Option<TeamRow>> {
    c.query_row(
        "SELECT url, token, analyst, role, origin, joined_at, pushed_seq, pulled_seq, last_sync, ca, scope
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
                scope: r.get(10)?,
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
    c.execute("DELETE FROM team_stub", []).map_err(sql_err)?;
    c.execute("DELETE FROM team_held", []).map_err(sql_err)?;
    Ok(n > 0)
}

/// The notebook's scope (JSON), `None` for every article; the next sync
/// pulls the articles it now takes in.
pub fn set_scope(c: &Connection, scope: Option<&str>) -> Result<()> {
    c.execute(
        "UPDATE team SET scope = ?1, scope_pending = 1 WHERE id = 1",
        [scope],
    )
    .map_err(sql_err)?;
    Ok(())
}

/// Whether the scope changed since a sync last pulled what it takes in.
pub fn scope_pending(c: &Connection) -> Result<bool> {
    c.query_row("SELECT scope_pending FROM team WHERE id = 1", [], |r| {
        r.get::<_, i64>(0)
    })
    .optional()
    .map(|v| v.unwrap_or(0) != 0)
    .map_err(sql_err)
}

pub fn scope_applied(c: &Connection) -> Result<()> {
    c.execute("UPDATE team SET scope_pending = 0 WHERE id = 1", [])
        .map_err(sql_err)?;
    Ok(())
}

/// An article outside the scope: `(seq, hlc, state)` of its metadata.
pub fn stub(c: &Connection, article_id: &str) -> Result<Option<(i64, u64, String)>> {
    c.prepare_cached("SELECT seq, hlc, state FROM team_stub WHERE article_id = ?1")
        .and_then(|mut s| {
            s.query_row([article_id], |r| {
                Ok((
                    r.get(0)?,
                    u64::try_from(r.get::<_, i64>(1)?).unwrap_or(0),
                    r.get(2)?,
                ))
            })
            .optional()
        })
        .map_err(sql_err)
}

pub fn put_stub(c: &Connection, article_id: &str, seq: i64, hlc: u64, state: &str) -> Result<()> {
    c.prepare_cached(
        "INSERT INTO team_stub (article_id, seq, hlc, state) VALUES (?1, ?2, ?3, ?4)
         ON CONFLICT (article_id) DO UPDATE SET seq = ?2, hlc = ?3, state = ?4",
    )
    .and_then(|mut s| {
        s.execute(params![
            article_id,
            seq,
            i64::try_from(hlc).unwrap_or(i64::MAX),
            state
        ])
    })
    .map_err(sql_err)?;
    Ok(())
}

/// Forgets an article not pulled; with `held`, also what waited for it.
pub fn drop_stub(c: &Connection, article_id: &str, held: bool) -> Result<bool> {
    let n = c
        .execute("DELETE FROM team_stub WHERE article_id = ?1", [article_id])
        .map_err(sql_err)?;
    if held {
        c.execute("DELETE FROM team_held WHERE waits_for = ?1", [article_id])
            .map_err(sql_err)?;
    }
    Ok(n > 0)
}

pub fn stub_count(c: &Connection) -> Result<i64> {
    c.query_row("SELECT count(*) FROM team_stub", [], |r| r.get(0))
        .map_err(sql_err)
}

/// Articles not pulled, `(state, claims held for it)`, the latest dated first;
/// `ids`: only these.
pub fn stubs(c: &Connection, limit: usize, ids: Option<&[String]>) -> Result<Vec<(String, i64)>> {
    let sql = "SELECT s.state, (SELECT count(*) FROM team_held h WHERE h.waits_for = s.article_id AND h.kind = 'claim')
               FROM team_stub s
               ORDER BY json_extract(s.state, '$.published') DESC NULLS LAST, json_extract(s.state, '$.title'), s.article_id
               LIMIT ?1";
    let row = |r: &rusqlite::Row<'_>| Ok((r.get(0)?, r.get(1)?));
    match ids {
        None => {
            let mut stmt = c.prepare_cached(sql).map_err(sql_err)?;
            let rows = stmt
                .query_map([i64::try_from(limit).unwrap_or(i64::MAX)], row)
                .map_err(sql_err)?;
            rows.collect::<std::result::Result<_, _>>().map_err(sql_err)
        }
        Some(ids) => {
            let mut stmt = c
                .prepare_cached(
                    "SELECT s.state, (SELECT count(*) FROM team_held h WHERE h.waits_for = s.article_id AND h.kind = 'claim')
                     FROM team_stub s WHERE s.article_id = ?1",
                )
                .map_err(sql_err)?;
            let mut out = Vec::new();
            for id in ids.iter().take(limit) {
                out.extend(stmt.query_row([id], row).optional().map_err(sql_err)?);
            }
            Ok(out)
        }
    }
}

/// A change of the team held until its article is pulled.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Held {
    pub kind: SyncKind,
    pub id: String,
    pub waits_for: String,
    pub seq: i64,
    pub hlc: u64,
    pub analyst: String,
    pub state: String,
}

pub fn hold(c: &Connection, h: &Held) -> Result<()> {
    c.prepare_cached(
        "INSERT INTO team_held (kind, entity_id, waits_for, seq, hlc, analyst, state)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)
         ON CONFLICT (kind, entity_id) DO UPDATE SET waits_for = ?3, seq = ?4, hlc = ?5, analyst = ?6, state = ?7",
    )
    .and_then(|mut s| {
        s.execute(params![
            h.kind.as_str(),
            h.id,
            h.waits_for,
            h.seq,
            i64::try_from(h.hlc).unwrap_or(i64::MAX),
            h.analyst,
            h.state
        ])
    })
    .map_err(sql_err)?;
    Ok(())
}

/// The article a held change waits for, if it is held.
pub fn held_waits_for(c: &Connection, kind: SyncKind, id: &str) -> Result<Option<String>> {
    c.prepare_cached("SELECT waits_for FROM team_held WHERE kind = ?1 AND entity_id = ?2")
        .and_then(|mut s| {
            s.query_row(params![kind.as_str(), id], |r| r.get(0))
                .optional()
        })
        .map_err(sql_err)
}

/// Lets go of a held change (the team deleted it); whether it was held.
pub fn unhold(c: &Connection, kind: SyncKind, id: &str) -> Result<bool> {
    c.prepare_cached("DELETE FROM team_held WHERE kind = ?1 AND entity_id = ?2")
        .and_then(|mut s| s.execute(params![kind.as_str(), id]))
        .map(|n| n > 0)
        .map_err(sql_err)
}

pub fn held_count(c: &Connection) -> Result<i64> {
    c.query_row("SELECT count(*) FROM team_held", [], |r| r.get(0))
        .map_err(sql_err)
}

/// What waits for an article, in the team's order; `kind`: only of that kind.
pub fn held_for(c: &Connection, article_id: &str, kind: Option<SyncKind>) -> Result<Vec<Held>> {
    let mut stmt = c
        .prepare_cached(
            "SELECT kind, entity_id, waits_for, seq, hlc, analyst, state FROM team_held
             WHERE waits_for = ?1 AND (?2 IS NULL OR kind = ?2) ORDER BY seq",
        )
        .map_err(sql_err)?;
    let rows = stmt
        .query_map(params![article_id, kind.map(|k| k.as_str())], |r| {
            Ok(Held {
                kind: wire_column(r.get(0)?, "kind of synced entity")?,
                id: r.get(1)?,
                waits_for: r.get(2)?,
                seq: r.get(3)?,
                hlc: u64::try_from(r.get::<_, i64>(4)?).unwrap_or(0),
                analyst: r.get(5)?,
                state: r.get(6)?,
            })
        })
        .map_err(sql_err)?;
    rows.collect::<std::result::Result<_, _>>().map_err(sql_err)
}

/// Every article not pulled, by id.
pub fn stub_ids(c: &Connection) -> Result<Vec<String>> {
    let mut stmt = c
        .prepare_cached("SELECT article_id FROM team_stub ORDER BY article_id")
        .map_err(sql_err)?;
    let rows = stmt.query_map([], |r| r.get(0)).map_err(sql_err)?;
    rows.collect::<std::result::Result<_, _>>().map_err(sql_err)
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
