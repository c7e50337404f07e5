//! The notebook as a whole: undo, trash, agreement, merge, search, export,
//! checks, backups, the index.

use std::path::{Path, PathBuf};

use dossier::model::{Error, ExportFormat, ExportScope, Kind, Result, SearchRequest};
use dossier::Notebook;

use super::Reply;
use crate::print;

pub fn undo_redo(nb: &Notebook, undo: bool) -> Result<Reply> {
    let done = if undo { nb.undo()? } else { nb.redo()? };
    let verb = if undo { "undid" } else { "redid" };
    Ok(match done {
        Some(d) => Reply::value(d, move |d| {
            format!("{verb} the {} of {} {}", d.action, d.entity, d.entity_id)
        }),
        None => Reply::value(serde_json::Value::Null, move |_| {
            format!("nothing to {}", if undo { "undo" } else { "redo" })
        }),
    })
}

pub fn trash(nb: &Notebook, restore: Option<String>) -> Result<Reply> {
    Ok(match restore {
        Some(id) => Reply::value(nb.restore_from_trash(&id)?, |i| {
            format!("restored {} {}: {}", i.entity, i.entity_id, i.title)
        }),
        None => Reply::list(nb.trash()?, |i| {
            format!(
                "{}  {} {}  {}  (deleted {})",
                i.id, i.entity, i.entity_id, i.title, i.deleted_at
            )
        }),
    })
}

pub fn agreement(
    nb: &Notebook,
    analysts: &[String],
    article: Option<&str>,
    code: Option<&str>,
    disagreements: bool,
) -> Result<Reply> {
    let [a, b] = analysts else {
        return Err(Error::invalid("--analysts takes two names: A,B"));
    };
    if let (true, Some(article)) = (disagreements, article) {
        return Ok(Reply::list(nb.disagreements(a, b, article)?, |d| {
            format!(
                "only {} (not {}): {}  [{}] \"{}\"",
                d.only_by,
                d.missing_for,
                d.claim.id,
                d.claim.codes.join(", "),
                d.claim.exact
            )
        }));
    }
    Ok(Reply::value(
        nb.agreement(a, b, article, code)?,
        print::agreement_text,
    ))
}

pub fn merge(nb: &Notebook, other: PathBuf) -> Result<Reply> {
    let summary = nb.merge_notebook(&other)?;
    let text = summary.clone();
    Ok(Reply::value(
        serde_json::json!({ "merged": other, "summary": summary }),
        move |_| text.clone(),
    ))
}

pub struct Search {
    pub query: String,
    pub kind: Option<Kind>,
    pub code: Option<String>,
    pub lang: Option<String>,
    pub limit: u32,
    pub offset: u32,
    pub all_words: bool,
    /// Expand glossary terms.
    pub expand: bool,
    /// `query` names a saved search.
    pub saved: bool,
    /// Save the query under this name.
    pub save: Option<String>,
}

pub fn search(nb: &Notebook, s: Search) -> Result<Reply> {
    let query = if s.saved {
        nb.saved_searches()?
            .into_iter()
            .find(|x| x.name.to_lowercase() == s.query.trim().to_lowercase())
            .map(|x| x.query)
            .ok_or_else(|| {
                dossier::model::Error::new(
                    dossier::model::ErrorCode::NotFound,
                    format!(
                        "there is no saved search '{}' (searches lists them)",
                        s.query
                    ),
                )
            })?
    } else {
        s.query
    };
    let results = nb.search(&SearchRequest {
        query: query.clone(),
        kind: s.kind,
        code: s.code,
        language: s.lang,
        limit: s.limit,
        offset: s.offset,
        skip_snippets: false,
        all_words: s.all_words,
        expand: s.expand,
        synonyms: Vec::new(),
    })?;
    // Saved only once it ran: a query with an unknown attribute or set is not kept.
    if let Some(name) = s.save {
        nb.save_search(&name, &query)?;
    }
    Ok(Reply::value(results, print::search_text))
}

pub fn export(
    nb: &Notebook,
    format: ExportFormat,
    path: &Path,
    scope: ExportScope,
    force: bool,
) -> Result<Reply> {
    let files: Vec<String> = nb
        .export(format, path, &scope, force)?
        .iter()
        .map(|f| f.display().to_string())
        .collect();
    let text = format!("wrote {} file(s) to {}", files.len(), path.display());
    Ok(Reply::value(
        serde_json::json!({ "files": files }),
        move |_| text.clone(),
    ))
}

pub fn check(nb: &Notebook, repair: bool) -> Result<Reply> {
    if repair {
        let report = nb.repair()?;
        let failed = !report.check.ok;
        return Ok(Reply::value(report, |r| {
            let mut text = r.actions.join("\n");
            text.push('\n');
            text.push_str(&print::check_text(&r.check));
            text
        })
        .failed_if(failed));
    }
    let report = nb.check()?;
    let failed = !report.ok;
    Ok(Reply::value(report, print::check_text).failed_if(failed))
}

pub fn backups(nb: &Notebook, now: bool, every_hours: u64, keep: usize) -> Result<Reply> {
    if now {
        nb.rotate_backups(std::time::Duration::from_secs(every_hours * 3600), keep)?;
    }
    let list: Vec<String> = nb
        .backups()?
        .iter()
        .map(|p| p.display().to_string())
        .collect();
    Ok(Reply::list(list, |p| p.clone()))
}

pub fn reindex(nb: &Notebook, json: bool) -> Result<Reply> {
    let n = nb.reindex(&mut |done, total| {
        if !json && total > 0 && (done == total || done % 1000 == 0) {
            eprintln!("indexed {done}/{total}");
        }
    })?;
    Ok(Reply::value(
        serde_json::json!({ "indexed": n }),
        move |_| format!("reindexed {n} documents"),
    ))
}

pub fn info(nb: &Notebook) -> Result<Reply> {
    Ok(Reply::value(nb.info()?, |i| {
        format!(
            "{}\n{} articles, {} claims, {} notes, {} codes",
            i.path, i.articles, i.claims, i.notes, i.codes
        )
    }))
}

/// `glossary [add|remove]`.
pub fn glossary(nb: &Notebook, cmd: Option<crate::args::GlossaryCmd>) -> Result<Reply> {
    use crate::args::GlossaryCmd;
    use dossier::model::{GlossaryConcept, GlossaryTerm};
    fn line(g: &GlossaryConcept) -> String {
        g.terms
            .iter()
            .map(|t| format!("{}:{}", t.language, t.term))
            .collect::<Vec<_>>()
            .join(" ↔ ")
    }
    match cmd {
        None => Ok(Reply::list(nb.glossary()?, line)),
        Some(GlossaryCmd::Add { terms }) => {
            let terms: Vec<GlossaryTerm> = terms
                .iter()
                .map(|t| GlossaryTerm::parse(t))
                .collect::<Result<_>>()?;
            Ok(Reply::value(nb.add_glossary_terms(&terms)?, line))
        }
        Some(GlossaryCmd::Remove { term }) => {
            nb.remove_glossary_term(&GlossaryTerm::parse(&term)?)?;
            let text = format!("removed {term}");
            Ok(Reply::value(
                serde_json::json!({ "removed": term }),
                move |_| text.clone(),
            ))
        }
    }
}
