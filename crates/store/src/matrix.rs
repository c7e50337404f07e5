//! Matrices of claims: the claim table is read once, each axis giving every
//! claim its labels (joined from the claim, or, for an axis of the article,
//! looked up per article), and counted here.

use std::collections::HashMap;

use dossier_model::matrix::{Axis, AxisKind, Matrix, MatrixCell, StanceSplit, VerdictSplit};
use dossier_model::{Result, Stance, Verdict};
use rusqlite::types::Value;
use rusqlite::Connection;

use crate::sql_err;

/// An article's month, from the columns of `t` (`""` or an alias with its
/// dot): published when that is a date (a year alone stays a year), else when
/// it was imported.
fn month_of(t: &str) -> String {
    format!(
        "CASE WHEN {t}published GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]*' THEN substr({t}published, 1, 7)
              WHEN {t}published GLOB '[0-9][0-9][0-9][0-9]*' THEN substr({t}published, 1, 4)
              ELSE substr({t}imported_at, 1, 7) END"
    )
}

/// For an axis that is a property of the claim's article (language, month,
/// attribute, set): each article's labels, read once — a million claims then
/// cost a hash lookup each instead of a B-tree search in `article`. `None`
/// for the other axes.
fn by_article(c: &Connection, axis: &Axis) -> Result<Option<Vec<(String, String)>>> {
    let (sql, params): (String, Vec<Value>) = match axis.kind {
        AxisKind::Language => ("SELECT id, language FROM article".into(), Vec::new()),
        AxisKind::Month => (
            format!("SELECT id, {} FROM article", month_of("")),
            Vec::new(),
        ),
        AxisKind::Attribute => (
            "SELECT a.id, coalesce(v.value, '') FROM article a
             LEFT JOIN article_attribute v ON v.article_id = a.id AND v.name = ?"
                .into(),
            vec![Value::Text(axis.name.clone().unwrap_or_default())],
        ),
        AxisKind::Set => (
            "SELECT article_id, set_name FROM article_set_member".into(),
            Vec::new(),
        ),
        _ => return Ok(None),
    };
    let mut s = c.prepare(&sql).map_err(sql_err)?;
    let rows = s
        .query_map(rusqlite::params_from_iter(params.iter()), |r| {
            Ok((r.get(0)?, r.get(1)?))
        })
        .map_err(sql_err)?;
    rows.collect::<std::result::Result<_, _>>()
        .map(Some)
        .map_err(sql_err)
}

/// An axis seen from one claim `cl`: the joins that give its labels (aliases
/// prefixed with `p`), the label expression, and the parameters. Every join
/// keeps `cl` the outer table (`CROSS JOIN`, `LEFT JOIN`), so the rows of one
/// claim come together while the claim table is read in rowid order.
fn lateral(axis: &Axis, p: &str) -> (String, String, Vec<Value>) {
    let article = format!(" CROSS JOIN article {p}a ON {p}a.id = cl.article_id");
    match axis.kind {
        AxisKind::Code => (
            format!(" CROSS JOIN claim_code {p}cc ON {p}cc.claim_id = cl.id CROSS JOIN code {p}k ON {p}k.id = {p}cc.code_id"),
            format!("{p}k.path"),
            Vec::new(),
        ),
        AxisKind::Attribute => (
            format!(" LEFT JOIN article_attribute {p}v ON {p}v.article_id = cl.article_id AND {p}v.name = ?"),
            format!("coalesce({p}v.value, '')"),
            vec![Value::Text(axis.name.clone().unwrap_or_default())],
        ),
        AxisKind::Set => (
            format!(" CROSS JOIN article_set_member {p}m ON {p}m.article_id = cl.article_id"),
            format!("{p}m.set_name"),
            Vec::new(),
        ),
        AxisKind::Analyst => (String::new(), "coalesce(cl.analyst, '')".into(), Vec::new()),
        AxisKind::Month => (article, month_of(&format!("{p}a.")), Vec::new()),
        AxisKind::Stance => (String::new(), "cl.stance".into(), Vec::new()),
        AxisKind::Verdict => (String::new(), "cl.verdict".into(), Vec::new()),
        AxisKind::Language => (article, format!("{p}a.language"), Vec::new()),
    }
}

