//! The `note` table and its resolved `[[…]]` links.

use dossier_model::{LinkKind, Note, NoteLink, Result};
use rusqlite::{params, Connection, OptionalExtension, Row};

use crate::outbox::{self, Entity, Op};
use crate::sql_err;

const COLUMNS: &str = "id, title, body, article_id, created_at, updated_at";

fn from_row(r: &Row<'_>) -> rusqlite::Result<Note> {
    Ok(Note {
        id: r.get(0)?,
        title: r.get(1)?,
        body: r.get(2)?,
        article_id: r.get(3)?,
        created_at: r.get(4)?,
        updated_at: r.get(5)?,
        links: Vec::new(),
    })
}

pub fn insert(conn: &Connection, n: &Note) -> Result<()> {
    conn.execute(
        &format!("INSERT INTO note ({COLUMNS}) VALUES (?1, ?2, ?3, ?4, ?5, ?6)"),
        params![
            n.id,
            n.title,
            n.body,
            n.article_id,
            n.created_at,
            n.updated_at
        ],
    )
    .map_err(sql_err)?;
    set_links(conn, &n.id, &n.links)?;
    outbox::record(conn, Entity::Note, &n.id, Op::Insert)
}

pub fn update(conn: &Connection, n: &Note) -> Result<bool> {
    let changed = conn
        .execute(
            "UPDATE note SET title = ?1, body = ?2, article_id = ?3, updated_at = ?4 WHERE id = ?5",
            params![n.title, n.body, n.article_id, n.updated_at, n.id],
        )
        .map_err(sql_err)?;
    if changed == 0 {
        return Ok(false);
    }
    set_links(conn, &n.id, &n.links)?;
    outbox::record(conn, Entity::Note, &n.id, Op::Update)?;
    Ok(true)
}

fn set_links(conn: &Connection, note_id: &str, links: &[NoteLink]) -> Result<()> {
    conn.execute("DELETE FROM note_link WHERE note_id = ?1", [note_id])
        .map_err(sql_err)?;
    for l in links {
        conn.execute(
            "INSERT OR IGNORE INTO note_link (note_id, target_kind, target_id, label) VALUES (?1, ?2, ?3, ?4)",
            params![note_id, l.kind.as_str(), l.target_id, l.label],
        )
        .map_err(sql_err)?;
    }
    Ok(())
}

fn load_links(conn: &Connection, note: &mut Note) -> Result<()> {
    let mut stmt = conn
        .prepare_cached(
            "SELECT target_kind, target_id, label FROM note_link WHERE note_id = ?1 ORDER BY label",
        )
        .map_err(sql_err)?;
    let rows = stmt
        .query_map([&note.id], |r| {
            let kind: String = r.get(0)?;
            Ok(NoteLink {
                kind: LinkKind::parse(&kind).unwrap_or(LinkKind::Article),
                target_id: r.get(1)?,
                label: r.get(2)?,
            })
        })
        .map_err(sql_err)?;
    note.links = rows.collect::<Result<_, _>>().map_err(sql_err)?;
    Ok(())
}

pub fn get(conn: &Connection, id: &str) -> Result<Option<Note>> {
    let note = conn
        .prepare_cached(&format!("SELECT {COLUMNS} FROM note WHERE id = ?1"))
        .and_then(|mut s| s.query_row([id], from_row).optional())
        .map_err(sql_err)?;
    match note {
        Some(mut n) => {
            load_links(conn, &mut n)?;
            Ok(Some(n))
        }
        None => Ok(None),
    }
}

fn collect(conn: &Connection, sql: &str, arg: Option<&str>) -> Result<Vec<Note>> {
    let mut stmt = conn.prepare_cached(sql).map_err(sql_err)?;
    let rows = match arg {
        Some(a) => stmt.query_map(params![a], from_row),
        None => stmt.query_map([], from_row),
    }
    .map_err(sql_err)?;
    let mut notes: Vec<Note> = rows.collect::<Result<_, _>>().map_err(sql_err)?;
    for n in &mut notes {
        load_links(conn, n)?;
    }
    Ok(notes)
}

