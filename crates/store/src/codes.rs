//! The hierarchical codebook. `path` is stored denormalised (`Trust/Security`)
//! because every reader wants it; the functions here keep it in step with the
//! parent chain on rename and move, and record the claims whose index documents
//! carry the changed paths.

use dossier_model::{code_within, Code, Error, ErrorCode, Result};
use rusqlite::{params, Connection, OptionalExtension, Row};

use crate::convert::new_id;
use crate::outbox::{self, Entity, Op};
use crate::sql_err;

const SELECT: &str = "SELECT c.id, c.path, c.name, c.parent_id, c.color, c.description,
        (SELECT count(*) FROM claim_code cc WHERE cc.code_id = c.id), c.memo FROM code c";

fn from_row(r: &Row<'_>) -> rusqlite::Result<Code> {
    Ok(Code {
        id: r.get(0)?,
        path: r.get(1)?,
        name: r.get(2)?,
        parent_id: r.get(3)?,
        color: r.get(4)?,
        description: r.get(5)?,
        claim_count: r.get(6)?,
        memo: r.get(7)?,
    })
}

/// Splits and validates a code path: non-empty segments without leading or trailing blanks.
pub fn split_path(path: &str) -> Result<Vec<&str>> {
    dossier_model::limits::code_path_parts(path)
}

/// Codes in tree order (a parent before its children, siblings by their order then name).
pub fn list(conn: &Connection) -> Result<Vec<Code>> {
    let mut stmt = conn
        .prepare_cached(&format!("{SELECT} ORDER BY c.path COLLATE NOCASE"))
        .map_err(sql_err)?;
    let rows = stmt.query_map([], from_row).map_err(sql_err)?;
    rows.collect::<Result<_, _>>().map_err(sql_err)
}

pub fn by_path(conn: &Connection, path: &str) -> Result<Option<Code>> {
    let normalised = split_path(path)?.join("/");
    conn.query_row(
        &format!("{SELECT} WHERE c.path = ?1"),
        [normalised],
        from_row,
    )
    .optional()
    .map_err(sql_err)
}

/// The code at `path`, or `UnknownCode`.
pub fn require(conn: &Connection, path: &str) -> Result<Code> {
    by_path(conn, path)?.ok_or_else(|| {
        Error::new(
            ErrorCode::UnknownCode,
            format!("there is no code '{path}' in the codebook"),
        )
    })
}

/// Adds a code; missing ancestors are created with the same colour. Fails with
/// `Conflict` when the path exists.
pub fn add(conn: &Connection, path: &str, color: &str, description: &str) -> Result<Code> {
    add_with_ids(conn, path, color, description, |_| new_id())
}

/// `add`, with the new codes' ids made by `id_for(path)`: the default codebook
/// gives every notebook the same ids for the same paths (`stable_id`), so
/// notebooks that join one team share its codes instead of doubling them.
pub fn add_with_ids(
    conn: &Connection,
    path: &str,
    color: &str,
    description: &str,
    id_for: impl Fn(&str) -> String,
) -> Result<Code> {
    let parts = split_path(path)?;
    if by_path(conn, path)?.is_some() {
        return Err(Error::new(
            ErrorCode::Conflict,
            format!("the code '{path}' already exists"),
        ));
    }
    let color = normalise_color(color)?;
    let mut parent: Option<String> = None;
    for depth in 1..=parts.len() {
        let sub = parts[..depth].join("/");
        if let Some(existing) = by_path(conn, &sub)? {
            parent = Some(existing.id);
            continue;
        }
        let id = id_for(&sub);
        let desc = if depth == parts.len() {
            description
        } else {
            ""
        };
        conn.execute(
            "INSERT INTO code (id, parent_id, name, path, color, description) VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
            params![id, parent, parts[depth - 1], sub, color, desc],
        )
        .map_err(sql_err)?;
        outbox::record(conn, Entity::Codebook, &id, Op::Insert)?;
        parent = Some(id);
    }
    require(conn, path)
}

pub fn set_details(
    conn: &Connection,
    path: &str,
    color: Option<&str>,
    description: Option<&str>,
    memo: Option<&str>,
) -> Result<Code> {
    let code = require(conn, path)?;
    if let Some(m) = memo {
        conn.execute(
            "UPDATE code SET memo = ?1 WHERE id = ?2",
            params![m, code.id],
        )
        .map_err(sql_err)?;
    }
    if let Some(c) = color {
        conn.execute(
            "UPDATE code SET color = ?1 WHERE id = ?2",
            params![normalise_color(c)?, code.id],
        )
        .map_err(sql_err)?;
    }
    if let Some(d) = description {
        conn.execute(
            "UPDATE code SET description = ?1 WHERE id = ?2",
            params![d, code.id],
        )
        .map_err(sql_err)?;
    }
    outbox::record(conn, Entity::Codebook, &code.id, Op::Update)?;
    require(conn, &code.path)
}

