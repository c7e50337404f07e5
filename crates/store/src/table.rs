//! The table of claims: the ordered ids of a filtered view (one query), and
//! its rows read a page at a time by those ids.

use std::collections::HashMap;

use dossier_model::table::{ClaimColumn, ClaimQuery, ClaimRow};
use dossier_model::{Hedging, Result, Stance, Verdict};
use rusqlite::functions::FunctionFlags;
use rusqlite::types::Value;
use rusqlite::{params_from_iter, Connection};

use crate::{attributes, sql_err};

/// `dossier_contains(text, needle)`: whether `text`, lower-cased by Unicode's
/// rules (SQLite's own `lower` folds ASCII only: `Ä` would not find `ä`),
/// contains `needle` (lower-cased by the caller).
pub(crate) fn register_functions(conn: &Connection) -> Result<()> {
    conn.create_scalar_function(
        "dossier_contains",
        2,
        FunctionFlags::SQLITE_UTF8 | FunctionFlags::SQLITE_DETERMINISTIC,
        |ctx| {
            let text = ctx.get_raw(0).as_str().unwrap_or("");
            let needle = ctx.get_raw(1).as_str().unwrap_or("");
            Ok(text.to_lowercase().contains(needle))
        },
    )
    .map_err(sql_err)?;
    // Whether a value is a SHA-256 in lower-case hex (a blob or number is not).
    // Checked over every article at each open: GLOB '*[^0-9a-f]*' took 0.2 s on
    // 100 000 articles (SQLite's pattern matcher, per character), this 10 ms.
    conn.create_scalar_function(
        "dossier_is_sha256",
        1,
        FunctionFlags::SQLITE_UTF8 | FunctionFlags::SQLITE_DETERMINISTIC,
        |ctx| {
            Ok(match ctx.get_raw(0) {
                rusqlite::types::ValueRef::Text(t) => {
                    std::str::from_utf8(t).is_ok_and(dossier_model::limits::is_sha256_hex)
                }
                _ => false,
            })
        },
    )
    .map_err(sql_err)
}

/// The rowids of the claims `query` selects, in its order. `articles` is the
/// set the article filters allow (already resolved), `None` when there are none.
pub fn ordered_ids(
    conn: &Connection,
    query: &ClaimQuery,
    articles: Option<&[String]>,
) -> Result<Vec<i64>> {
    let f = &query.filter;
    let mut params: Vec<Value> = Vec::new();
    let mut bind = |v: Value| {
        params.push(v);
        format!("?{}", params.len())
    };
    let mut wheres: Vec<String> = Vec::new();
    let mut joins = String::new();
    if let Some(code) = &f.code {
        let p = bind(Value::Text(code.clone()));
        wheres.push(format!(
            "c.rowid IN ({})",
            crate::claims::rowids_under_code(&p)
        ));
    }
    if let Some(s) = f.stance {
        let p = bind(Value::Text(s.as_str().into()));
        wheres.push(format!("c.stance = {p}"));
    }
    if let Some(h) = f.hedging {
        let p = bind(Value::Text(h.as_str().into()));
        wheres.push(format!("c.hedging = {p}"));
    }
    if let Some(v) = f.verdict {
        let p = bind(Value::Text(v.as_str().into()));
        wheres.push(format!("c.verdict = {p}"));
    }
    if let Some(a) = &f.analyst {
        let p = bind(Value::Text(a.clone()));
        wheres.push(format!("c.analyst = {p}"));
    }
    if let Some(t) = f.text.as_deref().map(str::trim).filter(|t| !t.is_empty()) {
        let p = bind(Value::Text(t.to_lowercase()));
        wheres.push(format!("dossier_contains(c.exact, {p})"));
    }
    if let Some(ids) = articles {
        let json = serde_json::to_string(ids)
            .map_err(|e| dossier_model::Error::internal(e.to_string()))?;
        let p = bind(Value::Text(json));
        wheres.push(format!(
            "c.article_id IN (SELECT value FROM json_each({p}))"
        ));
    }
    let direction = if query.sort.descending { "DESC" } else { "ASC" };
    let key = if let Some(name) = &query.sort.attribute {
        let p = bind(Value::Text(name.clone()));
        joins.push_str(&format!(
            " LEFT JOIN article_attribute aa ON aa.article_id = c.article_id AND aa.name = {p}"
        ));
        // Values with no number (text, choice) sort by their text; numbers and
        // dates by the start of the interval they stand for. No value: last.
        format!("aa.value IS NULL, aa.low {direction}, aa.value COLLATE NOCASE {direction}")
    } else {
        let expr = match query.sort.column {
            ClaimColumn::Quote => "c.exact COLLATE NOCASE",
            ClaimColumn::Article => {
                joins.push_str(" JOIN article a ON a.id = c.article_id");
                "a.title COLLATE NOCASE"
            }
            ClaimColumn::Codes => {
                "(SELECT min(k.path) FROM claim_code cc JOIN code k ON k.id = cc.code_id WHERE cc.claim_id = c.id) IS NULL, \
                 (SELECT min(k.path) FROM claim_code cc JOIN code k ON k.id = cc.code_id WHERE cc.claim_id = c.id)"
            }
            ClaimColumn::Stance => "c.stance",
            ClaimColumn::Hedging => "c.hedging",
            ClaimColumn::Verdict => "c.verdict",
            ClaimColumn::Confidence => "c.confidence",
            ClaimColumn::Claimant => "c.claimant IS NULL, c.claimant COLLATE NOCASE",
            ClaimColumn::Analyst => "c.analyst IS NULL, c.analyst COLLATE NOCASE",
            ClaimColumn::Created => "c.created_at",
            ClaimColumn::Updated => "c.updated_at",
        };
        // Each part of the key runs in the asked direction, except the
        // "has no value" flags, which keep empty cells last either way.
        expr.split(", ")
            .map(|part| {
                if part.ends_with("IS NULL") {
                    part.to_string()
                } else {
                    format!("{part} {direction}")
                }
            })
            .collect::<Vec<_>>()
            .join(", ")
    };
    let sql = format!(
        "SELECT c.rowid FROM claim c{joins}{} ORDER BY {key}, c.rowid {direction}",
        if wheres.is_empty() {
            String::new()
        } else {
            format!(" WHERE {}", wheres.join(" AND "))
        }
    );
    let mut stmt = conn.prepare(&sql).map_err(sql_err)?;
    let rows = stmt
        .query_map(params_from_iter(params.iter()), |r| r.get(0))
        .map_err(sql_err)?;
    rows.collect::<std::result::Result<_, _>>().map_err(sql_err)
}

