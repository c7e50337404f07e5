//! The `claim` table and its codes.

use dossier_model::{
    AnchorStatus, Claim, ClaimPatch, Hedging, Result, Stance, Translation, Verdict,
};
use rusqlite::{params, Connection, OptionalExtension, Row};

use crate::outbox::{self, Entity, Op};
use crate::{now, sql_err};

const COLUMNS: &str =
    "id, article_id, exact, prefix, suffix, start, end, stance, confidence, claimant, comment, analyst, created_at, updated_at, anchor_status, original_exact, hedging, verdict, region";

fn from_row(r: &Row<'_>) -> rusqlite::Result<Claim> {
    // The enumerations are read in place, without a String each (a listing of
    // tens of thousands of claims made four allocations per row for them).
    let word = |i: usize| -> rusqlite::Result<&str> {
        r.get_ref(i)?.as_str().map_err(|e| {
            rusqlite::Error::FromSqlConversionFailure(i, rusqlite::types::Type::Text, Box::new(e))
        })
    };
    Ok(Claim {
        id: r.get(0)?,
        article_id: r.get(1)?,
        exact: r.get(2)?,
        prefix: r.get(3)?,
        suffix: r.get(4)?,
        start: r.get(5)?,
        end: r.get(6)?,
        stance: Stance::parse(word(7)?).unwrap_or(Stance::Unclear),
        confidence: r.get(8)?,
        claimant: r.get(9)?,
        comment: r.get(10)?,
        analyst: r.get(11)?,
        created_at: r.get(12)?,
        updated_at: r.get(13)?,
        anchor_status: AnchorStatus::parse(word(14)?).unwrap_or_default(),
        original_exact: r.get(15)?,
        hedging: Hedging::parse(word(16)?).unwrap_or_default(),
        verdict: Verdict::parse(word(17)?).unwrap_or_default(),
        codes: Vec::new(),
        translations: Vec::new(),
        // A damaged value is no region: the claim stays a claim on its text.
        region: r
            .get::<_, Option<String>>(18)?
            .and_then(|j| serde_json::from_str(&j).ok()),
    })
}

/// Inserts a claim; `code_ids` must exist (the caller resolved the paths).
pub fn insert(conn: &Connection, c: &Claim, code_ids: &[String]) -> Result<()> {
    conn.execute(
        &format!("INSERT INTO claim ({COLUMNS}) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17, ?18, ?19)"),
        params![
            c.id,
            c.article_id,
            c.exact,
            c.prefix,
            c.suffix,
            c.start,
            c.end,
            c.stance.as_str(),
            c.confidence,
            c.claimant,
            c.comment,
            c.analyst,
            c.created_at,
            c.updated_at,
            c.anchor_status.as_str(),
            c.original_exact,
            c.hedging.as_str(),
            c.verdict.as_str(),
            c.region.as_ref().and_then(|r| serde_json::to_string(r).ok())
        ],
    )
    .map_err(sql_err)?;
    set_codes(conn, &c.id, code_ids)?;
    for t in &c.translations {
        add_translation(conn, &c.id, t)?;
    }
    outbox::record(conn, Entity::Claim, &c.id, Op::Insert)
}

/// Stores a translation of a claim's quote (the caller records the claim's change).
pub fn add_translation(conn: &Connection, claim_id: &str, t: &Translation) -> Result<()> {
    conn.execute(
        "INSERT INTO claim_translation (id, claim_id, language, text, translator, created_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
        params![t.id, claim_id, t.language, t.text, t.translator, t.created_at],
    )
    .map_err(sql_err)?;
    Ok(())
}

/// Removes a translation; the claim it belonged to, if it existed.
pub fn delete_translation(conn: &Connection, id: &str) -> Result<Option<String>> {
    let claim: Option<String> = conn
        .query_row(
            "SELECT claim_id FROM claim_translation WHERE id = ?1",
            [id],
            |r| r.get(0),
        )
        .optional()
        .map_err(sql_err)?;
    if claim.is_some() {
        conn.execute("DELETE FROM claim_translation WHERE id = ?1", [id])
            .map_err(sql_err)?;
    }
    Ok(claim)
}