/// Renames the last segment of a code's path; descendants follow.
pub fn rename(conn: &Connection, path: &str, new_name: &str) -> Result<Code> {
    let code = require(conn, path)?;
    let name = new_name.trim();
    if name.is_empty() || name.contains('/') || split_path(name).is_err() {
        return Err(Error::invalid(format!(
            "'{new_name}' is not a valid code name (no '/', not empty)"
        )));
    }
    conn.execute(
        "UPDATE code SET name = ?1 WHERE id = ?2",
        params![name, code.id],
    )
    .map_err(sql_err)?;
    repath_subtree(conn, &code.id)?;
    Ok(get(conn, &code.id)?.expect("just updated"))
}

/// Moves a code (with its subtree) under `new_parent`, or to the top level when `None`.
pub fn move_to(conn: &Connection, path: &str, new_parent: Option<&str>) -> Result<Code> {
    let code = require(conn, path)?;
    let parent_id = match new_parent {
        Some(p) => {
            let parent = require(conn, p)?;
            if code_within(&parent.path, &code.path) {
                return Err(Error::invalid(format!(
                    "cannot move '{}' inside itself",
                    code.path
                )));
            }
            Some(parent.id)
        }
        None => None,
    };
    conn.execute(
        "UPDATE code SET parent_id = ?1 WHERE id = ?2",
        params![parent_id, code.id],
    )
    .map_err(sql_err)?;
    repath_subtree(conn, &code.id)?;
    Ok(get(conn, &code.id)?.expect("just updated"))
}

/// Deletes a code. A code with children or claims is refused unless `force`, in
/// which case the code is removed from its claims (the claims stay) and the
/// children are deleted the same way.
pub fn delete(conn: &Connection, path: &str, force: bool) -> Result<()> {
    let code = require(conn, path)?;
    let subtree = subtree_ids(conn, &code.id)?;
    let claims = claims_with_codes(conn, &subtree)?;
    if !force && (subtree.len() > 1 || !claims.is_empty()) {
        return Err(Error::new(
            ErrorCode::Conflict,
            format!(
                "the code '{}' has {} sub-code(s) and is used by {} claim(s); delete with force to remove it from those claims",
                code.path,
                subtree.len() - 1,
                claims.len()
            ),
        ));
    }
    // Children first: parent_id is ON DELETE RESTRICT.
    for id in subtree.iter().rev() {
        conn.execute("DELETE FROM claim_code WHERE code_id = ?1", [id])
            .map_err(sql_err)?;
        conn.execute("DELETE FROM code WHERE id = ?1", [id])
            .map_err(sql_err)?;
        outbox::record(conn, Entity::Codebook, id, Op::Delete)?;
    }
    for claim in claims {
        outbox::record(conn, Entity::Claim, &claim, Op::Update)?;
    }
    Ok(())
}

/// Merges `from` into `into`: every claim carrying `from` or one of its
/// sub-codes carries `into` instead; `from`'s sub-codes move under `into`
/// (keeping their own claims); then `from` is deleted. Nothing is lost.
pub fn merge(conn: &Connection, from: &str, into: &str) -> Result<Code> {
    let source = require(conn, from)?;
    let target = require(conn, into)?;
    if code_within(&target.path, &source.path) {
        return Err(Error::invalid(format!(
            "cannot merge '{}' into itself or one of its sub-codes",
            source.path
        )));
    }
    let claims = claims_with_codes(conn, std::slice::from_ref(&source.id))?;
    for claim in &claims {
        conn.execute(
            "INSERT OR IGNORE INTO claim_code (claim_id, code_id) VALUES (?1, ?2)",
            params![claim, target.id],
        )
        .map_err(sql_err)?;
    }
    conn.execute("DELETE FROM claim_code WHERE code_id = ?1", [&source.id])
        .map_err(sql_err)?;
    let children: Vec<String> = {
        let mut stmt = conn
            .prepare("SELECT path FROM code WHERE parent_id = ?1")
            .map_err(sql_err)?;
        let rows = stmt
            .query_map([&source.id], |r| r.get(0))
            .map_err(sql_err)?;
        rows.collect::<Result<_, _>>().map_err(sql_err)?
    };
    for child in children {
        move_to(conn, &child, Some(&target.path))?;
    }
    conn.execute("DELETE FROM code WHERE id = ?1", [&source.id])
        .map_err(sql_err)?;
    outbox::record(conn, Entity::Codebook, &source.id, Op::Delete)?;
    for claim in &claims {
        outbox::record(conn, Entity::Claim, claim, Op::Update)?;
    }
    require(conn, &target.path)
}

