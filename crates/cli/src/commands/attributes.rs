//! Article attributes, sets of articles, saved searches.

use dossier::model::{ArticleSet, AttributeDef, AttributeValue, Result, SavedSearch};
use dossier::Notebook;

use super::Reply;
use crate::args::{AttributeCmd, SetCmd};

fn def_line(d: &AttributeDef) -> String {
    let choices = if d.choices.is_empty() {
        String::new()
    } else {
        format!(" [{}]", d.choices.join(", "))
    };
    format!(
        "{}  {}{}  ({} articles)",
        d.name, d.kind, choices, d.used_by
    )
}

fn value_line(v: &AttributeValue) -> String {
    format!("{} = {}", v.name, v.value)
}

/// `attributes [ARTICLE]`.
pub fn list(nb: &Notebook, article: Option<&str>) -> Result<Reply> {
    Ok(match article {
        None => Reply::list(nb.attributes()?, def_line),
        Some(id) => Reply::list(nb.article_attributes(id)?, value_line),
    })
}

pub fn run(nb: &Notebook, cmd: AttributeCmd) -> Result<Reply> {
    Ok(match cmd {
        AttributeCmd::Define {
            name,
            kind,
            choices,
        } => Reply::value(nb.define_attribute(&name, kind, &choices)?, def_line),
        AttributeCmd::Set {
            article,
            name,
            value,
        } => Reply::list(
            nb.set_article_attribute(&article, &name, Some(&value))?,
            value_line,
        ),
        AttributeCmd::Clear { article, name } => {
            Reply::list(nb.set_article_attribute(&article, &name, None)?, value_line)
        }
        AttributeCmd::Delete { name } => {
            nb.delete_attribute(&name)?;
            let text = format!("deleted attribute {}", name);
            Reply::value(serde_json::json!({ "deleted": name }), move |_| {
                text.clone()
            })
        }
    })
}

fn set_line(s: &ArticleSet) -> String {
    if s.description.is_empty() {
        format!("{}  ({} articles)", s.name, s.size)
    } else {
        format!("{}  ({} articles)  {}", s.name, s.size, s.description)
    }
}

fn saved_line(s: &SavedSearch) -> String {
    format!("{}  {}", s.name, s.query)
}

pub fn set(nb: &Notebook, cmd: SetCmd) -> Result<Reply> {
    Ok(match cmd {
        SetCmd::Add { name, description } => {
            Reply::value(nb.create_set(&name, &description)?, set_line)
        }
        SetCmd::Put { name, articles } => {
            Reply::value(nb.put_in_set(&name, &articles, false)?, set_line)
        }
        SetCmd::Remove { name, articles } => {
            Reply::value(nb.put_in_set(&name, &articles, true)?, set_line)
        }
        SetCmd::Memo { name, text } => Reply::value(nb.set_set_memo(&name, &text)?, set_line),
        SetCmd::Delete { name } => {
            nb.delete_set(&name)?;
            let text = format!("deleted set {name}");
            Reply::value(serde_json::json!({ "deleted": name }), move |_| {
                text.clone()
            })
        }
    })
}

/// `sets [--set NAME | --article ID]`.
pub fn sets(nb: &Notebook, set: Option<&str>, article: Option<&str>) -> Result<Reply> {
    Ok(match (set, article) {
        (Some(name), _) => Reply::list(nb.set_members(name)?, String::clone),
        (None, Some(id)) => Reply::list(nb.article_sets(id)?, String::clone),
        (None, None) => Reply::list(nb.sets()?, set_line),
    })
}

/// `searches [--delete NAME]`.
pub fn searches(nb: &Notebook, delete: Option<&str>) -> Result<Reply> {
    if let Some(name) = delete {
        nb.delete_saved_search(name)?;
    }
    Ok(Reply::list(nb.saved_searches()?, saved_line))
}

/// `matrix --rows A --cols B [--measure M] [--cell ROW COL]`.
pub fn matrix(
    nb: &Notebook,
    rows: &str,
    cols: &str,
    measure: &str,
    cell: Option<Vec<String>>,
) -> Result<Reply> {
    use dossier::model::matrix::Axis;
    let (rows, cols) = (Axis::parse(rows)?, Axis::parse(cols)?);
    if let Some(cell) = cell {
        return Ok(Reply::list(
            nb.matrix_cell(&rows, &cols, &cell[0], &cell[1])?,
            crate::print::claim_line,
        ));
    }
    let m = nb.matrix(&rows, &cols)?;
    let measure = measure.to_string();
    Ok(Reply::value(m, move |m| matrix_text(m, &measure)))
}

/// A plain-text table: one line per row, a column per column label.
fn matrix_text(m: &dossier::model::matrix::Matrix, measure: &str) -> String {
    let label = |l: &String| {
        if l.is_empty() {
            "—".to_string()
        } else {
            l.clone()
        }
    };
    let mut grid = vec![vec![String::new(); m.col_labels.len()]; m.row_labels.len()];
    for c in &m.cells {
        let s = &c.stance;
        let v = &c.verdict;
        grid[c.row as usize][c.col as usize] = match measure {
            "stance" => format!(
                "{}+ {}- {}= {}?",
                s.supports, s.contests, s.neutral, s.unclear
            ),
            "verdict" => format!(
                "{}✓ {}~ {}✗ {}·",
                v.supported, v.disputed, v.refuted, v.unverified
            ),
            _ => c.count.to_string(),
        };
    }
    let head: Vec<String> = std::iter::once(format!("{} \\ {}", m.rows, m.cols))
        .chain(m.col_labels.iter().map(label))
        .chain(std::iter::once("total".to_string()))
        .collect();
    let mut lines = vec![head];
    for (i, r) in m.row_labels.iter().enumerate() {
        let mut line = vec![label(r)];
        line.extend(grid[i].iter().cloned());
        line.push(m.row_totals[i].to_string());
        lines.push(line);
    }
    let mut foot = vec!["total".to_string()];
    foot.extend(m.col_totals.iter().map(u32::to_string));
    foot.push(m.total.to_string());
    lines.push(foot);
    let widths: Vec<usize> = (0..lines[0].len())
        .map(|j| {
            lines
                .iter()
                .map(|l| l[j].chars().count())
                .max()
                .unwrap_or(0)
        })
        .collect();
    lines
        .iter()
        .map(|l| {
            l.iter()
                .enumerate()
                .map(|(j, cell)| format!("{cell:<w$}", w = widths[j]))
                .collect::<Vec<_>>()
                .join("  ")
                .trim_end()
                .to_string()
        })
        .collect::<Vec<_>>()
        .join("\n")
}