/// The claim a translation belongs to.
pub fn translation_claim(conn: &Connection, id: &str) -> Result<Option<String>> {
    conn.query_row(
        "SELECT claim_id FROM claim_translation WHERE id = ?1",
        [id],
        |r| r.get(0),
    )
    .optional()
    .map_err(sql_err)
}

/// Marks a claim changed (its index document and `updated_at`), after a change
/// to something it holds (a translation).
pub fn touch(conn: &Connection, id: &str) -> Result<()> {
    conn.execute(
        "UPDATE claim SET updated_at = ?2 WHERE id = ?1",
        params![id, now()],
    )
    .map_err(sql_err)?;
    outbox::record(conn, Entity::Claim, id, Op::Update)
}

fn set_codes(conn: &Connection, claim_id: &str, code_ids: &[String]) -> Result<()> {
    conn.execute("DELETE FROM claim_code WHERE claim_id = ?1", [claim_id])
        .map_err(sql_err)?;
    for code in code_ids {
        conn.execute(
            "INSERT OR IGNORE INTO claim_code (claim_id, code_id) VALUES (?1, ?2)",
            params![claim_id, code],
        )
        .map_err(sql_err)?;
    }
    Ok(())
}

pub fn get(conn: &Connection, id: &str) -> Result<Option<Claim>> {
    let claim = conn
        .prepare_cached(&format!("SELECT {COLUMNS} FROM claim WHERE id = ?1"))
        .and_then(|mut s| s.query_row([id], from_row).optional())
        .map_err(sql_err)?;
    match claim {
        Some(mut c) => {
            load_codes_of(conn, std::slice::from_mut(&mut c))?;
            Ok(Some(c))
        }
        None => Ok(None),
    }
}

/// Claims, optionally of one article and/or carrying a code or one of its
/// descendants, ordered by article and position.
pub fn list(
    conn: &Connection,
    article_id: Option<&str>,
    code_path: Option<&str>,
) -> Result<Vec<Claim>> {
    let mut all = Vec::new();
    list_each(conn, article_id, code_path, &mut |chunk| {
        all.extend(chunk);
        Ok(())
    })?;
    Ok(all)
}