/// The matrix of `rows` × `cols`, in one pass: the join of both axes is read
/// once, ordered by claim, and counted here — cells with their splits, and each
/// row's, column's and the whole matrix's distinct claims (a claim's labels are
/// all together, so distinct counts need no set of every claim).
pub fn build(c: &Connection, rows: &Axis, cols: &Axis) -> Result<Matrix> {
    // An article-level axis is read from `article_id` through its map; the
    // others are joined to the claim.
    let row_map = by_article(c, rows)?;
    let col_map = by_article(c, cols)?;
    let (rj, rl, mut params) = match row_map {
        Some(_) => (String::new(), "cl.article_id".to_string(), Vec::new()),
        None => lateral(rows, "r"),
    };
    let (cj, cl, more) = match col_map {
        Some(_) => (String::new(), "cl.article_id".to_string(), Vec::new()),
        None => lateral(cols, "c"),
    };
    params.extend(more);
    // Read in the claim table's own order (no sort of a million rows, one
    // lookup of each claim instead of one per axis).
    let sql = format!("SELECT cl.rowid, {rl}, {cl}, cl.stance, cl.verdict FROM claim cl{rj}{cj}");
    let mut s = c.prepare(&sql).map_err(sql_err)?;
    let mut q = s
        .query(rusqlite::params_from_iter(params.iter()))
        .map_err(sql_err)?;
    // Labels interned to indexes as they come; sorted at the end.
    let mut row_ix: HashMap<String, usize> = HashMap::new();
    let mut col_ix: HashMap<String, usize> = HashMap::new();
    let mut cells: HashMap<(usize, usize), [u32; 9]> = HashMap::new();
    let mut row_totals: Vec<u32> = Vec::new();
    let mut col_totals: Vec<u32> = Vec::new();
    let mut total = 0u32;
    let mut current: Option<i64> = None;
    // Whether the current claim is in the matrix yet (a claim in no set is not).
    let mut counted = false;
    // Each article's label indexes, interned up front.
    let intern_all = |pairs: Vec<(String, String)>,
                      ix: &mut HashMap<String, usize>,
                      totals: &mut Vec<u32>|
     -> HashMap<String, Vec<usize>> {
        let mut out: HashMap<String, Vec<usize>> = HashMap::new();
        for (article, label) in pairs {
            let next = ix.len();
            let i = *ix.entry(label).or_insert_with(|| {
                totals.push(0);
                next
            });
            out.entry(article).or_default().push(i);
        }
        out
    };
    let row_labels_of = row_map.map(|p| intern_all(p, &mut row_ix, &mut row_totals));
    let col_labels_of = col_map.map(|p| intern_all(p, &mut col_ix, &mut col_totals));
    let (mut seen_rows, mut seen_cols): (Vec<usize>, Vec<usize>) = (Vec::new(), Vec::new());
    let flush = |seen_rows: &mut Vec<usize>,
                 seen_cols: &mut Vec<usize>,
                 row_totals: &mut Vec<u32>,
                 col_totals: &mut Vec<u32>| {
        seen_rows.sort_unstable();
        seen_rows.dedup();
        seen_cols.sort_unstable();
        seen_cols.dedup();
        for &r in seen_rows.iter() {
            row_totals[r] += 1;
        }
        for &c in seen_cols.iter() {
            col_totals[c] += 1;
        }
        seen_rows.clear();
        seen_cols.clear();
    };
    while let Some(r) = q.next().map_err(sql_err)? {
        let claim: i64 = r.get(0).map_err(sql_err)?;
        if current != Some(claim) {
            if current.is_some() {
                flush(
                    &mut seen_rows,
                    &mut seen_cols,
                    &mut row_totals,
                    &mut col_totals,
                );
            }
            current = Some(claim);
            counted = false;
        }
        // Labels are read in place; a new one is copied once.
        let intern = |map: &mut HashMap<String, usize>, totals: &mut Vec<u32>, label: &str| {
            if let Some(&i) = map.get(label) {
                return i;
            }
            totals.push(0);
            let next = map.len();
            map.insert(label.to_string(), next);
            next
        };
        let text = |i: usize| -> Result<&str> {
            match r.get_ref(i).map_err(sql_err)? {
                rusqlite::types::ValueRef::Text(t) => std::str::from_utf8(t)
                    .map_err(|e| dossier_model::Error::internal(e.to_string())),
                rusqlite::types::ValueRef::Null => Ok(""),
                _ => Err(dossier_model::Error::internal("a matrix label is not text")),
            }
        };
        let one_r;
        let ris: &[usize] = match &row_labels_of {
            Some(m) => m.get(text(1)?).map_or(&[], Vec::as_slice),
            None => {
                one_r = [intern(&mut row_ix, &mut row_totals, text(1)?)];
                &one_r
            }
        };
        let one_c;
        let cis: &[usize] = match &col_labels_of {
            Some(m) => m.get(text(2)?).map_or(&[], Vec::as_slice),
            None => {
                one_c = [intern(&mut col_ix, &mut col_totals, text(2)?)];
                &one_c
            }
        };
        if ris.is_empty() || cis.is_empty() {
            // In no set: the claim is in no row or column of a set axis.
            continue;
        }
        if !counted {
            total += 1;
            counted = true;
        }
        // Slots 1-4: stance, 5-8: verdict, in their enums' order (an unknown name, which
        // the tables' CHECKs rule out, counts as the last).
        let stance = text(3)?;
        let verdict = text(4)?;
        let slot = |name: &str, names: &[&str]| {
            names
                .iter()
                .position(|n| *n == name)
                .unwrap_or(names.len() - 1)
        };
        let (s_slot, v_slot) = (
            1 + slot(stance, &Stance::ALL.map(Stance::as_str)),
            5 + slot(verdict, &Verdict::ALL.map(Verdict::as_str)),
        );
        for &ri in ris {
            seen_rows.push(ri);
            for &ci in cis {
                let n = cells.entry((ri, ci)).or_insert([0; 9]);
                n[0] += 1;
                n[s_slot] += 1;
                n[v_slot] += 1;
            }
        }
        seen_cols.extend_from_slice(cis);
    }
    if current.is_some() {
        flush(
            &mut seen_rows,
            &mut seen_cols,
            &mut row_totals,
            &mut col_totals,
        );
    }
    // Sorted labels, and where each interned index went. Labels no claim
    // carries (an article-level label interned up front: a language or set
    // whose articles have no claims) are left out.
    let sorted = |map: HashMap<String, usize>, totals: &[u32]| -> (Vec<String>, Vec<u32>) {
        let mut v: Vec<(String, usize)> = map.into_iter().filter(|(_, i)| totals[*i] > 0).collect();
        v.sort_by(|a, b| (a.0.is_empty(), &a.0).cmp(&(b.0.is_empty(), &b.0)));
        let mut place = vec![u32::MAX; totals.len()];
        for (i, (_, old)) in v.iter().enumerate() {
            place[*old] = i as u32;
        }
        (v.into_iter().map(|x| x.0).collect(), place)
    };
    let (row_labels, row_place) = sorted(row_ix, &row_totals);
    let (col_labels, col_place) = sorted(col_ix, &col_totals);
    let reorder = |totals: Vec<u32>, place: &[u32], len: usize| {
        let mut out = vec![0u32; len];
        for (old, n) in totals.into_iter().enumerate() {
            if place[old] != u32::MAX {
                out[place[old] as usize] = n;
            }
        }
        out
    };
    let mut cells: Vec<MatrixCell> = cells
        .into_iter()
        .map(|((r, col), n)| MatrixCell {
            row: row_place[r],
            col: col_place[col],
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
    Ok(Matrix {
        rows: rows.clone(),
        cols: cols.clone(),
        row_totals: reorder(row_totals, &row_place, row_labels.len()),
        col_totals: reorder(col_totals, &col_place, col_labels.len()),
        row_labels,
        col_labels,
        cells,
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
    let (rj, rl, mut params) = lateral(rows, "r");
    let (cj, cl, more) = lateral(cols, "c");
    params.extend(more);
    params.push(Value::Text(row_label.to_string()));
    params.push(Value::Text(col_label.to_string()));
    params.push(Value::Integer(limit as i64));
    let sql = format!(
        "SELECT DISTINCT cl.id FROM claim cl{rj}{cj} WHERE {rl} = ? AND {cl} = ? ORDER BY cl.id LIMIT ?"
    );
    let mut s = c.prepare(&sql).map_err(sql_err)?;
    let rows = s
        .query_map(rusqlite::params_from_iter(params.iter()), |r| r.get(0))
        .map_err(sql_err)?;
    rows.collect::<rusqlite::Result<_>>().map_err(sql_err)
}
