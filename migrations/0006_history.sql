-- Dossier notebook schema, version 6: the change log behind undo and redo, and
-- the trash.
--
-- Every change to a claim, a note, an article or the codebook made through the app or the
-- CLI is logged with the entity's state before and after it (JSON snapshots:
-- a claim with its codes, relations and verdicts; an article with its claims).
-- Undo restores `before` of the newest change not undone; redo restores
-- `after` of the oldest undone one; a new change ends the redo chain (undone
-- becomes 2: kept in the history, no longer redoable).
CREATE TABLE change_log (
    seq       INTEGER PRIMARY KEY AUTOINCREMENT,
    at        TEXT NOT NULL,
    entity    TEXT NOT NULL CHECK (entity IN ('article', 'claim', 'note', 'codebook')),
    entity_id TEXT NOT NULL,
    action    TEXT NOT NULL,
    before    TEXT,
    after     TEXT,
    undone    INTEGER NOT NULL DEFAULT 0 CHECK (undone IN (0, 1, 2))
) STRICT;
CREATE INDEX change_log_entity ON change_log(entity, entity_id, seq);

-- Deleted articles, notes and claims, restorable for 30 days.
CREATE TABLE trash (
    id         TEXT PRIMARY KEY,
    entity     TEXT NOT NULL CHECK (entity IN ('article', 'claim', 'note')),
    entity_id  TEXT NOT NULL,
    title      TEXT NOT NULL,
    snapshot   TEXT NOT NULL,
    deleted_at TEXT NOT NULL
) STRICT;
CREATE INDEX trash_deleted ON trash(deleted_at);
