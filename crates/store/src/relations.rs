//! Relations between claims, and the history of their verdicts.

use dossier_model::{ClaimRelation, Evidence, RelationKind, Result, Verdict, VerdictChange};
use rusqlite::{params, Connection, OptionalExtension, Row};

use crate::outbox::{self, Entity, Op};
use crate::{new_id, now, sql_err};

const COLUMNS: &str = "id, from_id, to_id, kind, comment, analyst, created_at";

fn from_row(r: &Row<'_>) -> rusqlite::Result<ClaimRelation> {
    Ok(ClaimRelation {
        id: r.get(0)?,
        from_id: r.get(1)?,
        to_id: r.get(2)?,
        kind: RelationKind::parse(&r.get::<_, String>(3)?).unwrap_or_default(),
        comment: r.get(4)?,
        analyst: r.get(5)?,
        created_at: r.get(6)?,
    })
}

/// Adds a relation; both claims are re-indexed (a relation's comment is
/// searchable from either end). `None` when the same relation exists.
pub fn add(
    conn: &Connection,
    from: &str,
    to: &str,
    kind: RelationKind,
    comment: Option<&str>,
    analyst: Option<&str>,
) -> Result<Option<ClaimRelation>> {
    let id = new_id();
    let n = conn
        .execute(
            &format!("INSERT OR IGNORE INTO claim_relation ({COLUMNS}) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)"),
            params![id, from, to, kind.as_str(), comment, analyst, now()],
        )
        .map_err(sql_err)?;
    if n == 0 {
        return Ok(None);
    }
    outbox::record(conn, Entity::Claim, from, Op::Update)?;
    outbox::record(conn, Entity::Claim, to, Op::Update)?;
    get(conn, &id)
}

pub fn get(conn: &Connection, id: &str) -> Result<Option<ClaimRelation>> {
    conn.query_row(
        &format!("SELECT {COLUMNS} FROM claim_relation WHERE id = ?1"),
        [id],
        from_row,
    )
    .optional()
    .map_err(sql_err)
}

/// Removes a relation; `false` when there was none.
pub fn delete(conn: &Connection, id: &str) -> Result<bool> {
    let Some(r) = get(conn, id)? else {
        return Ok(false);
    };
    conn.execute("DELETE FROM claim_relation WHERE id = ?1", [id])
        .map_err(sql_err)?;
    outbox::record(conn, Entity::Claim, &r.from_id, Op::Update)?;
    outbox::record(conn, Entity::Claim, &r.to_id, Op::Update)?;
    Ok(true)
}

/// Every relation with `claim_id` at either end, oldest first.
pub fn of_claim(conn: &Connection, claim_id: &str) -> Result<Vec<ClaimRelation>> {
    let mut stmt = conn
        .prepare_cached(&format!(
            "SELECT {COLUMNS} FROM claim_relation WHERE from_id = ?1
             UNION ALL
             SELECT {COLUMNS} FROM claim_relation WHERE to_id = ?1 ORDER BY created_at, id"
        ))
        .map_err(sql_err)?;
    let rows = stmt.query_map([claim_id], from_row).map_err(sql_err)?;
    rows.collect::<Result<_, _>>().map_err(sql_err)
}

/// The relations starting at claims of one article, in the order they were
/// made (`UNIQUE (from_id, …)` indexes `from_id`).
pub fn from_article(conn: &Connection, article_id: &str) -> Result<Vec<ClaimRelation>> {
    let mut stmt = conn
        .prepare_cached(&format!(
            "SELECT {COLUMNS} FROM claim_relation
             WHERE from_id IN (SELECT id FROM claim WHERE article_id = ?1) ORDER BY created_at, id"
        ))
        .map_err(sql_err)?;
    let rows = stmt.query_map([article_id], from_row).map_err(sql_err)?;
    rows.collect::<Result<_, _>>().map_err(sql_err)
}

/// Every relation, for exports.
pub fn all(conn: &Connection) -> Result<Vec<ClaimRelation>> {
    let mut stmt = conn
        .prepare_cached(&format!(
            "SELECT {COLUMNS} FROM claim_relation ORDER BY created_at, id"
        ))
        .map_err(sql_err)?;
    let rows = stmt.query_map([], from_row).map_err(sql_err)?;
    rows.collect::<Result<_, _>>().map_err(sql_err)
}

