//! The `article` table.

use dossier_model::{Article, ArticleSummary, Result};
use rusqlite::{params, Connection, OptionalExtension, Row};

use crate::outbox::{self, Entity, Op};
use crate::sql_err;

const COLUMNS: &str = "id, title, author, source_url, published, language, imported_at, sha256, text_sha256, original_name, media_type, parser, text, page_starts, pages, languages";

fn from_row(r: &Row<'_>) -> rusqlite::Result<Article> {
    Ok(Article {
        id: r.get(0)?,
        title: r.get(1)?,
        author: r.get(2)?,
        source_url: r.get(3)?,
        published: r.get(4)?,
        language: r.get(5)?,
        imported_at: r.get(6)?,
        sha256: r.get(7)?,
        text_sha256: r.get(8)?,
        original_name: r.get(9)?,
        media_type: r.get(10)?,
        parser: r.get(11)?,
        text: r.get(12)?,
        page_starts: json_column(r, 13)?,
        pages: json_column(r, 14)?,
        languages: json_column(r, 15)?,
    })
}

/// A JSON array column: NULL (none, or not measured) and unreadable JSON read as empty.
fn json_column<T: serde::de::DeserializeOwned>(r: &Row<'_>, i: usize) -> rusqlite::Result<Vec<T>> {
    Ok(r.get::<_, Option<String>>(i)?
        .and_then(|j| serde_json::from_str(&j).ok())
        .unwrap_or_default())
}

fn json_or_null<T: serde::Serialize>(v: &[T]) -> Option<String> {
    (!v.is_empty()).then(|| serde_json::to_string(v).unwrap_or_default())
}

pub fn insert(conn: &Connection, a: &Article) -> Result<()> {
    conn.execute(
        &format!("INSERT INTO article ({COLUMNS}) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16)"),
        params![
            a.id,
            a.title,
            a.author,
            a.source_url,
            a.published,
            a.language,
            a.imported_at,
            a.sha256,
            a.text_sha256,
            a.original_name,
            a.media_type,
            a.parser,
            a.text,
            json_or_null(&a.page_starts),
            json_or_null(&a.pages),
            json_or_null(&a.languages),
        ],
    )
    .map_err(sql_err)?;
    outbox::record(conn, Entity::Article, &a.id, Op::Insert)
}

pub fn get(conn: &Connection, id: &str) -> Result<Option<Article>> {
    conn.prepare_cached(&format!("SELECT {COLUMNS} FROM article WHERE id = ?1"))
        .and_then(|mut s| s.query_row([id], from_row).optional())
        .map_err(sql_err)
}

/// What a claim's index document needs of its article (no text).
#[derive(Clone)]
pub struct ArticleContext {
    pub title: String,
    pub language: String,
    pub published: Option<String>,
    pub imported_at: String,
}

pub fn context(conn: &Connection, id: &str) -> Result<Option<ArticleContext>> {
    conn.prepare_cached("SELECT title, language, published, imported_at FROM article WHERE id = ?1")
        .and_then(|mut s| {
            s.query_row([id], |r| {
                Ok(ArticleContext {
                    title: r.get(0)?,
                    language: r.get(1)?,
                    published: r.get(2)?,
                    imported_at: r.get(3)?,
                })
            })
            .optional()
        })
        .map_err(sql_err)
}

/// Only the canonical text: what search snippets are cut from.
pub fn text(conn: &Connection, id: &str) -> Result<Option<String>> {
    conn.prepare_cached("SELECT text FROM article WHERE id = ?1")
        .and_then(|mut s| s.query_row([id], |r| r.get(0)).optional())
        .map_err(sql_err)
}

/// `len` code points of the canonical text from code point `start` on
/// (SQLite's `substr` counts characters of UTF-8 text).
pub fn text_part(conn: &Connection, id: &str, start: u32, len: u32) -> Result<Option<String>> {
    conn.query_row(
        "SELECT substr(text, ?2, ?3) FROM article WHERE id = ?1",
        params![id, i64::from(start) + 1, i64::from(len)],
        |r| r.get(0),
    )
    .optional()
    .map_err(sql_err)
}

/// The id of the article imported from exactly these bytes, if any.
pub fn id_by_sha256(conn: &Connection, sha256: &str) -> Result<Option<String>> {
    conn.query_row("SELECT id FROM article WHERE sha256 = ?1", [sha256], |r| {
        r.get(0)
    })
    .optional()
    .map_err(sql_err)
}