pub fn get(conn: &Connection, id: &str) -> Result<Option<Code>> {
    conn.query_row(&format!("{SELECT} WHERE c.id = ?1"), [id], from_row)
        .optional()
        .map_err(sql_err)
}

pub fn count(conn: &Connection) -> Result<u32> {
    conn.query_row("SELECT count(*) FROM code", [], |r| r.get(0))
        .map_err(sql_err)
}

/// The code and all its descendants, parents before children.
fn subtree_ids(conn: &Connection, id: &str) -> Result<Vec<String>> {
    let mut stmt = conn
        .prepare(
            "WITH RECURSIVE t(id, depth) AS (SELECT ?1, 0 UNION ALL
               SELECT c.id, t.depth + 1 FROM code c JOIN t ON c.parent_id = t.id)
             SELECT id FROM t ORDER BY depth",
        )
        .map_err(sql_err)?;
    let rows = stmt.query_map([id], |r| r.get(0)).map_err(sql_err)?;
    rows.collect::<Result<_, _>>().map_err(sql_err)
}

fn claims_with_codes(conn: &Connection, code_ids: &[String]) -> Result<Vec<String>> {
    let mut out = Vec::new();
    let mut stmt = conn
        .prepare("SELECT claim_id FROM claim_code WHERE code_id = ?1")
        .map_err(sql_err)?;
    for id in code_ids {
        let rows = stmt
            .query_map([id], |r| r.get::<_, String>(0))
            .map_err(sql_err)?;
        for r in rows {
            out.push(r.map_err(sql_err)?);
        }
    }
    out.sort();
    out.dedup();
    Ok(out)
}

/// Recomputes `path` for a code and its descendants after a rename or move, and
/// records the codes and claims whose searchable text changed.
fn repath_subtree(conn: &Connection, id: &str) -> Result<()> {
    let ids = subtree_ids(conn, id)?;
    for code_id in &ids {
        let (name, parent): (String, Option<String>) = conn
            .query_row(
                "SELECT name, parent_id FROM code WHERE id = ?1",
                [code_id],
                |r| Ok((r.get(0)?, r.get(1)?)),
            )
            .map_err(sql_err)?;
        let path = match parent {
            Some(p) => {
                let parent_path: String = conn
                    .query_row("SELECT path FROM code WHERE id = ?1", [p], |r| r.get(0))
                    .map_err(sql_err)?;
                format!("{parent_path}/{name}")
            }
            None => name,
        };
        // A move or rename may not make any path of the subtree deeper or longer than
        // the limits (the write is one transaction: the caller's change rolls back).
        split_path(&path)?;
        conn.execute(
            "UPDATE code SET path = ?1 WHERE id = ?2",
            params![path, code_id],
        )
        .map_err(|e| match sql_err(e) {
            err if err.code == ErrorCode::Conflict => Error::new(
                ErrorCode::Conflict,
                format!("a code '{path}' already exists"),
            ),
            err => err,
        })?;
        outbox::record(conn, Entity::Codebook, code_id, Op::Update)?;
    }
    for claim in claims_with_codes(conn, &ids)? {
        outbox::record(conn, Entity::Claim, &claim, Op::Update)?;
    }
    Ok(())
}

fn normalise_color(color: &str) -> Result<String> {
    let c = color.trim().trim_start_matches('#');
    if c.len() == 6 && c.chars().all(|ch| ch.is_ascii_hexdigit()) {
        Ok(format!("#{}", c.to_ascii_lowercase()))
    } else {
        Err(Error::invalid(format!(
            "'{color}' is not a colour; use #rrggbb"
        )))
    }
}

/// One row of the `code` table, as the change log keeps it.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct CodeRow {
    pub id: String,
    pub parent_id: Option<String>,
    pub name: String,
    pub path: String,
    pub color: String,
    pub description: String,
    pub sort_order: i64,
    /// Absent in change-log entries written before memos existed.
    #[serde(default)]
    pub memo: String,
}

/// The claims coded with exactly this code.
pub fn claims_of_code(conn: &Connection, code_id: &str) -> Result<Vec<String>> {
    let mut stmt = conn
        .prepare_cached("SELECT claim_id FROM claim_code WHERE code_id = ?1 ORDER BY claim_id")
        .map_err(sql_err)?;
    let rows = stmt.query_map([code_id], |r| r.get(0)).map_err(sql_err)?;
    rows.collect::<std::result::Result<_, _>>().map_err(sql_err)
}

/// The columns `row` and `rows` select, in their order.
fn code_row(r: &Row<'_>) -> rusqlite::Result<CodeRow> {
    Ok(CodeRow {
        id: r.get(0)?,
        parent_id: r.get(1)?,
        name: r.get(2)?,
        path: r.get(3)?,
        color: r.get(4)?,
        description: r.get(5)?,
        sort_order: r.get(6)?,
        memo: r.get(7)?,
    })
}

