-- Dossier notebook schema, version 1.
-- Offsets (claim.start/end) count Unicode code points of article.text.
-- Timestamps are RFC 3339 UTC text; ids are UUIDv7 text (sortable by creation).

CREATE TABLE article (
    id            TEXT PRIMARY KEY,
    title         TEXT NOT NULL,
    author        TEXT,
    source_url    TEXT,
    published     TEXT,
    language      TEXT NOT NULL,
    imported_at   TEXT NOT NULL,
    sha256        TEXT NOT NULL UNIQUE,   -- of the original bytes; file at sources/<sha256>
    text_sha256   TEXT NOT NULL,          -- of the canonical text
    original_name TEXT NOT NULL,
    media_type    TEXT NOT NULL,
    parser        TEXT NOT NULL,
    text          TEXT NOT NULL
) STRICT;
CREATE INDEX article_imported ON article(imported_at);

CREATE TABLE code (
    id          TEXT PRIMARY KEY,
    parent_id   TEXT REFERENCES code(id) ON DELETE RESTRICT,
    name        TEXT NOT NULL CHECK (name <> '' AND instr(name, '/') = 0),
    path        TEXT NOT NULL UNIQUE,     -- derived from the parent chain, kept in step by the store
    color       TEXT NOT NULL,
    description TEXT NOT NULL DEFAULT '',
    sort_order  INTEGER NOT NULL DEFAULT 0
) STRICT;
CREATE INDEX code_parent ON code(parent_id);

CREATE TABLE claim (
    id          TEXT PRIMARY KEY,
    article_id  TEXT NOT NULL REFERENCES article(id) ON DELETE CASCADE,
    exact       TEXT NOT NULL,
    prefix      TEXT NOT NULL,
    suffix      TEXT NOT NULL,
    start       INTEGER NOT NULL CHECK (start >= 0),
    end         INTEGER NOT NULL CHECK (end > start),
    stance      TEXT NOT NULL CHECK (stance IN ('supports', 'contests', 'neutral', 'unclear')),
    confidence  INTEGER NOT NULL CHECK (confidence BETWEEN 1 AND 5),
    claimant    TEXT,
    comment     TEXT,
    analyst     TEXT,
    created_at  TEXT NOT NULL,
    updated_at  TEXT NOT NULL
) STRICT;
CREATE INDEX claim_article ON claim(article_id, start);

CREATE TABLE claim_code (
    claim_id TEXT NOT NULL REFERENCES claim(id) ON DELETE CASCADE,
    code_id  TEXT NOT NULL REFERENCES code(id) ON DELETE RESTRICT,
    PRIMARY KEY (claim_id, code_id)
) STRICT, WITHOUT ROWID;
CREATE INDEX claim_code_code ON claim_code(code_id);

CREATE TABLE note (
    id          TEXT PRIMARY KEY,
    title       TEXT NOT NULL,
    body        TEXT NOT NULL,
    article_id  TEXT REFERENCES article(id) ON DELETE SET NULL,
    created_at  TEXT NOT NULL,
    updated_at  TEXT NOT NULL
) STRICT;

-- Resolved [[...]] links; the target is either an article or a claim.
CREATE TABLE note_link (
    note_id     TEXT NOT NULL REFERENCES note(id) ON DELETE CASCADE,
    target_kind TEXT NOT NULL CHECK (target_kind IN ('article', 'claim')),
    target_id   TEXT NOT NULL,
    label       TEXT NOT NULL,
    PRIMARY KEY (note_id, target_kind, target_id)
) STRICT, WITHOUT ROWID;
CREATE INDEX note_link_target ON note_link(target_kind, target_id);

-- The outbox / change log: one row per changed entity, written in the same
-- transaction as the change. The indexer reads it in seq order and records the
-- last seq it applied in the tantivy commit payload; history and undo read it later.
CREATE TABLE outbox (
    seq       INTEGER PRIMARY KEY AUTOINCREMENT,
    entity    TEXT NOT NULL CHECK (entity IN ('article', 'claim', 'note', 'code')),
    entity_id TEXT NOT NULL,
    op        TEXT NOT NULL CHECK (op IN ('insert', 'update', 'delete')),
    at        TEXT NOT NULL
) STRICT;
