-- Dossier notebook schema, version 20: the outbox (and sync_base) learn the writes that no
-- index document shows, so that a team's sync sees every write (as the house
-- rule says: one path logs them all) — the definitions of attributes, sets and
-- saved searches (`attribute`, `set`, `search`, by their names in ASCII lower
-- case), and an article's attribute values and set memberships (`meta`: an
-- article row the indexer passes over). SQLite cannot alter a CHECK, so the
-- table is rebuilt with its rows, and its AUTOINCREMENT counter carried over
-- (the index remembers the last sequence number it applied).
CREATE TABLE outbox_new (
    seq       INTEGER PRIMARY KEY AUTOINCREMENT,
    entity    TEXT NOT NULL CHECK (entity IN ('article', 'claim', 'note', 'code', 'attribute', 'set', 'search')),
    entity_id TEXT NOT NULL,
    op        TEXT NOT NULL CHECK (op IN ('insert', 'update', 'delete', 'meta')),
    at        TEXT NOT NULL
) STRICT;
INSERT INTO outbox_new (seq, entity, entity_id, op, at) SELECT seq, entity, entity_id, op, at FROM outbox;
INSERT INTO sqlite_sequence (name, seq)
    SELECT 'outbox_new', seq FROM sqlite_sequence WHERE name = 'outbox'
    AND NOT EXISTS (SELECT 1 FROM sqlite_sequence WHERE name = 'outbox_new');
UPDATE sqlite_sequence SET seq = max(seq, (SELECT coalesce(max(seq), 0) FROM sqlite_sequence WHERE name = 'outbox'))
    WHERE name = 'outbox_new';
DROP TABLE outbox;
ALTER TABLE outbox_new RENAME TO outbox;

-- A synced entity's base may be one of these definitions too (migration 0018
-- made the table; its CHECK names the kinds).
CREATE TABLE sync_base_new (
    kind      TEXT NOT NULL CHECK (kind IN ('article', 'claim', 'note', 'code', 'relation', 'verdict', 'attribute', 'set', 'search')),
    entity_id TEXT NOT NULL,
    hlc       INTEGER NOT NULL,
    state     TEXT,
    PRIMARY KEY (kind, entity_id)
) STRICT, WITHOUT ROWID;
INSERT INTO sync_base_new (kind, entity_id, hlc, state) SELECT kind, entity_id, hlc, state FROM sync_base;
DROP TABLE sync_base;
ALTER TABLE sync_base_new RENAME TO sync_base;
CREATE INDEX sync_base_relation_from ON sync_base(json_extract(state, '$.from_id')) WHERE kind = 'relation';
CREATE INDEX sync_base_verdict_claim ON sync_base(json_extract(state, '$.claim_id')) WHERE kind = 'verdict';
