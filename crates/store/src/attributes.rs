//! Article attributes: the definitions (`attribute`) and each article's values
//! (`article_attribute`). Values arrive validated and normalised
//! (`dossier_model::attributes`); numbers and dates carry the interval they
//! stand for, which comparisons use.

use dossier_model::attributes::{AttributeDef, AttributeType, AttributeValue, Condition};
use dossier_model::{Error, ErrorCode, Result};
use rusqlite::{params, Connection, OptionalExtension, Row};
use serde::{Deserialize, Serialize};

use crate::convert::now;
use crate::outbox::{self, Entity, Op};
use crate::sql_err;

/// A stored value, as the change log keeps it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct StoredValue {
    pub article_id: String,
    pub name: String,
    pub value: String,
    pub low: Option<f64>,
    pub high: Option<f64>,
}

const SELECT_DEF: &str = "SELECT a.name, a.type, a.choices,
        (SELECT count(*) FROM article_attribute v WHERE v.name = a.name) FROM attribute a";

fn def_row(r: &Row<'_>) -> rusqlite::Result<AttributeDef> {
    let kind: String = r.get(1)?;
    let choices: String = r.get(2)?;
    Ok(AttributeDef {
        name: r.get(0)?,
        kind: AttributeType::parse(&kind)
            .ok_or_else(|| corrupt(format!("attribute type '{kind}'")))?,
        choices: serde_json::from_str(&choices).map_err(|e| corrupt(e.to_string()))?,
        used_by: r.get(3)?,
    })
}

fn corrupt(what: String) -> rusqlite::Error {
    rusqlite::Error::FromSqlConversionFailure(
        0,
        rusqlite::types::Type::Text,
        format!("unreadable {what}").into(),
    )
}

/// Every attribute, in the order they were defined.
pub fn defs(c: &Connection) -> Result<Vec<AttributeDef>> {
    let mut s = c
        .prepare(&format!("{SELECT_DEF} ORDER BY a.position"))
        .map_err(sql_err)?;
    let rows = s.query_map([], def_row).map_err(sql_err)?;
    rows.collect::<rusqlite::Result<_>>().map_err(sql_err)
}

/// The attribute named `name` (ignoring case).
pub fn def(c: &Connection, name: &str) -> Result<Option<AttributeDef>> {
    c.query_row(&format!("{SELECT_DEF} WHERE a.name = ?1"), [name], def_row)
        .optional()
        .map_err(sql_err)
}

/// Where an attribute stands in the notebook's order.
pub fn position(c: &Connection, name: &str) -> Result<Option<i64>> {
    c.query_row(
        "SELECT position FROM attribute WHERE name = ?1",
        [name],
        |r| r.get(0),
    )
    .optional()
    .map_err(sql_err)
}

/// Adds a definition, last in the order or at `position` (undo puts one back
/// where it was); a name taken (ignoring case) is a conflict.
pub fn define(c: &Connection, d: &AttributeDef, position: Option<i64>) -> Result<()> {
    if def(c, &d.name)?.is_some() {
        return Err(Error::new(
            ErrorCode::Conflict,
            format!("the attribute '{}' exists already", d.name),
        ));
    }
    let count: i64 = c
        .query_row("SELECT count(*) FROM attribute", [], |r| r.get(0))
        .map_err(sql_err)?;
    if count as usize >= dossier_model::attributes::MAX_ATTRIBUTES {
        return Err(Error::invalid(format!(
            "a notebook holds at most {} attributes",
            dossier_model::attributes::MAX_ATTRIBUTES
        )));
    }
    let choices = serde_json::to_string(&d.choices).map_err(|e| Error::internal(e.to_string()))?;
    c.execute(
        "INSERT INTO attribute (name, type, choices, position, created_at)
         VALUES (?1, ?2, ?3, coalesce(?4, (SELECT coalesce(max(position), 0) + 1 FROM attribute)), ?5)",
        params![d.name, d.kind.as_str(), choices, position, now()],
    )
    .map_err(sql_err)?;
    outbox::record_named(c, Entity::Attribute, &d.name, Op::Insert)
}

/// Changes a definition in place (its name's case, type, choices): the values
/// stay as they are. Whether it existed.
pub fn redefine(c: &Connection, name: &str, d: &AttributeDef) -> Result<bool> {
    let choices = serde_json::to_string(&d.choices).map_err(|e| Error::internal(e.to_string()))?;
    let n = c
        .execute(
            "UPDATE attribute SET name = ?2, type = ?3, choices = ?4 WHERE name = ?1",
            params![name, d.name, d.kind.as_str(), choices],
        )
        .map_err(sql_err)?;
    if n > 0 {
        outbox::record_named(c, Entity::Attribute, &d.name, Op::Update)?;
    }
    Ok(n > 0)
}

/// Removes a definition with every article's value of it; whether it existed.
pub fn undefine(c: &Connection, name: &str) -> Result<bool> {
    let had: Vec<String> = stored_of_attribute(c, name)?
        .into_iter()
        .map(|v| v.article_id)
        .collect();
    let n = c
        .execute("DELETE FROM attribute WHERE name = ?1", [name])
        .map_err(sql_err)?;
    if n > 0 {
        outbox::record_named(c, Entity::Attribute, name, Op::Delete)?;
        outbox::record_meta(c, &had)?;
    }
    Ok(n > 0)
}

const SELECT_VALUE: &str = "SELECT v.article_id, a.name, v.value, v.low, v.high
        FROM article_attribute v JOIN attribute a ON a.name = v.name";

