//! Notes and their `[[…]]` links.

use dossier_model::links::find_links;
use dossier_model::{Error, LinkKind, Note, NoteLink, Result};
use dossier_store::{articles, claims, new_id, notes, now, Connection};

use crate::Notebook;

/// Resolves the links of a body. `[[article:ID]]`/`[[claim:ID]]`/`[[note:ID]]`
/// by id (a note also by title); a bare target as an article, claim or note
/// id, else an article's title, else a note's title (both case-insensitive).
/// Unresolvable links stay in the text but are not recorded.
pub(crate) fn resolve_links(c: &Connection, body: &str) -> Result<Vec<NoteLink>> {
    let mut out: Vec<NoteLink> = Vec::new();
    for raw in find_links(body) {
        let article = |id: &str| articles::get(c, id).map(|a| a.map(|a| a.id));
        let claim = |id: &str| claims::get(c, id).map(|cl| cl.map(|cl| cl.id));
        let note = |id: &str| notes::get(c, id).map(|n| n.map(|n| n.id));
        let resolved = match raw.kind.as_deref() {
            Some("article") => article(&raw.target)?.map(|id| (LinkKind::Article, id)),
            Some("claim") => claim(&raw.target)?.map(|id| (LinkKind::Claim, id)),
            Some("note") => match note(&raw.target)? {
                Some(id) => Some((LinkKind::Note, id)),
                None => notes::id_by_title(c, &raw.target)?.map(|id| (LinkKind::Note, id)),
            },
            // A bare target: an id of an article, claim or note, else an
            // article's title, else a note's title.
            _ => match article(&raw.target)? {
                Some(id) => Some((LinkKind::Article, id)),
                None => match claim(&raw.target)? {
                    Some(id) => Some((LinkKind::Claim, id)),
                    None => match note(&raw.target)? {
                        Some(id) => Some((LinkKind::Note, id)),
                        None => match articles::id_by_title(c, &raw.target)? {
                            Some(id) => Some((LinkKind::Article, id)),
                            None => {
                                notes::id_by_title(c, &raw.target)?.map(|id| (LinkKind::Note, id))
                            }
                        },
                    },
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

/// Resolves again the links of the notes that name `title` (a note by that
/// title appeared, came back or was renamed): `[[Title]]` written before the
/// note existed now leads to it.
pub(crate) fn relink_title(c: &Connection, title: &str, except: &str) -> Result<()> {
    for id in notes::ids_mentioning(c, title)? {
        if id == except {
            continue;
        }
        if let Some(mut n) = notes::get(c, &id)? {
            let links = resolve_links(c, &n.body)?;
            if links != n.links {
                n.links = links;
                notes::update(c, &n)?;
            }
        }
    }
    Ok(())
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
            relink_title(c, &note.title, &note.id)?;
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
            let renamed = note.title != title;
            note.title = title;
            note.body = body.to_string();
            note.article_id = article_id.map(str::to_string);
            note.links = resolve_links(c, body)?;
            note.updated_at = now();
            notes::update(c, &note)?;
            if renamed {
                relink_title(c, &note.title, id)?;
            }
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

    /// Notes that link to this note.
    pub fn note_backlinks(&self, id: &str) -> Result<Vec<Note>> {
        self.core.store.read(|c| notes::linking_to_note(c, id))
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

impl Notebook {
    /// Where a link back (`dossier://claim/ID`, `…/note/ID`, `…/article/ID`)
    /// leads in this notebook; `not_found` when it names nothing here (it may
    /// belong to another notebook).
    pub fn resolve_link(&self, url: &str) -> Result<dossier_model::LinkTarget> {
        let (kind, id) = dossier_model::links::parse_entity_link(url)?;
        let target = self.core.store.read(|c| {
            Ok(match kind {
                LinkKind::Claim => claims::get(c, &id)?.map(|cl| dossier_model::LinkTarget {
                    kind,
                    id: cl.id,
                    article_id: Some(cl.article_id),
                    start: Some(cl.start),
                    end: Some(cl.end),
                    title: cl.exact,
                }),
                LinkKind::Note => notes::get(c, &id)?.map(|n| dossier_model::LinkTarget {
                    kind,
                    id: n.id,
                    article_id: n.article_id,
                    start: None,
                    end: None,
                    title: n.title,
                }),
                LinkKind::Article => articles::get(c, &id)?.map(|a| dossier_model::LinkTarget {
                    kind,
                    article_id: Some(a.id.clone()),
                    id: a.id,
                    start: None,
                    end: None,
                    title: a.title,
                }),
            })
        })?;
        target.ok_or_else(|| {
            Error::new(
                dossier_model::ErrorCode::NotFound,
                format!(
                    "this notebook has no {} {id} (the link may belong to another notebook)",
                    kind.as_str()
                ),
            )
        })
    }
}
