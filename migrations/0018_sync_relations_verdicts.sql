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

-- A push finds the relations and verdicts of each claim it sends by their
-- bases too (one deleted here since is still the team's to be told): by the
-- claim they hang on.
CREATE INDEX sync_base_relation_from ON sync_base(json_extract(state, '$.from_id')) WHERE kind = 'relation';
CREATE INDEX sync_base_verdict_claim ON sync_base(json_extract(state, '$.claim_id')) WHERE kind = 'verdict';
