-- Hub schema, version 2: relations between claims and entries of a claim's
-- verdict history travel as entities of their own (each its analyst's).
ALTER TABLE change DROP CONSTRAINT change_kind_check;
ALTER TABLE change ADD CONSTRAINT change_kind_check
    CHECK (kind IN ('article', 'claim', 'note', 'code', 'relation', 'verdict'));
