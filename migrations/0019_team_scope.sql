-- Dossier notebook schema, version 19: selective sync. A notebook in a team
-- may pull only some of the team's articles whole (its scope); the others it
-- lists with their metadata and pulls on demand.
--
-- `team.scope`: the scope as the analyst chose it (JSON: code ids — each with
-- everything under it —, `from`, `to`); NULL: every article.
-- `team.scope_pending`: the scope changed and the next sync still has to pull
-- the articles not pulled that it now takes in.
ALTER TABLE team ADD COLUMN scope TEXT;
ALTER TABLE team ADD COLUMN scope_pending INTEGER NOT NULL DEFAULT 0;

-- The team's articles outside the scope: their metadata (the article's state
-- with an empty text), the team change that said so, and its clock.
CREATE TABLE team_stub (
    article_id TEXT PRIMARY KEY,
    seq        INTEGER NOT NULL,
    hlc        INTEGER NOT NULL,
    state      TEXT NOT NULL
) STRICT, WITHOUT ROWID;

-- The team's work on articles not pulled — claims, notes, and relations and
-- verdicts of such claims —, held as it came until its article (`waits_for`)
-- is pulled, and then applied like a pulled change.
CREATE TABLE team_held (
    kind      TEXT NOT NULL CHECK (kind IN ('claim', 'note', 'relation', 'verdict')),
    entity_id TEXT NOT NULL,
    waits_for TEXT NOT NULL,
    seq       INTEGER NOT NULL,
    hlc       INTEGER NOT NULL,
    analyst   TEXT NOT NULL,
    state     TEXT NOT NULL,
    PRIMARY KEY (kind, entity_id)
) STRICT, WITHOUT ROWID;
CREATE INDEX team_held_waits ON team_held(waits_for, seq);