/// `list`, handed to `each` a chunk at a time in the same order, each chunk
/// complete with its codes and translations: a caller that writes them out
/// (a listing of tens of thousands of claims) does so while the next chunk's
/// codes are read, and drops what it wrote.
pub fn list_each(
    conn: &Connection,
    article_id: Option<&str>,
    code_path: Option<&str>,
    each: &mut dyn FnMut(Vec<Claim>) -> Result<()>,
) -> Result<()> {
    // One statement per case rather than `?1 IS NULL OR c.article_id = ?1`:
    // SQLite cannot use the article index for that form (one article's claims
    // then cost a scan of every claim), and it prepares such a statement again
    // whenever the bound value changes (seen in perf: a third of an export's
    // time went to SQLite's parser). Within one article a code filter probes
    // each of its claims; across the notebook it is the set of claims under the
    // code's subtree, read from claim_code's code index.
    let under = under_code("?2");
    let sql = match (article_id, code_path) {
        (Some(_), None) => {
            format!("SELECT {COLUMNS} FROM claim c WHERE c.article_id = ?1 ORDER BY c.start, c.id")
        }
        (Some(_), Some(_)) => format!(
            "SELECT {COLUMNS} FROM claim c WHERE c.article_id = ?1 AND EXISTS (
                SELECT 1 FROM claim_code cc JOIN code k ON k.id = cc.code_id
                WHERE cc.claim_id = c.id AND ({under})) ORDER BY c.start, c.id"
        ),
        (None, None) => format!(
            "SELECT {COLUMNS} FROM claim c WHERE ?1 IS NULL AND ?2 IS NULL ORDER BY c.article_id, c.start, c.id"
        ),
        // Sorted here, not by ORDER BY: tens of thousands of whole rows spilled
        // SQLite's sorter to temporary files (7 000 page writes for one code of
        // a million claims, strace).
        (None, Some(_)) => format!(
            "SELECT {COLUMNS} FROM claim c WHERE ?1 IS NULL AND c.rowid IN ({})",
            rowids_under_code("?2")
        ),
    };
    let mut stmt = conn.prepare_cached(&sql).map_err(sql_err)?;
    let rows = match (article_id, code_path) {
        (Some(a), Some(code)) => stmt.query_map(params![a, code], from_row),
        (Some(a), None) => stmt.query_map(params![a], from_row),
        (None, code) => stmt.query_map(params![None::<&str>, code], from_row),
    }
    .map_err(sql_err)?;
    let mut claims: Vec<Claim> = rows.collect::<Result<_, _>>().map_err(sql_err)?;
    if article_id.is_none() && code_path.is_some() {
        claims.sort_unstable_by(|a, b| {
            (&a.article_id, a.start, &a.id).cmp(&(&b.article_id, b.start, &b.id))
        });
    }
    let mut rest = claims.into_iter();
    loop {
        let mut chunk: Vec<Claim> = rest.by_ref().take(CHUNK).collect();
        if chunk.is_empty() {
            return Ok(());
        }
        load_codes_of(conn, &mut chunk)?;
        each(chunk)?;
    }
}

/// The condition on a code `k` that it is the code whose path is bound to
/// `param` or one below it.
fn under_code(param: &str) -> String {
    format!("k.path = {param} OR substr(k.path, 1, length({param}) + 1) = {param} || '/'")
}

/// A subquery: the rowids of the claims carrying the code whose path is bound
/// to `param`, or one below it. It reads the subtree's codes first (a scan of
/// the small code table), then their claims from claim_code's code index: a
/// filter that joined the other way round, or tested each claim (`EXISTS`),
/// walked all of a notebook's claims (1 s for a million). As rowids, `c.rowid
/// IN (…)` reads the claims from SQLite's sorted set: each page of the table
/// once, in file order.
pub(crate) fn rowids_under_code(param: &str) -> String {
    format!(
        "SELECT c2.rowid FROM claim c2 WHERE c2.id IN (
            SELECT cc.claim_id FROM claim_code cc WHERE cc.code_id IN (
                SELECT k.id FROM code k WHERE {}))",
        under_code(param)
    )
}

/// The claims among `ids` that exist, with their codes and translations,
/// read `CHUNK` at a time (in no particular order).
pub fn get_many(conn: &Connection, ids: &[String]) -> Result<Vec<Claim>> {
    let mut out = Vec::with_capacity(ids.len());
    for chunk in ids.chunks(CHUNK) {
        let (marks, ids) = padded(chunk.iter().map(String::as_str));
        let mut stmt = conn
            .prepare_cached(&format!(
                "SELECT {COLUMNS} FROM claim WHERE id IN ({marks})"
            ))
            .map_err(sql_err)?;
        let rows = stmt
            .query_map(rusqlite::params_from_iter(&ids), from_row)
            .map_err(sql_err)?;
        let start = out.len();
        for r in rows {
            out.push(r.map_err(sql_err)?);
        }
        load_codes_of(conn, &mut out[start..])?;
    }
    Ok(out)
}

/// Claims looked up together when their codes and translations are read.
const CHUNK: usize = 256;

