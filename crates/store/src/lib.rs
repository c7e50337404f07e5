//! Dossier's SQLite store: the source of truth of a notebook.
//!
//! * One file per notebook, WAL journal, foreign keys on, a busy timeout, and
//!   `BEGIN IMMEDIATE` for every write so that a second process waits for the
//!   lock instead of failing half-way through a transaction.
//! * Writes go through one writer connection; reads use a small pool of reader
//!   connections (WAL lets them run beside the writer).
//! * Every mutation writes an `outbox` row in the same transaction (`outbox`);
//!   a logged change writes its change-log row and outbox row in one call
//!   (`journal::record`), which also keeps the trash.
//! * Migrations are embedded SQL files, applied forward-only (`migrate`).
//!
//! Table modules expose plain functions over `&Connection`, so a caller can
//! group several of them in one transaction through [`Store::write`].

pub mod articles;
pub mod attributes;
pub mod claims;
pub mod codes;
mod convert;
pub mod glossary;
pub mod journal;
pub mod layout;
pub mod matrix;
pub mod migrate;
pub mod notes;
pub mod outbox;
mod pool;
pub mod relations;
pub mod sets;
pub mod structure;
pub mod suggestions;
pub mod table;
pub mod team;

pub use convert::{entity_kind, millis, new_id, now, sql_err, stable_id};
pub use pool::{copy_database, Store, Write};
pub use rusqlite::{params, Connection, Error as SqlError, OptionalExtension, Row};

/// Removes the rows of `table` (keyed by an original's `sha256`: `pdf_page`,
/// `source_blocks`) whose original is not in `keep` — no article and no trash
/// entry holds it. Returns how many rows went.
fn collect_by_original(
    c: &Connection,
    table: &'static str,
    keep: &std::collections::HashSet<String>,
) -> dossier_model::Result<usize> {
    let shas: Vec<String> = {
        let mut stmt = c
            .prepare(&format!("SELECT DISTINCT sha256 FROM {table}"))
            .map_err(sql_err)?;
        let rows = stmt.query_map([], |r| r.get(0)).map_err(sql_err)?;
        rows.collect::<rusqlite::Result<_>>().map_err(sql_err)?
    };
    let mut removed = 0;
    for sha in shas.iter().filter(|s| !keep.contains(*s)) {
        removed += c
            .execute(&format!("DELETE FROM {table} WHERE sha256 = ?1"), [sha])
            .map_err(sql_err)?;
    }
    Ok(removed)
}

/// Runs `f` inside a savepoint of the caller's transaction: its writes stay
/// if it succeeds and vanish if it fails, and the transaction goes on either
/// way (a team's change that cannot be applied here is skipped, not fatal).
/// The outer `Err` is the database failing; the inner one is `f`'s.
/// Up to `limit` ids of the articles, claims or notes (`kind`) after `after`
/// (`""`: from the first), in id order: a rebuild reads them a page at a time.
/// Ids are UUIDv7 (time-ordered), so this reads the table about in its own order.
pub fn ids_after(
    conn: &Connection,
    kind: dossier_model::Kind,
    after: &str,
    limit: usize,
) -> dossier_model::Result<Vec<String>> {
    use dossier_model::Kind;
    let sql = match kind {
        Kind::Article => "SELECT id FROM article WHERE id > ?1 ORDER BY id LIMIT ?2",
        Kind::Claim => "SELECT id FROM claim WHERE id > ?1 ORDER BY id LIMIT ?2",
        Kind::Note => "SELECT id FROM note WHERE id > ?1 ORDER BY id LIMIT ?2",
    };
    let mut stmt = conn.prepare_cached(sql).map_err(sql_err)?;
    let rows = stmt
        .query_map(params![after, limit as i64], |r| r.get(0))
        .map_err(sql_err)?;
    rows.collect::<std::result::Result<_, _>>().map_err(sql_err)
}

pub fn savepoint<T>(
    c: &Connection,
    f: impl FnOnce() -> dossier_model::Result<T>,
) -> dossier_model::Result<dossier_model::Result<T>> {
    c.execute_batch("SAVEPOINT one_change").map_err(sql_err)?;
    let out = f();
    let end = if out.is_ok() {
        "RELEASE one_change"
    } else {
        "ROLLBACK TO one_change; RELEASE one_change"
    };
    c.execute_batch(end).map_err(sql_err)?;
    Ok(out)
}
