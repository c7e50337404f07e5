//! Matrices of claims, counted in SQLite: each axis is a relation
//! `(claim_id, label)` and a matrix is their join, grouped by both labels.

use std::collections::BTreeMap;

use dossier_model::matrix::{Axis, AxisKind, Matrix, MatrixCell, StanceSplit, VerdictSplit};
use dossier_model::Result;
use rusqlite::types::Value;
use rusqlite::Connection;

use crate::sql_err;

/// `SELECT claim_id, label` for an axis, with its parameters (anonymous `?`).
fn source(axis: &Axis) -> (String, Vec<Value>) {
    let plain = |sql: &str| (sql.to_string(), Vec::new());
    match axis.kind {
        AxisKind::Code => plain(
            "SELECT cc.claim_id AS claim_id, c.path AS label FROM claim_code cc JOIN code c ON c.id = cc.code_id",
        ),
        AxisKind::Attribute => (
            "SELECT cl.id AS claim_id, coalesce(v.value, '') AS label FROM claim cl
             LEFT JOIN article_attribute v ON v.article_id = cl.article_id AND v.name = ?"
                .to_string(),
            vec![Value::Text(axis.name.clone().unwrap_or_default())],
        ),
        AxisKind::Set => plain(
            "SELECT cl.id AS claim_id, m.set_name AS label FROM claim cl
             JOIN article_set_member m ON m.article_id = cl.article_id",
        ),
        AxisKind::Analyst => plain("SELECT id AS claim_id, coalesce(analyst, '') AS label FROM claim"),
        // An article's month: published when that is a date (a year alone stays
        // a year), else when it was imported.
        AxisKind::Month => plain(
            "SELECT cl.id AS claim_id, CASE
                 WHEN a.published GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]*' THEN substr(a.published, 1, 7)
                 WHEN a.published GLOB '[0-9][0-9][0-9][0-9]*' THEN substr(a.published, 1, 4)
                 ELSE substr(a.imported_at, 1, 7) END AS label
             FROM claim cl JOIN article a ON a.id = cl.article_id",
        ),
        AxisKind::Stance => plain("SELECT id AS claim_id, stance AS label FROM claim"),
        AxisKind::Verdict => plain("SELECT id AS claim_id, verdict AS label FROM claim"),
        AxisKind::Language => plain(
            "SELECT cl.id AS claim_id, a.language AS label FROM claim cl JOIN article a ON a.id = cl.article_id",
        ),
    }
}

fn with(rows: &Axis, cols: &Axis) -> (String, Vec<Value>) {
    let (r, mut params) = source(rows);
    let (c, more) = source(cols);
    params.extend(more);
    (format!("WITH r AS ({r}), c AS ({c})"), params)
}

/// Labels sorted, the empty one ("no value") last.
fn order(labels: impl IntoIterator<Item = String>) -> Vec<String> {
    let mut v: Vec<String> = labels.into_iter().collect();
    v.sort_by(|a, b| (a.is_empty(), a).cmp(&(b.is_empty(), b)));
    v.dedup();
    v
}

