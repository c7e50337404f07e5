-- Dossier notebook schema, version 18: relations between claims and verdicts
-- travel to the team as entities of their own (each its analyst's), so a
-- synced entity's base may be one of them too.
CREATE TABLE sync_base_new (
    kind      TEXT NOT NULL CHECK (kind IN ('article', 'claim', 'note', 'code', 'relation', 'verdict')),
    entity_id TEXT NOT NULL,
    hlc       INTEGER NOT NULL,
    state     TEXT,
    PRIMARY KEY (kind, entity_id)
) STRICT, WITHOUT ROWID;
INSERT INTO sync_base_new (kind, entity_id, hlc, state) SELECT kind, entity_id, hlc, state FROM sync_base;
DROP TABLE sync_base;
ALTER TABLE sync_base_new RENAME TO sync_base;