/// The id of the article whose canonical text has this SHA-256, if any.
pub fn id_by_text_sha256(conn: &Connection, text_sha256: &str) -> Result<Option<String>> {
    conn.query_row(
        "SELECT id FROM article WHERE text_sha256 = ?1 ORDER BY imported_at LIMIT 1",
        [text_sha256],
        |r| r.get(0),
    )
    .optional()
    .map_err(sql_err)
}

/// Bibliographic fields that a reference manager may know better than the import did.
#[derive(Debug, Clone, Default)]
pub struct MetadataPatch {
    pub title: Option<String>,
    pub author: Option<String>,
    pub published: Option<String>,
    pub source_url: Option<String>,
    /// A corrected language (BCP 47); the article and its claims are re-analysed.
    pub language: Option<String>,
}

/// Applies the fields that are `Some`; records the article and its claims
/// (whose index documents carry the article's title) for reindexing.
pub fn update_metadata(conn: &Connection, id: &str, patch: &MetadataPatch) -> Result<bool> {
    let n = conn
        .execute(
            "UPDATE article SET title = coalesce(?2, title), author = coalesce(?3, author),
                    published = coalesce(?4, published), source_url = coalesce(?5, source_url),
                    language = coalesce(?6, language)
             WHERE id = ?1",
            params![
                id,
                patch.title,
                patch.author,
                patch.published,
                patch.source_url,
                patch.language
            ],
        )
        .map_err(sql_err)?;
    if n == 0 {
        return Ok(false);
    }
    outbox::record(conn, Entity::Article, id, Op::Update)?;
    let claim_ids = ids_of_article(conn, "claim", id)?;
    for c in &claim_ids {
        outbox::record(conn, Entity::Claim, c, Op::Update)?;
    }
    Ok(true)
}

/// Sets the editable metadata to exactly `a`'s (a team's change): unlike
/// `update_metadata`, a field may become empty. Queues the article and its claims.
pub fn put_metadata(conn: &Connection, a: &Article) -> Result<bool> {
    let n = conn
        .execute(
            "UPDATE article SET title = ?2, author = ?3, published = ?4, source_url = ?5, language = ?6
             WHERE id = ?1",
            params![a.id, a.title, a.author, a.published, a.source_url, a.language],
        )
        .map_err(sql_err)?;
    if n == 0 {
        return Ok(false);
    }
    outbox::record(conn, Entity::Article, &a.id, Op::Update)?;
    for c in &ids_of_article(conn, "claim", &a.id)? {
        outbox::record(conn, Entity::Claim, c, Op::Update)?;
    }
    Ok(true)
}

/// Every article, newest import first, with its number of claims.
pub fn list(conn: &Connection) -> Result<Vec<ArticleSummary>> {
    let mut stmt = conn
        .prepare_cached(
            "SELECT a.id, a.title, a.author, a.source_url, a.published, a.language, a.imported_at,
                    (SELECT count(*) FROM claim c WHERE c.article_id = a.id)
             FROM article a ORDER BY a.imported_at DESC, a.id DESC",
        )
        .map_err(sql_err)?;
    let rows = stmt
        .query_map([], |r| {
            Ok(ArticleSummary {
                id: r.get(0)?,
                title: r.get(1)?,
                author: r.get(2)?,
                source_url: r.get(3)?,
                published: r.get(4)?,
                language: r.get(5)?,
                imported_at: r.get(6)?,
                claim_count: r.get(7)?,
            })
        })
        .map_err(sql_err)?;
    rows.collect::<Result<_, _>>().map_err(sql_err)
}

/// `(id, sha256)` of every article: what `check` compares with `sources/`.
pub fn source_hashes(conn: &Connection) -> Result<Vec<(String, String)>> {
    let mut stmt = conn
        .prepare("SELECT id, sha256 FROM article")
        .map_err(sql_err)?;
    let rows = stmt
        .query_map([], |r| Ok((r.get(0)?, r.get(1)?)))
        .map_err(sql_err)?;
    rows.collect::<Result<_, _>>().map_err(sql_err)
}

/// The first stored original-file hash that is not a SHA-256 in lower-case hex
/// (a crafted database could name `../…` and make `check` read outside the
/// notebook). Scans the hash column's own unique index, not the article rows.
pub fn malformed_source_hash(conn: &Connection) -> Result<Option<String>> {
    conn.query_row(
        "SELECT sha256 FROM article WHERE NOT dossier_is_sha256(sha256) LIMIT 1",
        [],
        |r| r.get(0),
    )
    .optional()
    .map_err(sql_err)
}

pub fn count(conn: &Connection) -> Result<u32> {
    conn.query_row("SELECT count(*) FROM article", [], |r| r.get(0))
        .map_err(sql_err)
}