/// The matrix of `rows` × `cols`.
pub fn build(c: &Connection, rows: &Axis, cols: &Axis) -> Result<Matrix> {
    let (prefix, params) = with(rows, cols);
    let sql = format!(
        "{prefix} SELECT r.label, c.label, count(*),
            sum(cl.stance = 'supports'), sum(cl.stance = 'contests'), sum(cl.stance = 'neutral'), sum(cl.stance = 'unclear'),
            sum(cl.verdict = 'unverified'), sum(cl.verdict = 'supported'), sum(cl.verdict = 'disputed'), sum(cl.verdict = 'refuted')
         FROM r JOIN c ON c.claim_id = r.claim_id JOIN claim cl ON cl.id = r.claim_id
         GROUP BY r.label, c.label"
    );
    let mut s = c.prepare(&sql).map_err(sql_err)?;
    type Row = (String, String, [u32; 9]);
    let raw: Vec<Row> = s
        .query_map(rusqlite::params_from_iter(params.iter()), |r| {
            let mut n = [0u32; 9];
            for (i, slot) in n.iter_mut().enumerate() {
                *slot = r.get(i + 2)?;
            }
            Ok((r.get(0)?, r.get(1)?, n))
        })
        .map_err(sql_err)?
        .collect::<rusqlite::Result<_>>()
        .map_err(sql_err)?;
    let row_labels = order(raw.iter().map(|x| x.0.clone()));
    let col_labels = order(raw.iter().map(|x| x.1.clone()));
    let index = |labels: &[String], l: &str| {
        labels
            .binary_search_by(|x| (x.is_empty(), x.as_str()).cmp(&(l.is_empty(), l)))
            .unwrap_or(0) as u32
    };
    let mut cells: Vec<MatrixCell> = raw
        .iter()
        .map(|(r, col, n)| MatrixCell {
            row: index(&row_labels, r),
            col: index(&col_labels, col),
            count: n[0],
            stance: StanceSplit {
                supports: n[1],
                contests: n[2],
                neutral: n[3],
                unclear: n[4],
            },
            verdict: VerdictSplit {
                unverified: n[5],
                supported: n[6],
                disputed: n[7],
                refuted: n[8],
            },
        })
        .collect();
    cells.sort_by_key(|x| (x.row, x.col));
    let totals = |side: &str, labels: &[String]| -> Result<Vec<u32>> {
        let (prefix, params) = with(rows, cols);
        let sql = format!(
            "{prefix} SELECT {side}.label, count(DISTINCT r.claim_id)
             FROM r JOIN c ON c.claim_id = r.claim_id GROUP BY {side}.label"
        );
        let mut s = c.prepare(&sql).map_err(sql_err)?;
        let found: BTreeMap<String, u32> = s
            .query_map(rusqlite::params_from_iter(params.iter()), |r| {
                Ok((r.get(0)?, r.get(1)?))
            })
            .map_err(sql_err)?
            .collect::<rusqlite::Result<_>>()
            .map_err(sql_err)?;
        Ok(labels
            .iter()
            .map(|l| found.get(l).copied().unwrap_or(0))
            .collect())
    };
    let row_totals = totals("r", &row_labels)?;
    let col_totals = totals("c", &col_labels)?;
    let total: u32 = c
        .query_row(
            &format!("{prefix} SELECT count(DISTINCT r.claim_id) FROM r JOIN c ON c.claim_id = r.claim_id"),
            rusqlite::params_from_iter(params.iter()),
            |r| r.get(0),
        )
        .map_err(sql_err)?;
    Ok(Matrix {
        rows: rows.clone(),
        cols: cols.clone(),
        row_labels,
        col_labels,
        cells,
        row_totals,
        col_totals,
        total,
    })
}

/// The ids of the claims in one cell (at most `limit`), in id order.
pub fn cell(
    c: &Connection,
    rows: &Axis,
    cols: &Axis,
    row_label: &str,
    col_label: &str,
    limit: usize,
) -> Result<Vec<String>> {
    let (prefix, mut params) = with(rows, cols);
    params.push(Value::Text(row_label.to_string()));
    params.push(Value::Text(col_label.to_string()));
    params.push(Value::Integer(limit as i64));
    let sql = format!(
        "{prefix} SELECT DISTINCT r.claim_id FROM r JOIN c ON c.claim_id = r.claim_id
         WHERE r.label = ? AND c.label = ? ORDER BY r.claim_id LIMIT ?"
    );
    let mut s = c.prepare(&sql).map_err(sql_err)?;
    let rows = s
        .query_map(rusqlite::params_from_iter(params.iter()), |r| r.get(0))
        .map_err(sql_err)?;
    rows.collect::<rusqlite::Result<_>>().map_err(sql_err)
}