/// Records a new verdict for a claim (its history keeps every earlier one).
pub fn set_verdict(
    conn: &Connection,
    claim_id: &str,
    verdict: Verdict,
    analyst: Option<&str>,
    note: Option<&str>,
    evidence: &[Evidence],
) -> Result<bool> {
    let at = now();
    let n = conn
        .execute(
            "UPDATE claim SET verdict = ?2, updated_at = ?3 WHERE id = ?1",
            params![claim_id, verdict.as_str(), at],
        )
        .map_err(sql_err)?;
    if n == 0 {
        return Ok(false);
    }
    let evidence = serde_json::to_string(evidence)
        .map_err(|e| dossier_model::Error::internal(e.to_string()))?;
    conn.execute(
        "INSERT INTO claim_verdict (id, claim_id, verdict, analyst, note, evidence, at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
        params![new_id(), claim_id, verdict.as_str(), analyst, note, evidence, at],
    )
    .map_err(sql_err)?;
    outbox::record(conn, Entity::Claim, claim_id, Op::Update)?;
    Ok(true)
}

/// A claim's verdicts, oldest first.
const VERDICT_COLUMNS: &str = "id, claim_id, verdict, analyst, note, evidence, at";

fn verdict_row(r: &rusqlite::Row<'_>) -> rusqlite::Result<VerdictChange> {
    let evidence: String = r.get(5)?;
    Ok(VerdictChange {
        id: r.get(0)?,
        claim_id: r.get(1)?,
        verdict: Verdict::parse(&r.get::<_, String>(2)?).unwrap_or_default(),
        analyst: r.get(3)?,
        note: r.get(4)?,
        evidence: serde_json::from_str(&evidence).unwrap_or_default(),
        at: r.get(6)?,
    })
}

pub fn verdicts(conn: &Connection, claim_id: &str) -> Result<Vec<VerdictChange>> {
    let mut stmt = conn
        .prepare_cached(&format!(
            "SELECT {VERDICT_COLUMNS} FROM claim_verdict WHERE claim_id = ?1 ORDER BY at, rowid"
        ))
        .map_err(sql_err)?;
    let rows = stmt.query_map([claim_id], verdict_row).map_err(sql_err)?;
    rows.collect::<Result<_, _>>().map_err(sql_err)
}

/// One entry of a claim's verdict history.
pub fn verdict(conn: &Connection, id: &str) -> Result<Option<VerdictChange>> {
    conn.prepare_cached(&format!(
        "SELECT {VERDICT_COLUMNS} FROM claim_verdict WHERE id = ?1"
    ))
    .and_then(|mut s| s.query_row([id], verdict_row).optional())
    .map_err(sql_err)
}

/// Puts a relation back as it was (undo, restore from the trash); nothing when
/// it exists. The caller checks that both claims exist.
pub fn restore(conn: &Connection, r: &ClaimRelation) -> Result<()> {
    conn.execute(
        &format!(
            "INSERT OR IGNORE INTO claim_relation ({COLUMNS}) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)"
        ),
        params![
            r.id,
            r.from_id,
            r.to_id,
            r.kind.as_str(),
            r.comment,
            r.analyst,
            r.created_at
        ],
    )
    .map_err(sql_err)?;
    outbox::record(conn, Entity::Claim, &r.from_id, Op::Update)?;
    outbox::record(conn, Entity::Claim, &r.to_id, Op::Update)
}

/// Puts a verdict of a claim's history back as it was; nothing when it exists.
pub fn restore_verdict(conn: &Connection, v: &VerdictChange) -> Result<()> {
    let evidence = serde_json::to_string(&v.evidence)
        .map_err(|e| dossier_model::Error::internal(e.to_string()))?;
    conn.execute(
        "INSERT OR IGNORE INTO claim_verdict (id, claim_id, verdict, analyst, note, evidence, at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
        params![v.id, v.claim_id, v.verdict.as_str(), v.analyst, v.note, evidence, v.at],
    )
    .map_err(sql_err)?;
    Ok(())
}

/// Removes one entry of a claim's verdict history (the team deleted it; the
/// caller sets the claim's current verdict again).
pub fn delete_verdict(conn: &Connection, id: &str) -> Result<()> {
    conn.execute("DELETE FROM claim_verdict WHERE id = ?1", [id])
        .map_err(sql_err)?;
    Ok(())
}

/// Sets a claim's current verdict without adding to its history (the history
/// was restored with it).
pub fn restore_current_verdict(conn: &Connection, claim_id: &str, verdict: Verdict) -> Result<()> {
    conn.execute(
        "UPDATE claim SET verdict = ?2 WHERE id = ?1",
        params![claim_id, verdict.as_str()],
    )
    .map_err(sql_err)?;
    outbox::record(conn, Entity::Claim, claim_id, Op::Update)
}