fn value_row(r: &Row<'_>) -> rusqlite::Result<StoredValue> {
    Ok(StoredValue {
        article_id: r.get(0)?,
        name: r.get(1)?,
        value: r.get(2)?,
        low: r.get(3)?,
        high: r.get(4)?,
    })
}

fn stored(c: &Connection, sql: &str, p: impl rusqlite::Params) -> Result<Vec<StoredValue>> {
    let mut s = c.prepare_cached(sql).map_err(sql_err)?;
    let rows = s.query_map(p, value_row).map_err(sql_err)?;
    rows.collect::<rusqlite::Result<_>>().map_err(sql_err)
}

/// An article's values, in the attributes' order.
pub fn stored_of_article(c: &Connection, article_id: &str) -> Result<Vec<StoredValue>> {
    stored(
        c,
        &format!("{SELECT_VALUE} WHERE v.article_id = ?1 ORDER BY a.position"),
        [article_id],
    )
}

/// Every article's value of one attribute, by article id.
pub fn stored_of_attribute(c: &Connection, name: &str) -> Result<Vec<StoredValue>> {
    stored(
        c,
        &format!("{SELECT_VALUE} WHERE v.name = ?1 ORDER BY v.article_id"),
        [name],
    )
}

/// Every value in the notebook, by article, then the attributes' order.
pub fn all_stored(c: &Connection) -> Result<Vec<StoredValue>> {
    stored(
        c,
        &format!("{SELECT_VALUE} ORDER BY v.article_id, a.position"),
        [],
    )
}

/// An article's values with their types, in the attributes' order.
pub fn values_of(c: &Connection, article_id: &str) -> Result<Vec<AttributeValue>> {
    let mut s = c
        .prepare_cached(
            "SELECT a.name, a.type, v.value FROM article_attribute v JOIN attribute a ON a.name = v.name
             WHERE v.article_id = ?1 ORDER BY a.position",
        )
        .map_err(sql_err)?;
    let rows = s
        .query_map([article_id], |r| {
            let kind: String = r.get(1)?;
            Ok(AttributeValue {
                name: r.get(0)?,
                kind: AttributeType::parse(&kind)
                    .ok_or_else(|| corrupt(format!("attribute type '{kind}'")))?,
                value: r.get(2)?,
            })
        })
        .map_err(sql_err)?;
    rows.collect::<rusqlite::Result<_>>().map_err(sql_err)
}

/// Sets (or replaces) a value. The attribute's name is stored as defined.
pub fn put(c: &Connection, v: &StoredValue) -> Result<()> {
    c.prepare_cached(
        "INSERT INTO article_attribute (article_id, name, value, low, high)
         VALUES (?1, (SELECT name FROM attribute WHERE name = ?2), ?3, ?4, ?5)
         ON CONFLICT (article_id, name) DO UPDATE SET value = excluded.value, low = excluded.low, high = excluded.high",
    )
    .and_then(|mut s| s.execute(params![v.article_id, v.name, v.value, v.low, v.high]))
    .map_err(sql_err)?;
    outbox::record(c, Entity::Article, &v.article_id, Op::Meta)
}

/// Removes a value; whether there was one.
pub fn clear(c: &Connection, article_id: &str, name: &str) -> Result<bool> {
    let n = c
        .execute(
            "DELETE FROM article_attribute WHERE article_id = ?1 AND name = ?2",
            params![article_id, name],
        )
        .map_err(sql_err)?;
    if n > 0 {
        outbox::record(c, Entity::Article, article_id, Op::Meta)?;
    }
    Ok(n > 0)
}

/// Puts values back (undo, trash): those whose article and attribute still exist.
pub fn restore(c: &Connection, values: &[StoredValue]) -> Result<()> {
    for v in values {
        let present = crate::articles::exists(c, &v.article_id)? && def(c, &v.name)?.is_some();
        if present {
            put(c, v)?;
        }
    }
    Ok(())
}

/// The ids of the articles whose value of `name` meets `condition`, sorted.
pub fn articles_where(c: &Connection, name: &str, condition: &Condition) -> Result<Vec<String>> {
    use rusqlite::types::Value;
    let (test, args): (&str, Vec<Value>) = match condition {
        Condition::Any => ("", vec![]),
        Condition::TextEquals(t) => (" AND value = ?2 COLLATE NOCASE", vec![t.clone().into()]),
        Condition::Within(lo, hi) => (
            " AND low >= ?2 AND high <= ?3",
            vec![(*lo).into(), (*hi).into()],
        ),
        Condition::LowAbove(x) => (" AND low > ?2", vec![(*x).into()]),
        Condition::LowAtLeast(x) => (" AND low >= ?2", vec![(*x).into()]),
        Condition::HighBelow(x) => (" AND high < ?2", vec![(*x).into()]),
        Condition::HighAtMost(x) => (" AND high <= ?2", vec![(*x).into()]),
    };
    let sql = format!(
        "SELECT article_id FROM article_attribute WHERE name = ?1{test} ORDER BY article_id"
    );
    let mut all: Vec<Value> = vec![name.to_string().into()];
    all.extend(args);
    let mut s = c.prepare_cached(&sql).map_err(sql_err)?;
    let rows = s
        .query_map(rusqlite::params_from_iter(all), |r| r.get(0))
        .map_err(sql_err)?;
    rows.collect::<rusqlite::Result<_>>().map_err(sql_err)
}
