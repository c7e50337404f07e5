//! Notes.

use dossier::model::{Error, Result};
use dossier::Notebook;

use super::Reply;
use crate::args::NoteCmd;
use crate::print;

pub fn run(nb: &Notebook, cmd: NoteCmd) -> Result<Reply> {
    match cmd {
        NoteCmd::Add {
            title,
            body,
            body_file,
            article,
        } => {
            let body =
                match (body, body_file) {
                    (Some(b), None) => b,
                    (None, Some(f)) => std::fs::read_to_string(&f)
                        .map_err(|e| Error::io(format!("cannot read '{}'", f.display()), e))?,
                    _ => return Err(Error::invalid(
                        "give the note's body with --body TEXT or --body-file FILE (one of them)",
                    )),
                };
            Ok(Reply::value(
                nb.add_note(&title, &body, article.as_deref())?,
                print::note_line,
            ))
        }
        NoteCmd::Delete { id } => Ok(Reply::value(nb.delete_note(&id)?, |n| {
            format!("deleted note {}", n.id)
        })),
    }
}

pub fn list(nb: &Notebook, article: Option<&str>) -> Result<Reply> {
    Ok(Reply::list(nb.notes(article)?, print::note_line))
}

/// `notes --linking-to NOTE`: the notes that link to a note.
pub fn backlinks(nb: &Notebook, id: &str) -> Result<Reply> {
    nb.note(id)?;
    Ok(Reply::list(nb.note_backlinks(id)?, print::note_line))
}

/// `open URL`: what a link back names, in its context.
pub fn open_link(nb: &Notebook, url: &str) -> Result<Reply> {
    use dossier::model::LinkKind;
    let target = nb.resolve_link(url)?;
    let (value, text) = match target.kind {
        LinkKind::Claim => {
            let claim = nb.claim(&target.id)?;
            let article = nb.article(&claim.article_id)?;
            let text = format!(
                "{}\n…{}[{}]{}…\n{} · {} · {}",
                article.title,
                claim.prefix,
                claim.exact,
                claim.suffix,
                if claim.codes.is_empty() {
                    "—".to_string()
                } else {
                    claim.codes.join(", ")
                },
                claim.stance.as_str(),
                claim.verdict.as_str()
            );
            (
                serde_json::json!({ "target": target, "claim": claim, "article": { "id": article.id, "title": article.title } }),
                text,
            )
        }
        LinkKind::Note => {
            let note = nb.note(&target.id)?;
            let text = format!("{}\n\n{}", note.title, note.body);
            (serde_json::json!({ "target": target, "note": note }), text)
        }
        LinkKind::Article => {
            let a = nb.article(&target.id)?;
            let text = format!(
                "{} ({}, {} characters)",
                a.title,
                a.language,
                a.text.chars().count()
            );
            (
                serde_json::json!({ "target": target, "article": { "id": a.id, "title": a.title, "language": a.language } }),
                text,
            )
        }
    };
    Ok(Reply::value(value, move |_| text.clone()))
}
