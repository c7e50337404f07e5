-- Dossier notebook schema, version 9: one undo step for a change to many claims.
--
-- Carrying claims to a new version of an article, adding a batch of claims
-- (accepted suggestions) and similar writes change many claims at once. Each
-- claim still gets its own change_log row (its history shows the change), and
-- the rows of one such write share a `step`: undo and redo take them together.
ALTER TABLE change_log ADD COLUMN step INTEGER;
CREATE INDEX change_log_step ON change_log(step) WHERE step IS NOT NULL;
