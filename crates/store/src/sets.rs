//! Named sets of articles (`article_set`, `article_set_member`) and saved
//! searches (`saved_search`).

use dossier_model::attributes::{ArticleSet, SavedSearch, MAX_SETS};
use dossier_model::{Error, ErrorCode, Result};
use rusqlite::{params, Connection, OptionalExtension, Row};

use crate::convert::now;
use crate::outbox::{self, Entity, Op};
use crate::sql_err;

const SELECT_SET: &str = "SELECT s.name, s.description,
        (SELECT count(*) FROM article_set_member m WHERE m.set_name = s.name) FROM article_set s";

fn set_row(r: &Row<'_>) -> rusqlite::Result<ArticleSet> {
    Ok(ArticleSet {
        name: r.get(0)?,
        description: r.get(1)?,
        size: r.get(2)?,
    })
}

/// Every set, in the order they were made.
pub fn list(c: &Connection) -> Result<Vec<ArticleSet>> {
    let mut s = c
        .prepare(&format!("{SELECT_SET} ORDER BY s.position"))
        .map_err(sql_err)?;
    let rows = s.query_map([], set_row).map_err(sql_err)?;
    rows.collect::<rusqlite::Result<_>>().map_err(sql_err)
}

/// The set named `name` (ignoring case).
pub fn get(c: &Connection, name: &str) -> Result<Option<ArticleSet>> {
    c.query_row(&format!("{SELECT_SET} WHERE s.name = ?1"), [name], set_row)
        .optional()
        .map_err(sql_err)
}

/// Where a set stands in the notebook's order.
pub fn position(c: &Connection, name: &str) -> Result<Option<i64>> {
    c.query_row(
        "SELECT position FROM article_set WHERE name = ?1",
        [name],
        |r| r.get(0),
    )
    .optional()
    .map_err(sql_err)
}

fn count(c: &Connection, table: &str) -> Result<usize> {
    let n: i64 = c
        .query_row(&format!("SELECT count(*) FROM {table}"), [], |r| r.get(0))
        .map_err(sql_err)?;
    Ok(n as usize)
}

/// Makes an empty set, last in the order or at `position`; a name taken is a conflict.
pub fn create(c: &Connection, name: &str, description: &str, position: Option<i64>) -> Result<()> {
    if get(c, name)?.is_some() {
        return Err(Error::new(
            ErrorCode::Conflict,
            format!("the set '{name}' exists already"),
        ));
    }
    if count(c, "article_set")? >= MAX_SETS {
        return Err(Error::invalid(format!(
            "a notebook holds at most {MAX_SETS} sets"
        )));
    }
    c.execute(
        "INSERT INTO article_set (name, description, position, created_at)
         VALUES (?1, ?2, coalesce(?3, (SELECT coalesce(max(position), 0) + 1 FROM article_set)), ?4)",
        params![name, description, position, now()],
    )
    .map_err(sql_err)?;
    outbox::record_named(c, Entity::Set, name, Op::Insert)
}

/// Replaces a set's description (its memo); whether the set exists.
pub fn describe(c: &Connection, name: &str, description: &str) -> Result<bool> {
    let n = c
        .execute(
            "UPDATE article_set SET description = ?2 WHERE name = ?1",
            params![name, description],
        )
        .map_err(sql_err)?;
    if n > 0 {
        outbox::record_named(c, Entity::Set, name, Op::Update)?;
    }
    Ok(n > 0)
}

/// Removes a set (its articles stay, each out of it); whether it existed.
pub fn delete(c: &Connection, name: &str) -> Result<bool> {
    let members = members(c, name)?;
    let n = c
        .execute("DELETE FROM article_set WHERE name = ?1", [name])
        .map_err(sql_err)?;
    if n > 0 {
        outbox::record_named(c, Entity::Set, name, Op::Delete)?;
        outbox::record_meta(c, &members)?;
    }
    Ok(n > 0)
}

/// A set's articles, by id.
pub fn members(c: &Connection, name: &str) -> Result<Vec<String>> {
    let mut s = c
        .prepare_cached(
            "SELECT article_id FROM article_set_member WHERE set_name = ?1 ORDER BY article_id",
        )
        .map_err(sql_err)?;
    let rows = s.query_map([name], |r| r.get(0)).map_err(sql_err)?;
    rows.collect::<rusqlite::Result<_>>().map_err(sql_err)
}

