//! The glossary: concepts, each a set of terms in several languages.

use dossier_model::{GlossaryConcept, GlossaryTerm, Result};
use rusqlite::{params, Connection, OptionalExtension};

use crate::sql_err;

fn group(rows: Vec<(String, GlossaryTerm)>) -> Vec<GlossaryConcept> {
    let mut out: Vec<GlossaryConcept> = Vec::new();
    for (concept, term) in rows {
        match out.last_mut() {
            Some(c) if c.id == concept => c.terms.push(term),
            _ => out.push(GlossaryConcept {
                id: concept,
                terms: vec![term],
            }),
        }
    }
    out
}

fn query(
    c: &Connection,
    sql: &str,
    p: impl rusqlite::Params,
) -> Result<Vec<(String, GlossaryTerm)>> {
    let mut stmt = c.prepare_cached(sql).map_err(sql_err)?;
    let rows = stmt
        .query_map(p, |r| {
            Ok((
                r.get::<_, String>(0)?,
                GlossaryTerm {
                    language: r.get(1)?,
                    term: r.get(2)?,
                },
            ))
        })
        .map_err(sql_err)?;
    rows.collect::<std::result::Result<_, _>>().map_err(sql_err)
}

/// Every concept, in the order they were made, each with its terms in order.
pub fn list(c: &Connection) -> Result<Vec<GlossaryConcept>> {
    Ok(group(query(
        c,
        "SELECT g.concept, g.language, g.term FROM glossary_term g
         JOIN (SELECT concept, min(position) AS first FROM glossary_term GROUP BY concept) o ON o.concept = g.concept
         ORDER BY o.first, g.position",
        [],
    )?))
}

pub fn get(c: &Connection, id: &str) -> Result<Option<GlossaryConcept>> {
    Ok(group(query(
        c,
        "SELECT concept, language, term FROM glossary_term WHERE concept = ?1 ORDER BY position",
        [id],
    )?)
    .pop())
}

/// The concept a term (in its language, without case) belongs to.
pub fn concept_of(c: &Connection, t: &GlossaryTerm) -> Result<Option<String>> {
    c.query_row(
        "SELECT concept FROM glossary_term WHERE language = ?1 AND term = ?2",
        params![t.language, t.term],
        |r| r.get(0),
    )
    .optional()
    .map_err(sql_err)
}

pub fn count(c: &Connection) -> Result<usize> {
    c.query_row(
        "SELECT count(DISTINCT concept) FROM glossary_term",
        [],
        |r| r.get::<_, i64>(0),
    )
    .map(|n| n as usize)
    .map_err(sql_err)
}

/// Writes a concept's terms (replacing the ones it had).
pub fn put(c: &Connection, concept: &GlossaryConcept) -> Result<()> {
    let base: i64 = match c
        .query_row(
            "SELECT min(position) FROM glossary_term WHERE concept = ?1",
            [&concept.id],
            |r| r.get::<_, Option<i64>>(0),
        )
        .map_err(sql_err)?
    {
        Some(p) => p,
        None => c
            .query_row(
                "SELECT coalesce(max(position), 0) + 1000 FROM glossary_term",
                [],
                |r| r.get(0),
            )
            .map_err(sql_err)?,
    };
    delete(c, &concept.id)?;
    for (i, t) in concept.terms.iter().enumerate() {
        c.execute(
            "INSERT INTO glossary_term (concept, language, term, position) VALUES (?1, ?2, ?3, ?4)",
            params![concept.id, t.language, t.term, base + i as i64],
        )
        .map_err(sql_err)?;
    }
    Ok(())
}

pub fn delete(c: &Connection, id: &str) -> Result<bool> {
    c.execute("DELETE FROM glossary_term WHERE concept = ?1", [id])
        .map(|n| n > 0)
        .map_err(sql_err)
}