/// One code's row.
pub fn row(conn: &Connection, id: &str) -> Result<Option<CodeRow>> {
    conn.prepare_cached(
        "SELECT id, parent_id, name, path, color, description, sort_order, memo FROM code WHERE id = ?1",
    )
    .and_then(|mut s| {
        s.query_row([id], code_row).optional()
    })
    .map_err(sql_err)
}

/// The whole code table, by path.
pub fn rows(conn: &Connection) -> Result<Vec<CodeRow>> {
    let mut stmt = conn
        .prepare_cached(
            "SELECT id, parent_id, name, path, color, description, sort_order, memo FROM code ORDER BY path",
        )
        .map_err(sql_err)?;
    let rows = stmt.query_map([], code_row).map_err(sql_err)?;
    rows.collect::<rusqlite::Result<_>>().map_err(sql_err)
}

/// `(claim id, code id)` of every code link of `claims`.
pub fn links_of(conn: &Connection, claims: &[String]) -> Result<Vec<(String, String)>> {
    let mut stmt = conn
        .prepare_cached("SELECT claim_id, code_id FROM claim_code WHERE claim_id = ?1")
        .map_err(sql_err)?;
    let mut links = Vec::new();
    for id in claims {
        let rows = stmt
            .query_map([id], |r| Ok((r.get(0)?, r.get(1)?)))
            .map_err(sql_err)?;
        for row in rows {
            links.push(row.map_err(sql_err)?);
        }
    }
    Ok(links)
}

/// Claims carrying one of `paths` or a code below them, sorted.
pub fn claims_under(conn: &Connection, paths: &[&str]) -> Result<Vec<String>> {
    let mut out = std::collections::BTreeSet::new();
    let mut stmt = conn
        .prepare_cached(
            "SELECT DISTINCT cc.claim_id FROM claim_code cc JOIN code k ON k.id = cc.code_id
             WHERE k.path = ?1 OR substr(k.path, 1, length(?1) + 1) = ?1 || '/'",
        )
        .map_err(sql_err)?;
    for p in paths {
        let p = p.trim_matches('/');
        let rows = stmt
            .query_map([p], |r| r.get::<_, String>(0))
            .map_err(sql_err)?;
        for r in rows {
            out.insert(r.map_err(sql_err)?);
        }
    }
    Ok(out.into_iter().collect())
}

/// Makes the code table exactly `wanted` and the code links of `claims`
/// exactly `links` (links to claims that no longer exist are skipped): what
/// undoing or redoing a codebook change does. Returns the table as it was;
/// the caller queues the claims whose codes changed.
pub fn restore_table(
    conn: &Connection,
    wanted: &[CodeRow],
    claims: &[String],
    links: &[(String, String)],
) -> Result<Vec<CodeRow>> {
    let current = rows(conn)?;
    for id in claims {
        conn.execute("DELETE FROM claim_code WHERE claim_id = ?1", [id])
            .map_err(sql_err)?;
    }
    let keep: std::collections::HashSet<&str> = wanted.iter().map(|r| r.id.as_str()).collect();
    // Codes the change added: remove, deepest first.
    let mut extra: Vec<&CodeRow> = current
        .iter()
        .filter(|r| !keep.contains(r.id.as_str()))
        .collect();
    extra.sort_by_key(|r| std::cmp::Reverse(r.path.matches('/').count()));
    for r in extra {
        conn.execute("DELETE FROM claim_code WHERE code_id = ?1", [&r.id])
            .map_err(sql_err)?;
        conn.execute("DELETE FROM code WHERE id = ?1", [&r.id])
            .map_err(sql_err)?;
        outbox::record(conn, Entity::Codebook, &r.id, Op::Delete)?;
    }
    // Paths move out of the way first, so a swap cannot collide on the unique path.
    conn.execute("UPDATE code SET path = '\u{1}' || id", [])
        .map_err(sql_err)?;
    let mut ordered: Vec<&CodeRow> = wanted.iter().collect();
    ordered.sort_by_key(|r| r.path.matches('/').count());
    for r in ordered {
        conn.execute(
            "INSERT INTO code (id, parent_id, name, path, color, description, sort_order, memo) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)
             ON CONFLICT(id) DO UPDATE SET parent_id = ?2, name = ?3, path = ?4, color = ?5, description = ?6, sort_order = ?7, memo = ?8",
            params![r.id, r.parent_id, r.name, r.path, r.color, r.description, r.sort_order, r.memo],
        )
        .map_err(sql_err)?;
    }
    for (claim, code) in links {
        conn.execute(
            "INSERT OR IGNORE INTO claim_code (claim_id, code_id) SELECT ?1, ?2 WHERE EXISTS (SELECT 1 FROM claim WHERE id = ?1)",
            params![claim, code],
        )
        .map_err(sql_err)?;
    }
    Ok(current)
}