/// Puts articles into a set (those already in it stay); how many were added.
/// Every id must be an article.
pub fn add(c: &Connection, name: &str, article_ids: &[String]) -> Result<usize> {
    let mut added = 0;
    let at = now();
    for id in article_ids {
        if !crate::articles::exists(c, id)? {
            return Err(Error::not_found("article", id));
        }
        added += c
            .prepare_cached(
                "INSERT OR IGNORE INTO article_set_member (set_name, article_id, added_at)
                 VALUES ((SELECT name FROM article_set WHERE name = ?1), ?2, ?3)",
            )
            .and_then(|mut s| s.execute(params![name, id, at]))
            .map_err(sql_err)?;
        outbox::record(c, Entity::Article, id, Op::Meta)?;
    }
    Ok(added)
}

/// Takes articles out of a set; how many were in it.
pub fn remove(c: &Connection, name: &str, article_ids: &[String]) -> Result<usize> {
    let mut removed = 0;
    for id in article_ids {
        removed += c
            .prepare_cached(
                "DELETE FROM article_set_member WHERE set_name = ?1 AND article_id = ?2",
            )
            .and_then(|mut s| s.execute(params![name, id]))
            .map_err(sql_err)?;
        outbox::record(c, Entity::Article, id, Op::Meta)?;
    }
    Ok(removed)
}

/// The sets an article is in, in the sets' order.
pub fn of_article(c: &Connection, article_id: &str) -> Result<Vec<String>> {
    let mut s = c
        .prepare_cached(
            "SELECT s.name FROM article_set_member m JOIN article_set s ON s.name = m.set_name
             WHERE m.article_id = ?1 ORDER BY s.position",
        )
        .map_err(sql_err)?;
    let rows = s.query_map([article_id], |r| r.get(0)).map_err(sql_err)?;
    rows.collect::<rusqlite::Result<_>>().map_err(sql_err)
}

/// Puts an article back into the sets it was in (those that still exist).
pub fn restore_memberships(c: &Connection, article_id: &str, sets: &[String]) -> Result<()> {
    for name in sets {
        if get(c, name)?.is_some() {
            add(c, name, &[article_id.to_string()])?;
        }
    }
    Ok(())
}

/// Puts a set's members back (those articles that still exist).
pub fn restore_members(c: &Connection, name: &str, article_ids: &[String]) -> Result<()> {
    for id in article_ids {
        if crate::articles::exists(c, id)? {
            add(c, name, std::slice::from_ref(id))?;
        }
    }
    Ok(())
}

/// Every saved search, in the order they were saved.
pub fn saved(c: &Connection) -> Result<Vec<SavedSearch>> {
    let mut s = c
        .prepare("SELECT name, query FROM saved_search ORDER BY position")
        .map_err(sql_err)?;
    let rows = s
        .query_map([], |r| {
            Ok(SavedSearch {
                name: r.get(0)?,
                query: r.get(1)?,
            })
        })
        .map_err(sql_err)?;
    rows.collect::<rusqlite::Result<_>>().map_err(sql_err)
}

/// The saved search named `name` (ignoring case), with its position.
pub fn saved_one(c: &Connection, name: &str) -> Result<Option<(SavedSearch, i64)>> {
    c.query_row(
        "SELECT name, query, position FROM saved_search WHERE name = ?1",
        [name],
        |r| {
            Ok((
                SavedSearch {
                    name: r.get(0)?,
                    query: r.get(1)?,
                },
                r.get(2)?,
            ))
        },
    )
    .optional()
    .map_err(sql_err)
}

/// Saves a search, replacing the query of one with the same name (which keeps
/// its place); a new one goes last or at `position`.
pub fn save(c: &Connection, s: &SavedSearch, position: Option<i64>) -> Result<()> {
    if saved_one(c, &s.name)?.is_none() && count(c, "saved_search")? >= MAX_SETS {
        return Err(Error::invalid(format!(
            "a notebook holds at most {MAX_SETS} saved searches"
        )));
    }
    c.execute(
        "INSERT INTO saved_search (name, query, position, created_at)
         VALUES (?1, ?2, coalesce(?3, (SELECT coalesce(max(position), 0) + 1 FROM saved_search)), ?4)
         ON CONFLICT (name) DO UPDATE SET query = excluded.query",
        params![s.name, s.query, position, now()],
    )
    .map_err(sql_err)?;
    outbox::record_named(c, Entity::SavedSearch, &s.name, Op::Update)
}

/// Removes a saved search; whether it existed.
pub fn unsave(c: &Connection, name: &str) -> Result<bool> {
    let n = c
        .execute("DELETE FROM saved_search WHERE name = ?1", [name])
        .map_err(sql_err)?;
    if n > 0 {
        outbox::record_named(c, Entity::SavedSearch, name, Op::Delete)?;
    }
    Ok(n > 0)
}
