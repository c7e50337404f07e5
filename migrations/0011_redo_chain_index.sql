-- Dossier notebook schema, version 11: ending the redo chain costs nothing.
--
-- Every logged change marks the rows undone so far as abandoned (`undone = 1`
-- becomes 2) in the same call that logs it (journal::record). Without an index
-- that is a scan of the whole change log per change: an import of 20 000 claims,
-- each logged, was quadratic. Few rows are ever undone at once, so a partial
-- index over them is small.
CREATE INDEX change_log_redo ON change_log(seq) WHERE undone = 1;