/// The placeholders of a statement for `ids` and the ids to bind: 8, 32,
/// 128 or `CHUNK` of them, the last one repeated to fill (a few statement
/// shapes, so they stay in the connection's cache).
fn padded<'a>(ids: impl Iterator<Item = &'a str>) -> (String, Vec<&'a str>) {
    let mut ids: Vec<&str> = ids.collect();
    let width = [8, 32, 128, CHUNK]
        .into_iter()
        .find(|&w| w >= ids.len())
        .unwrap_or(CHUNK);
    let last = ids.last().copied().unwrap_or("");
    ids.resize(width.max(ids.len()), last);
    (vec!["?"; ids.len()].join(","), ids)
}

/// Reads the codes (sorted by path) and translations (oldest first) of many
/// claims a chunk at a time: two statements per chunk instead of two per claim.
/// Each claim's few are sorted here rather than by an ORDER BY over the chunk.
fn load_codes_of(conn: &Connection, claims: &mut [Claim]) -> Result<()> {
    let text = |r: &Row<'_>, i: usize| -> Result<String> { r.get(i).map_err(sql_err) };
    for chunk in claims.chunks_mut(CHUNK) {
        let (marks, ids) = padded(chunk.iter().map(|c| c.id.as_str()));
        let at: std::collections::HashMap<&str, usize> = chunk
            .iter()
            .enumerate()
            .map(|(i, c)| (c.id.as_str(), i))
            .collect();
        let mut codes: Vec<Vec<String>> = vec![Vec::new(); chunk.len()];
        let mut translations: Vec<Vec<Translation>> = vec![Vec::new(); chunk.len()];
        {
            let mut stmt = conn
                .prepare_cached(&format!(
                    "SELECT cc.claim_id, k.path FROM claim_code cc JOIN code k ON k.id = cc.code_id
                     WHERE cc.claim_id IN ({marks})"
                ))
                .map_err(sql_err)?;
            let mut rows = stmt
                .query(rusqlite::params_from_iter(&ids))
                .map_err(sql_err)?;
            while let Some(r) = rows.next().map_err(sql_err)? {
                let id = r.get_ref(0).map_err(sql_err)?.as_str().unwrap_or_default();
                if let Some(&i) = at.get(id) {
                    codes[i].push(text(r, 1)?);
                }
            }
        }
        {
            let mut stmt = conn
                .prepare_cached(&format!(
                    "SELECT claim_id, id, language, text, translator, created_at FROM claim_translation
                     WHERE claim_id IN ({marks})"
                ))
                .map_err(sql_err)?;
            let mut rows = stmt
                .query(rusqlite::params_from_iter(&ids))
                .map_err(sql_err)?;
            while let Some(r) = rows.next().map_err(sql_err)? {
                let id = r.get_ref(0).map_err(sql_err)?.as_str().unwrap_or_default();
                if let Some(&i) = at.get(id) {
                    translations[i].push(Translation {
                        id: text(r, 1)?,
                        language: text(r, 2)?,
                        text: text(r, 3)?,
                        translator: r.get(4).map_err(sql_err)?,
                        created_at: text(r, 5)?,
                    });
                }
            }
        }
        drop(at);
        for ((c, mut k), mut t) in chunk.iter_mut().zip(codes).zip(translations) {
            k.sort_unstable();
            t.sort_unstable_by(|a, b| (&a.created_at, &a.id).cmp(&(&b.created_at, &b.id)));
            c.codes = k;
            c.translations = t;
        }
    }
    Ok(())
}

