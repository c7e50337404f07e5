//! The structure of articles' texts (`dossier_model::blocks`), keyed by the
//! original's SHA-256 and tied to the text it describes by the text's SHA-256.

use std::collections::HashSet;

use dossier_model::blocks::{pack, unpack, Block};
use dossier_model::Result;
use rusqlite::{params, Connection, OptionalExtension};

use crate::sql_err;

/// Records the blocks of an original's text (replacing what was there).
pub fn put(c: &Connection, sha256: &str, text_sha256: &str, blocks: &[Block]) -> Result<()> {
    let (bytes, details) = pack(blocks);
    c.prepare_cached(
        "INSERT OR REPLACE INTO source_blocks (sha256, text_sha256, blocks, details)
         VALUES (?1, ?2, ?3, ?4)",
    )
    .and_then(|mut s| s.execute(params![sha256, text_sha256, bytes, details]))
    .map_err(sql_err)?;
    Ok(())
}

/// The blocks recorded for an original, when they describe the text whose
/// SHA-256 is `text_sha256`.
pub fn get(c: &Connection, sha256: &str, text_sha256: &str) -> Result<Option<Vec<Block>>> {
    c.query_row(
        "SELECT blocks, details FROM source_blocks WHERE sha256 = ?1 AND text_sha256 = ?2",
        params![sha256, text_sha256],
        |r| Ok(unpack(&r.get::<_, Vec<u8>>(0)?, &r.get::<_, String>(1)?)),
    )
    .optional()
    .map_err(sql_err)
}

/// Every image the recorded structures show, by SHA-256, with the original
/// that shows it: what `check` verifies and `repair` keeps.
pub fn images(c: &Connection) -> Result<Vec<(String, String)>> {
    let mut stmt = c
        .prepare("SELECT sha256, blocks, details FROM source_blocks WHERE details <> '[]'")
        .map_err(sql_err)?;
    let rows = stmt
        .query_map([], |r| {
            Ok((
                r.get::<_, String>(0)?,
                unpack(&r.get::<_, Vec<u8>>(1)?, &r.get::<_, String>(2)?),
            ))
        })
        .map_err(sql_err)?;
    let mut out = Vec::new();
    for row in rows {
        let (source, blocks) = row.map_err(sql_err)?;
        for b in blocks {
            if let Some(i) = b.image {
                out.push((source.clone(), i.sha256));
            }
        }
    }
    Ok(out)
}

/// Removes the structures of originals not in `keep` (no article and no
/// trash entry holds them). Returns how many went.
pub fn collect(c: &Connection, keep: &HashSet<String>) -> Result<usize> {
    crate::collect_by_original(c, "source_blocks", keep)
}
