-- Dossier notebook schema, version 13: translations kept with claims, a
-- glossary of terms across languages, memos on codes, links between notes,
-- and the change feed a window follows to show other processes' changes.
--
-- `claim_translation`: any number of translations of a claim's quote, each
-- with its language, who or what made it (`translator`: an analyst, a tool)
-- and when. They go with their claim (cascade); the change log keeps them, as
-- part of the claim, for undo.
CREATE TABLE claim_translation (
    id         TEXT PRIMARY KEY,
    claim_id   TEXT NOT NULL REFERENCES claim(id) ON DELETE CASCADE,
    language   TEXT NOT NULL,
    text       TEXT NOT NULL CHECK (length(text) > 0),
    translator TEXT,
    created_at TEXT NOT NULL
) STRICT;
CREATE INDEX claim_translation_claim ON claim_translation(claim_id, created_at);

-- `glossary_term`: terms that name the same concept in several languages
-- (透明度 ↔ Transparenz ↔ transparency). A concept is the set of terms sharing
-- `concept`; a term (in its language, without case) belongs to one concept.
CREATE TABLE glossary_term (
    concept  TEXT NOT NULL,
    language TEXT NOT NULL,
    term     TEXT NOT NULL COLLATE NOCASE,
    position INTEGER NOT NULL,
    PRIMARY KEY (language, term)
) STRICT, WITHOUT ROWID;
CREATE INDEX glossary_term_concept ON glossary_term(concept, position);

-- A code's memo: its definition, inclusion and exclusion rules and examples,
-- in Markdown (the description stays the one-line summary).
ALTER TABLE code ADD COLUMN memo TEXT NOT NULL DEFAULT '';

-- Notes link to notes too (`[[Note title]]`): the link table's CHECK widens.
CREATE TABLE note_link_new (
    note_id     TEXT NOT NULL REFERENCES note(id) ON DELETE CASCADE,
    target_kind TEXT NOT NULL CHECK (target_kind IN ('article', 'claim', 'note')),
    target_id   TEXT NOT NULL,
    label       TEXT NOT NULL,
    PRIMARY KEY (note_id, target_kind, target_id)
) STRICT, WITHOUT ROWID;
INSERT INTO note_link_new SELECT note_id, target_kind, target_id, label FROM note_link;
DROP TABLE note_link;
ALTER TABLE note_link_new RENAME TO note_link;
CREATE INDEX note_link_target ON note_link(target_kind, target_id);

-- The change log learns the glossary (one entry per concept).
CREATE TABLE change_log_new (
    seq       INTEGER PRIMARY KEY AUTOINCREMENT,
    at        TEXT NOT NULL,
    entity    TEXT NOT NULL CHECK (entity IN ('article', 'claim', 'note', 'codebook', 'attribute', 'set', 'search', 'glossary')),
    entity_id TEXT NOT NULL,
    action    TEXT NOT NULL,
    before    TEXT,
    after     TEXT,
    undone    INTEGER NOT NULL DEFAULT 0 CHECK (undone IN (0, 1, 2)),
    step      INTEGER
) STRICT;
INSERT INTO change_log_new (seq, at, entity, entity_id, action, before, after, undone, step)
    SELECT seq, at, entity, entity_id, action, before, after, undone, step FROM change_log;
DROP TABLE change_log;
ALTER TABLE change_log_new RENAME TO change_log;
CREATE INDEX change_log_entity ON change_log(entity, entity_id, seq);
CREATE INDEX change_log_step ON change_log(step) WHERE step IS NOT NULL;
CREATE INDEX change_log_redo ON change_log(seq) WHERE undone = 1;

-- `change_feed`: one row per entity a logged change, an undo or a redo
-- touched, in commit order. A window reads the rows after the last one it saw
-- (every second) and reloads what they name, so a change made by another
-- process (the CLI, a second window, a merge) shows within seconds. Only the
-- newest rows are kept (the writer prunes as it appends); a reader that fell
-- further behind reloads everything.
CREATE TABLE change_feed (
    seq       INTEGER PRIMARY KEY AUTOINCREMENT,
    entity    TEXT NOT NULL,
    entity_id TEXT NOT NULL
) STRICT;
