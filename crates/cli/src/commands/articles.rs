//! Articles: import, versions, show, language, suggestions.

use std::path::PathBuf;
use std::sync::atomic::AtomicBool;

use dossier::model::{Error, ImportStatus, Result};
use dossier::Notebook;

use super::{analyst_default, Reply};
use crate::print;

pub fn import(
    nb: &Notebook,
    paths: Vec<PathBuf>,
    replaces: Option<String>,
    json: bool,
) -> Result<Reply> {
    if let Some(old) = replaces {
        let [path] = paths.as_slice() else {
            return Err(Error::invalid("--replaces takes exactly one file"));
        };
        return Ok(Reply::value(
            nb.import_new_version(path, &old)?,
            print::carry_text,
        ));
    }
    let cancel = AtomicBool::new(false);
    let outcomes = nb.import_paths(&paths, &cancel, &mut |p| {
        if !json && !p.current.is_empty() {
            eprintln!(
                "[{}/{}] {}",
                p.done,
                p.total,
                print::terminal_safe(&p.current)
            );
        }
    })?;
    let failed = outcomes.iter().any(|o| o.status == ImportStatus::Failed);
    Ok(Reply::list(outcomes, print::import_line).failed_if(failed))
}

pub fn versions(nb: &Notebook, id: &str) -> Result<Reply> {
    Ok(Reply::value(nb.article_versions(id)?, |c| c.join(" → ")))
}

pub fn carry(nb: &Notebook, from: &str, to: &str) -> Result<Reply> {
    Ok(Reply::value(nb.carry_claims(from, to)?, print::carry_text))
}

pub fn list(nb: &Notebook) -> Result<Reply> {
    Ok(Reply::list(nb.articles()?, print::article_line))
}

pub fn show(nb: &Notebook, id: &str) -> Result<Reply> {
    let shown = print::Shown::new(nb.article(id)?, nb.claims(Some(id), None)?, nb.blocks(id)?);
    Ok(Reply::value(shown, print::show_text))
}

pub fn language(nb: &Notebook, id: &str, lang: &str) -> Result<Reply> {
    let a = nb.set_article_language(id, lang)?;
    let text = format!("{} is now marked as '{}'", a.title, a.language);
    Ok(Reply::value(
        serde_json::json!({"id": a.id, "language": a.language}),
        move |_| text.clone(),
    ))
}

pub fn delete(nb: &Notebook, id: &str) -> Result<Reply> {
    nb.delete_article(id)?;
    let text = format!("deleted article {id} (to the trash: dossier trash --restore {id})");
    Ok(Reply::value(
        serde_json::json!({"id": id, "deleted": true}),
        move |_| text.clone(),
    ))
}

pub fn suggest(
    nb: &Notebook,
    article: &str,
    accept: Option<usize>,
    dismiss: Option<usize>,
) -> Result<Reply> {
    let suggestions = nb.suggest(article)?;
    let pick = |n: usize| {
        suggestions.get(n.wrapping_sub(1)).cloned().ok_or_else(|| {
            Error::invalid(format!(
                "there is no suggestion {n} (there are {})",
                suggestions.len()
            ))
        })
    };
    if let Some(n) = accept {
        let claim = nb.accept_suggestion(article, &pick(n)?, analyst_default().as_deref())?;
        return Ok(Reply::value(claim, print::claim_line));
    }
    if let Some(n) = dismiss {
        let s = pick(n)?;
        nb.dismiss_suggestion(article, &s)?;
        let text = format!("dismissed: \"{}\"", s.exact);
        return Ok(Reply::value(
            serde_json::json!({ "dismissed": s }),
            move |_| text.clone(),
        ));
    }
    Ok(Reply::list(suggestions, print::suggestion_line))
}