/// Ids of the rows of `table` (`claim` or `note`) that belong to an article.
fn ids_of_article(conn: &Connection, table: &str, article_id: &str) -> Result<Vec<String>> {
    let mut stmt = conn
        .prepare_cached(&format!("SELECT id FROM {table} WHERE article_id = ?1"))
        .map_err(sql_err)?;
    let rows = stmt
        .query_map([article_id], |r| r.get(0))
        .map_err(sql_err)?;
    rows.collect::<Result<_, _>>().map_err(sql_err)
}

/// Deletes an article, its claims (cascade) and unlinks its notes, recording
/// every entity whose index document changes.
pub fn delete(conn: &Connection, id: &str) -> Result<bool> {
    let claim_ids = ids_of_article(conn, "claim", id)?;
    let note_ids = ids_of_article(conn, "note", id)?;
    let n = conn
        .execute("DELETE FROM article WHERE id = ?1", [id])
        .map_err(sql_err)?;
    if n == 0 {
        return Ok(false);
    }
    conn.execute(
        "DELETE FROM note_link WHERE target_kind = 'article' AND target_id = ?1",
        [id],
    )
    .map_err(sql_err)?;
    outbox::record(conn, Entity::Article, id, Op::Delete)?;
    for c in &claim_ids {
        conn.execute(
            "DELETE FROM note_link WHERE target_kind = 'claim' AND target_id = ?1",
            [c],
        )
        .map_err(sql_err)?;
        outbox::record(conn, Entity::Claim, c, Op::Delete)?;
    }
    for n in &note_ids {
        outbox::record(conn, Entity::Note, n, Op::Update)?;
    }
    Ok(true)
}

/// Every article id, for a full reindex.
pub fn all_ids(conn: &Connection) -> Result<Vec<String>> {
    let mut stmt = conn
        .prepare("SELECT id FROM article ORDER BY id")
        .map_err(sql_err)?;
    let rows = stmt.query_map([], |r| r.get(0)).map_err(sql_err)?;
    rows.collect::<Result<_, _>>().map_err(sql_err)
}

/// Records that `article_id` is a new version of `replaces_id`.
pub fn set_replaces(conn: &Connection, article_id: &str, replaces_id: &str) -> Result<()> {
    conn.execute(
        "INSERT INTO article_version (article_id, replaces_id, created_at) VALUES (?1, ?2, ?3)",
        params![article_id, replaces_id, crate::now()],
    )
    .map_err(sql_err)?;
    outbox::record(conn, Entity::Article, article_id, Op::Update)
}

/// The version `id` replaces, if any.
pub fn replaces(conn: &Connection, id: &str) -> Result<Option<String>> {
    conn.query_row(
        "SELECT replaces_id FROM article_version WHERE article_id = ?1",
        [id],
        |r| r.get(0),
    )
    .optional()
    .map_err(sql_err)
}

/// The version that replaced `id`, if any.
pub fn replaced_by(conn: &Connection, id: &str) -> Result<Option<String>> {
    conn.query_row(
        "SELECT article_id FROM article_version WHERE replaces_id = ?1",
        [id],
        |r| r.get(0),
    )
    .optional()
    .map_err(sql_err)
}

/// Another article saved from the same address as article `id` (and not yet
/// replaced): a new file with a known source URL is probably a new version of
/// it. One indexed lookup; the article's text is not read.
pub fn version_candidate(conn: &Connection, id: &str) -> Result<Option<String>> {
    conn.query_row(
        "SELECT a.id FROM article n JOIN article a ON a.source_url = n.source_url
         WHERE n.id = ?1 AND a.id <> n.id AND trim(n.source_url) <> ''
           AND NOT EXISTS (SELECT 1 FROM article_version v WHERE v.replaces_id = a.id)
         ORDER BY a.imported_at DESC LIMIT 1",
        [id],
        |r| r.get(0),
    )
    .optional()
    .map_err(sql_err)
}

/// The oldest article with this title (ignoring case): what `[[Title]]` links to.
pub fn id_by_title(conn: &Connection, title: &str) -> Result<Option<String>> {
    conn.query_row(
        "SELECT id FROM article WHERE title = ?1 COLLATE NOCASE ORDER BY imported_at LIMIT 1",
        [title],
        |r| r.get(0),
    )
    .optional()
    .map_err(sql_err)
}

/// Whether an article with this id exists.
pub fn exists(c: &Connection, id: &str) -> Result<bool> {
    c.prepare_cached("SELECT EXISTS (SELECT 1 FROM article WHERE id = ?1)")
        .and_then(|mut s| s.query_row([id], |r| r.get(0)))
        .map_err(sql_err)
}
