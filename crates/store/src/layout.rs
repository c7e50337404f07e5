//! The pages of PDF originals: size and words with their boxes
//! (`dossier_model::layout`), keyed by the original's SHA-256.

use dossier_model::layout::{pack_words, unpack_words};
use dossier_model::{PageGeometry, Result};
use rusqlite::{params, Connection, OptionalExtension};

use crate::sql_err;

/// Records an original's pages (replacing what was there: the same bytes
/// always give the same pages).
pub fn put(c: &Connection, sha256: &str, pages: &[PageGeometry]) -> Result<()> {
    let mut stmt = c
        .prepare_cached(
            "INSERT OR REPLACE INTO pdf_page (sha256, page, width, height, words)
             VALUES (?1, ?2, ?3, ?4, ?5)",
        )
        .map_err(sql_err)?;
    for p in pages {
        stmt.execute(params![
            sha256,
            p.page,
            f64::from(p.width),
            f64::from(p.height),
            pack_words(&p.words)
        ])
        .map_err(sql_err)?;
    }
    Ok(())
}

fn row(r: &rusqlite::Row<'_>) -> rusqlite::Result<PageGeometry> {
    let words: Vec<u8> = r.get(3)?;
    Ok(PageGeometry {
        page: r.get(0)?,
        width: r.get::<_, f64>(1)? as f32,
        height: r.get::<_, f64>(2)? as f32,
        words: unpack_words(&words),
    })
}

/// Pages `from..=to` of an original, in order (those recorded).
pub fn pages(c: &Connection, sha256: &str, from: u32, to: u32) -> Result<Vec<PageGeometry>> {
    let mut stmt = c
        .prepare_cached(
            "SELECT page, width, height, words FROM pdf_page
             WHERE sha256 = ?1 AND page BETWEEN ?2 AND ?3 ORDER BY page",
        )
        .map_err(sql_err)?;
    let rows = stmt
        .query_map(params![sha256, from, to], row)
        .map_err(sql_err)?;
    rows.collect::<rusqlite::Result<_>>().map_err(sql_err)
}

/// How many pages of an original are recorded.
pub fn page_count(c: &Connection, sha256: &str) -> Result<u32> {
    c.query_row(
        "SELECT count(*) FROM pdf_page WHERE sha256 = ?1",
        [sha256],
        |r| r.get(0),
    )
    .map_err(sql_err)
}

/// One page of an original, if recorded.
pub fn page(c: &Connection, sha256: &str, page: u32) -> Result<Option<PageGeometry>> {
    c.query_row(
        "SELECT page, width, height, words FROM pdf_page WHERE sha256 = ?1 AND page = ?2",
        params![sha256, page],
        row,
    )
    .optional()
    .map_err(sql_err)
}

/// Removes the pages of originals in `keep`'s complement: those no article
/// and no trash entry holds. Returns how many pages went.
pub fn collect(c: &Connection, keep: &std::collections::HashSet<String>) -> Result<usize> {
    crate::collect_by_original(c, "pdf_page", keep)
}
