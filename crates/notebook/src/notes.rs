//! Notes and their `[[…]]` links.

use dossier_model::links::find_links;
use dossier_model::{Error, LinkKind, Note, NoteLink, Result};
use dossier_store::{articles, claims, new_id, notes, now, Connection};

use crate::Notebook;

/// Resolves the links of a body. `[[article:ID]]`/`[[claim:ID]]` by id; a bare
/// target as an article id, a claim id, or an article title (case-insensitive).
/// Unresolvable links stay in the text but are not recorded.
pub(crate) fn resolve_links(c: &Connection, body: &str) -> Result<Vec<NoteLink>> {
    let mut out: Vec<NoteLink> = Vec::new();
    for raw in find_links(body) {
        let article = |id: &str| articles::get(c, id).map(|a| a.map(|a| a.id));
        let claim = |id: &str| claims::get(c, id).map(|cl| cl.map(|cl| cl.id));
        let resolved = match raw.kind.as_deref() {
            Some("article") => article(&raw.target)?.map(|id| (LinkKind::Article, id)),
            Some("claim") => claim(&raw.target)?.map(|id| (LinkKind::Claim, id)),
            _ => match article(&raw.target)? {
                Some(id) => Some((LinkKind::Article, id)),
                None => match claim(&raw.target)? {
                    Some(id) => Some((LinkKind::Claim, id)),
                    None => {
                        articles::id_by_title(c, &raw.target)?.map(|id| (LinkKind::Article, id))
                    }
                },
            },
        };
        if let Some((kind, target_id)) = resolved {
            if !out
                .iter()
                .any(|l| l.kind == kind && l.target_id == target_id)
            {
                out.push(NoteLink {
                    kind,
                    target_id,
                    label: raw.label,
                });
            }
        }
    }
    Ok(out)
}

fn check_title(title: &str) -> Result<String> {
    let t = title.trim();
    if t.is_empty() {
        return Err(Error::invalid("a note needs a title"));
    }
    Ok(t.to_string())
}

impl Notebook {
    pub fn add_note(&self, title: &str, body: &str, article_id: Option<&str>) -> Result<Note> {
        let title = check_title(title)?;
        let note = self.logged_new(dossier_model::EntityKind::Note, |c| {
            if let Some(a) = article_id {
                articles::get(c, a)?.ok_or_else(|| Error::not_found("article", a))?;
            }
            let at = now();
            let note = Note {
                id: new_id(),
                title,
                body: body.to_string(),
                article_id: article_id.map(str::to_string),
                links: resolve_links(c, body)?,
                created_at: at.clone(),
                updated_at: at,
            };
            notes::insert(c, &note)?;
            let note = notes::get(c, &note.id)?
                .ok_or_else(|| Error::internal("note vanished after insert"))?;
            let id = note.id.clone();
            Ok((note, id))
        })?;
        self.nudge();
        Ok(note)
    }

    pub fn update_note(
        &self,
        id: &str,
        title: &str,
        body: &str,
        article_id: Option<&str>,
    ) -> Result<Note> {
        let title = check_title(title)?;
        let note = self.logged(dossier_model::EntityKind::Note, id, "edit", |c| {
            let mut note = notes::get(c, id)?.ok_or_else(|| Error::not_found("note", id))?;
            if let Some(a) = article_id {
                articles::get(c, a)?.ok_or_else(|| Error::not_found("article", a))?;
            }
            note.title = title;
            note.body = body.to_string();
            note.article_id = article_id.map(str::to_string);
            note.links = resolve_links(c, body)?;
            note.updated_at = now();
            notes::update(c, &note)?;
            notes::get(c, id)?.ok_or_else(|| Error::internal("note vanished after update"))
        })?;
        self.nudge();
        Ok(note)
    }

    pub fn note(&self, id: &str) -> Result<Note> {
        self.core
            .store
            .read(|c| notes::get(c, id))?
            .ok_or_else(|| Error::not_found("note", id))
    }

    /// All notes, or those attached to / linking to an article (or its claims).
    pub fn notes(&self, article_id: Option<&str>) -> Result<Vec<Note>> {
        self.core.store.read(|c| notes::list(c, article_id))
    }

    pub fn delete_note(&self, id: &str) -> Result<Note> {
        let note = self.logged(dossier_model::EntityKind::Note, id, "delete", |c| {
            let note = notes::get(c, id)?.ok_or_else(|| Error::not_found("note", id))?;
            notes::delete(c, id)?;
            Ok(note)
        })?;
        self.nudge();
        Ok(note)
    }
}