/// The rows of the claims with these rowids, in the same order; rowids no
/// longer in the table (deleted since) are left out.
pub fn rows(conn: &Connection, rowids: &[i64]) -> Result<Vec<ClaimRow>> {
    if rowids.is_empty() {
        return Ok(Vec::new());
    }
    let json =
        serde_json::to_string(rowids).map_err(|e| dossier_model::Error::internal(e.to_string()))?;
    let mut stmt = conn
        .prepare_cached(
            "SELECT c.rowid, c.id, c.article_id, a.title, c.exact, c.start, c.end, c.stance, c.hedging, c.verdict,
                    c.confidence, c.claimant, c.analyst, c.created_at, c.updated_at,
                    (SELECT group_concat(path, char(31)) FROM (SELECT k.path FROM claim_code cc JOIN code k ON k.id = cc.code_id
                      WHERE cc.claim_id = c.id ORDER BY k.path))
             FROM claim c JOIN article a ON a.id = c.article_id
             WHERE c.rowid IN (SELECT value FROM json_each(?1))",
        )
        .map_err(sql_err)?;
    let found = stmt
        .query_map([json], |r| {
            let codes: Option<String> = r.get(15)?;
            Ok((
                r.get::<_, i64>(0)?,
                ClaimRow {
                    id: r.get(1)?,
                    article_id: r.get(2)?,
                    article_title: r.get(3)?,
                    exact: r.get(4)?,
                    start: r.get(5)?,
                    end: r.get(6)?,
                    stance: Stance::parse(&r.get::<_, String>(7)?).unwrap_or(Stance::Unclear),
                    hedging: Hedging::parse(&r.get::<_, String>(8)?).unwrap_or_default(),
                    verdict: Verdict::parse(&r.get::<_, String>(9)?).unwrap_or_default(),
                    confidence: r.get(10)?,
                    claimant: r.get(11)?,
                    analyst: r.get(12)?,
                    created_at: r.get(13)?,
                    updated_at: r.get(14)?,
                    codes: codes
                        .map(|s| s.split('\u{1f}').map(str::to_string).collect())
                        .unwrap_or_default(),
                    attributes: Vec::new(),
                },
            ))
        })
        .map_err(sql_err)?;
    let mut by_rowid: HashMap<i64, ClaimRow> = found
        .collect::<std::result::Result<_, _>>()
        .map_err(sql_err)?;
    // Each article's attributes once per page.
    let mut values: HashMap<String, Vec<dossier_model::AttributeValue>> = HashMap::new();
    for row in by_rowid.values_mut() {
        if !values.contains_key(&row.article_id) {
            values.insert(
                row.article_id.clone(),
                attributes::values_of(conn, &row.article_id)?,
            );
        }
        row.attributes = values[&row.article_id].clone();
    }
    Ok(rowids.iter().filter_map(|id| by_rowid.remove(id)).collect())
}

/// The claim ids of these rowids (for a bulk change of a whole view).
pub fn ids(conn: &Connection, rowids: &[i64]) -> Result<Vec<String>> {
    let json =
        serde_json::to_string(rowids).map_err(|e| dossier_model::Error::internal(e.to_string()))?;
    let mut stmt = conn
        .prepare_cached(
            "SELECT c.rowid, c.id FROM claim c WHERE c.rowid IN (SELECT value FROM json_each(?1))",
        )
        .map_err(sql_err)?;
    let found = stmt
        .query_map([json], |r| {
            Ok((r.get::<_, i64>(0)?, r.get::<_, String>(1)?))
        })
        .map_err(sql_err)?;
    let mut by_rowid: HashMap<i64, String> = found
        .collect::<std::result::Result<_, _>>()
        .map_err(sql_err)?;
    Ok(rowids.iter().filter_map(|id| by_rowid.remove(id)).collect())
}
