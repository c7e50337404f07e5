//! Suggestions the analyst dismissed, so they are not proposed again.

use dossier_model::Result;
use rusqlite::{params, Connection, OptionalExtension};

use crate::{now, sql_err};

/// `(start, end, exact)` of every dismissed suggestion of an article.
pub fn dismissed(conn: &Connection, article_id: &str) -> Result<Vec<(u32, u32, String)>> {
    let mut stmt = conn
        .prepare_cached("SELECT start, end, exact FROM suggestion_dismissed WHERE article_id = ?1")
        .map_err(sql_err)?;
    let rows = stmt
        .query_map([article_id], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))
        .map_err(sql_err)?;
    rows.collect::<rusqlite::Result<_>>().map_err(sql_err)
}

/// Dismisses a suggestion (again: nothing changes).
pub fn dismiss(
    conn: &Connection,
    article_id: &str,
    start: u32,
    end: u32,
    exact: &str,
) -> Result<()> {
    conn.execute(
        "INSERT OR IGNORE INTO suggestion_dismissed (article_id, start, end, exact, at) VALUES (?1, ?2, ?3, ?4, ?5)",
        params![article_id, start, end, exact, now()],
    )
    .map_err(sql_err)?;
    Ok(())
}

pub fn is_dismissed(conn: &Connection, article_id: &str, start: u32, end: u32) -> Result<bool> {
    conn.query_row(
        "SELECT 1 FROM suggestion_dismissed WHERE article_id = ?1 AND start = ?2 AND end = ?3",
        params![article_id, start, end],
        |_| Ok(()),
    )
    .optional()
    .map(|r| r.is_some())
    .map_err(sql_err)
}