/// Applies a patch; `code_ids` replaces the codes when given. Returns false when absent.
pub fn update(
    conn: &Connection,
    id: &str,
    patch: &ClaimPatch,
    code_ids: Option<&[String]>,
) -> Result<bool> {
    let Some(mut c) = get(conn, id)? else {
        return Ok(false);
    };
    if let Some(s) = patch.stance {
        c.stance = s;
    }
    if let Some(n) = patch.confidence {
        c.confidence = n;
    }
    let text = |v: &Option<String>, old: Option<String>| match v {
        Some(s) if s.trim().is_empty() => None,
        Some(s) => Some(s.clone()),
        None => old,
    };
    c.claimant = text(&patch.claimant, c.claimant);
    c.comment = text(&patch.comment, c.comment);
    c.analyst = text(&patch.analyst, c.analyst);
    if let Some(h) = patch.hedging {
        c.hedging = h;
    }
    conn.execute(
        "UPDATE claim SET stance = ?1, confidence = ?2, claimant = ?3, comment = ?4, analyst = ?5, hedging = ?6, updated_at = ?7 WHERE id = ?8",
        params![c.stance.as_str(), c.confidence, c.claimant, c.comment, c.analyst, c.hedging.as_str(), now(), id],
    )
    .map_err(sql_err)?;
    if let Some(codes) = code_ids {
        set_codes(conn, id, codes)?;
    }
    outbox::record(conn, Entity::Claim, id, Op::Update)?;
    Ok(true)
}

/// Adds and takes off codes (ids) and sets stance and hedging when given;
/// whether anything changed. The caller checked that the claim exists.
pub fn recode(
    conn: &Connection,
    id: &str,
    add: &[String],
    remove: &[String],
    stance: Option<Stance>,
    hedging: Option<Hedging>,
) -> Result<bool> {
    let mut changed = 0;
    for code in add {
        changed += conn
            .execute(
                "INSERT OR IGNORE INTO claim_code (claim_id, code_id) VALUES (?1, ?2)",
                params![id, code],
            )
            .map_err(sql_err)?;
    }
    for code in remove {
        changed += conn
            .execute(
                "DELETE FROM claim_code WHERE claim_id = ?1 AND code_id = ?2",
                params![id, code],
            )
            .map_err(sql_err)?;
    }
    if let Some(s) = stance {
        changed += conn
            .execute(
                "UPDATE claim SET stance = ?2 WHERE id = ?1 AND stance <> ?2",
                params![id, s.as_str()],
            )
            .map_err(sql_err)?;
    }
    if let Some(h) = hedging {
        changed += conn
            .execute(
                "UPDATE claim SET hedging = ?2 WHERE id = ?1 AND hedging <> ?2",
                params![id, h.as_str()],
            )
            .map_err(sql_err)?;
    }
    if changed > 0 {
        conn.execute(
            "UPDATE claim SET updated_at = ?2 WHERE id = ?1",
            params![id, now()],
        )
        .map_err(sql_err)?;
        outbox::record(conn, Entity::Claim, id, Op::Update)?;
    }
    Ok(changed > 0)
}

pub fn delete(conn: &Connection, id: &str) -> Result<bool> {
    let n = conn
        .execute("DELETE FROM claim WHERE id = ?1", [id])
        .map_err(sql_err)?;
    if n == 0 {
        return Ok(false);
    }
    conn.execute(
        "DELETE FROM note_link WHERE target_kind = 'claim' AND target_id = ?1",
        [id],
    )
    .map_err(sql_err)?;
    outbox::record(conn, Entity::Claim, id, Op::Delete)?;
    Ok(true)
}

pub fn count(conn: &Connection) -> Result<u32> {
    conn.query_row("SELECT count(*) FROM claim", [], |r| r.get(0))
        .map_err(sql_err)
}

/// The articles that have a claim carrying a code or one of its descendants: what
/// the library's code filter needs, without loading a million claims to learn it.
pub fn article_ids_with_code(conn: &Connection, code_path: &str) -> Result<Vec<String>> {
    let mut stmt = conn
        .prepare_cached(
            "SELECT DISTINCT c.article_id FROM code k
             JOIN claim_code cc ON cc.code_id = k.id
             JOIN claim c ON c.id = cc.claim_id
             WHERE k.path = ?1 OR substr(k.path, 1, length(?1) + 1) = ?1 || '/'",
        )
        .map_err(sql_err)?;
    let rows = stmt.query_map([code_path], |r| r.get(0)).map_err(sql_err)?;
    rows.collect::<Result<_, _>>().map_err(sql_err)
}