/// Notes, newest first; with `article_id`, those attached to it or linking to it.
pub fn list(conn: &Connection, article_id: Option<&str>) -> Result<Vec<Note>> {
    // Two statements, not `?1 IS NULL OR …`: SQLite prepares that form again
    // whenever the bound value changes (an export lists the notes of every article).
    match article_id {
        None => collect(
            conn,
            &format!("SELECT {COLUMNS} FROM note n ORDER BY n.updated_at DESC, n.id DESC"),
            None,
        ),
        Some(_) => collect(
            conn,
            &format!(
                "SELECT {COLUMNS} FROM note n WHERE n.article_id = ?1
                   OR EXISTS (SELECT 1 FROM note_link l WHERE l.note_id = n.id AND l.target_kind = 'article' AND l.target_id = ?1)
                   OR EXISTS (SELECT 1 FROM note_link l JOIN claim c ON l.target_kind = 'claim' AND c.id = l.target_id
                              WHERE l.note_id = n.id AND c.article_id = ?1)
                 ORDER BY n.updated_at DESC, n.id DESC"
            ),
            article_id,
        ),
    }
}

/// Notes that link to a claim.
pub fn linking_to_claim(conn: &Connection, claim_id: &str) -> Result<Vec<Note>> {
    collect(
        conn,
        &format!(
            "SELECT {COLUMNS} FROM note n WHERE EXISTS (SELECT 1 FROM note_link l
               WHERE l.note_id = n.id AND l.target_kind = 'claim' AND l.target_id = ?1) ORDER BY n.updated_at DESC"
        ),
        Some(claim_id),
    )
}

pub fn delete(conn: &Connection, id: &str) -> Result<bool> {
    let n = conn
        .execute("DELETE FROM note WHERE id = ?1", [id])
        .map_err(sql_err)?;
    if n > 0 {
        // Links from other notes go too (a restored note is linked again by `relink`).
        conn.execute(
            "DELETE FROM note_link WHERE target_kind = 'note' AND target_id = ?1",
            [id],
        )
        .map_err(sql_err)?;
        outbox::record(conn, Entity::Note, id, Op::Delete)?;
    }
    Ok(n > 0)
}

/// The id of the newest note with this title (without case).
pub fn id_by_title(conn: &Connection, title: &str) -> Result<Option<String>> {
    conn.query_row(
        "SELECT id FROM note WHERE title = ?1 COLLATE NOCASE ORDER BY updated_at DESC LIMIT 1",
        [title.trim()],
        |r| r.get(0),
    )
    .optional()
    .map_err(sql_err)
}

/// Notes that link to a note.
pub fn linking_to_note(conn: &Connection, note_id: &str) -> Result<Vec<Note>> {
    collect(
        conn,
        &format!(
            "SELECT {COLUMNS} FROM note n WHERE EXISTS (SELECT 1 FROM note_link l
               WHERE l.note_id = n.id AND l.target_kind = 'note' AND l.target_id = ?1)
             ORDER BY n.updated_at DESC, n.id DESC"
        ),
        Some(note_id),
    )
}

pub fn count(conn: &Connection) -> Result<u32> {
    conn.query_row("SELECT count(*) FROM note", [], |r| r.get(0))
        .map_err(sql_err)
}

pub fn all_ids(conn: &Connection) -> Result<Vec<String>> {
    let mut stmt = conn
        .prepare("SELECT id FROM note ORDER BY id")
        .map_err(sql_err)?;
    let rows = stmt.query_map([], |r| r.get(0)).map_err(sql_err)?;
    rows.collect::<Result<_, _>>().map_err(sql_err)
}

/// Notes whose text mentions `id` (their links may need resolving again).
pub fn ids_mentioning(conn: &Connection, id: &str) -> Result<Vec<String>> {
    let mut stmt = conn
        .prepare_cached("SELECT id FROM note WHERE instr(body, ?1) > 0")
        .map_err(sql_err)?;
    let rows = stmt.query_map([id], |r| r.get(0)).map_err(sql_err)?;
    rows.collect::<rusqlite::Result<_>>().map_err(sql_err)
}

/// Whether the note `id`, or one with the same title and body, exists (an
/// imported project's note already brought in).
pub fn exists_like(conn: &Connection, id: &str, title: &str, body: &str) -> Result<bool> {
    conn.query_row(
        "SELECT 1 FROM note WHERE id = ?1 OR (title = ?2 AND body = ?3)",
        params![id, title, body],
        |_| Ok(()),
    )
    .optional()
    .map(|r| r.is_some())
    .map_err(sql_err)
}
