-- Dossier notebook schema, version 12: article attributes (the "cases" of
-- qualitative analysis): typed variables per article that claims are compared
-- by; named sets of articles; saved searches.
--
-- `attribute`: one row per attribute the notebook defines. `type` is text,
-- number, date or choice; `choices` a JSON array of the allowed values of a
-- choice attribute (`[]` otherwise). Names are compared without case.
-- `article_attribute`: an article's value of an attribute, at most one.
-- `value` is the normalised text (a date as ISO `2024`, `2024-05`,
-- `2024-05-03`); `low`/`high` the interval a number or date stands for
-- (`yyyymmdd` days for dates), NULL for text and choices. Both cascade: an
-- article or attribute that goes takes its values with it (the change log
-- keeps them for undo).
CREATE TABLE attribute (
    name       TEXT PRIMARY KEY COLLATE NOCASE,
    type       TEXT NOT NULL CHECK (type IN ('text', 'number', 'date', 'choice')),
    choices    TEXT NOT NULL DEFAULT '[]',
    position   INTEGER NOT NULL,
    created_at TEXT NOT NULL
) STRICT;

CREATE TABLE article_attribute (
    article_id TEXT NOT NULL REFERENCES article(id) ON DELETE CASCADE,
    name       TEXT NOT NULL COLLATE NOCASE REFERENCES attribute(name) ON DELETE CASCADE ON UPDATE CASCADE,
    value      TEXT NOT NULL,
    low        REAL,
    high       REAL,
    PRIMARY KEY (article_id, name)
) STRICT;
CREATE INDEX article_attribute_by_value ON article_attribute(name, value COLLATE NOCASE);
CREATE INDEX article_attribute_by_low ON article_attribute(name, low) WHERE low IS NOT NULL;

-- `article_set`: a named set of articles (`set:NAME` in queries); its members
-- in `article_set_member`. `saved_search`: a named query, run again when shown.
CREATE TABLE article_set (
    name        TEXT PRIMARY KEY COLLATE NOCASE,
    description TEXT NOT NULL DEFAULT '',
    position    INTEGER NOT NULL,
    created_at  TEXT NOT NULL
) STRICT;

CREATE TABLE article_set_member (
    set_name   TEXT NOT NULL COLLATE NOCASE REFERENCES article_set(name) ON DELETE CASCADE ON UPDATE CASCADE,
    article_id TEXT NOT NULL REFERENCES article(id) ON DELETE CASCADE,
    added_at   TEXT NOT NULL,
    PRIMARY KEY (set_name, article_id)
) STRICT;
CREATE INDEX article_set_member_article ON article_set_member(article_id);

CREATE TABLE saved_search (
    name       TEXT PRIMARY KEY COLLATE NOCASE,
    query      TEXT NOT NULL,
    position   INTEGER NOT NULL,
    created_at TEXT NOT NULL
) STRICT;

-- The change log learns three kinds of entity: `attribute` (a definition with
-- its values), `set` (a set with its members) and `search` (a saved search). SQLite cannot alter a CHECK, so the table is rebuilt with its
-- rows, sequence numbers and indexes unchanged.
CREATE TABLE change_log_new (
    seq       INTEGER PRIMARY KEY AUTOINCREMENT,
    at        TEXT NOT NULL,
    entity    TEXT NOT NULL CHECK (entity IN ('article', 'claim', 'note', 'codebook', 'attribute', 'set', 'search')),
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