pub fn all_ids(conn: &Connection) -> Result<Vec<String>> {
    let mut stmt = conn
        .prepare("SELECT id FROM claim ORDER BY id")
        .map_err(sql_err)?;
    let rows = stmt.query_map([], |r| r.get(0)).map_err(sql_err)?;
    rows.collect::<Result<_, _>>().map_err(sql_err)
}

/// Makes a region claim a claim on its text (its span was chosen anew as text).
pub fn clear_region(conn: &Connection, id: &str) -> Result<()> {
    conn.execute("UPDATE claim SET region = NULL WHERE id = ?1", [id])
        .map_err(sql_err)?;
    Ok(())
}

/// Moves a claim to `article_id` at `anchor` with `status` (carrying it to a
/// new version of its article, or re-attaching an orphan).
pub fn reanchor(
    conn: &Connection,
    id: &str,
    article_id: &str,
    anchor: &dossier_model::Anchor,
    status: AnchorStatus,
    original_exact: Option<&str>,
) -> Result<()> {
    conn.execute(
        "UPDATE claim SET article_id = ?2, exact = ?3, prefix = ?4, suffix = ?5, start = ?6, end = ?7,
                anchor_status = ?8, original_exact = COALESCE(?9, original_exact), updated_at = ?10
         WHERE id = ?1",
        params![
            id,
            article_id,
            anchor.exact,
            anchor.prefix,
            anchor.suffix,
            anchor.start,
            anchor.end,
            status.as_str(),
            original_exact,
            now()
        ],
    )
    .map_err(sql_err)?;
    outbox::record(conn, Entity::Claim, id, Op::Update)
}

pub fn set_anchor_status(conn: &Connection, id: &str, status: AnchorStatus) -> Result<bool> {
    let n = conn
        .execute(
            "UPDATE claim SET anchor_status = ?2, updated_at = ?3 WHERE id = ?1",
            params![id, status.as_str(), now()],
        )
        .map_err(sql_err)?;
    if n > 0 {
        outbox::record(conn, Entity::Claim, id, Op::Update)?;
    }
    Ok(n > 0)
}

/// The review queue: claims that could not be carried to a newer version.
pub fn orphans(conn: &Connection) -> Result<Vec<Claim>> {
    let mut stmt = conn
        .prepare_cached(&format!(
            "SELECT {COLUMNS} FROM claim WHERE anchor_status = 'orphaned' ORDER BY article_id, start"
        ))
        .map_err(sql_err)?;
    let rows = stmt.query_map([], from_row).map_err(sql_err)?;
    let mut claims: Vec<Claim> = rows.collect::<Result<_, _>>().map_err(sql_err)?;
    load_codes_of(conn, &mut claims)?;
    Ok(claims)
}

/// The claim at exactly this place with this quote, by this analyst (an
/// imported claim that is already here).
pub fn find_same(
    conn: &Connection,
    article_id: &str,
    start: u32,
    end: u32,
    exact: &str,
    analyst: Option<&str>,
) -> Result<Option<String>> {
    conn.query_row(
        "SELECT id FROM claim WHERE article_id = ?1 AND start = ?2 AND end = ?3 AND exact = ?4 AND analyst IS ?5",
        params![article_id, start, end, exact, analyst],
        |r| r.get(0),
    )
    .optional()
    .map_err(sql_err)
}

/// Everyone who has marked a claim, by name.
pub fn analysts(conn: &Connection) -> Result<Vec<String>> {
    let mut stmt = conn
        .prepare_cached("SELECT DISTINCT analyst FROM claim WHERE analyst IS NOT NULL AND analyst <> '' ORDER BY analyst")
        .map_err(sql_err)?;
    let rows = stmt.query_map([], |r| r.get(0)).map_err(sql_err)?;
    rows.collect::<rusqlite::Result<_>>().map_err(sql_err)
}
