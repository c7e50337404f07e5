-- Dossier notebook schema, version 2: page numbers of paged sources (PDF).
-- A JSON array with the code-point offset in `text` where each page starts
-- (page 1 first), so a claim can be cited by page; NULL for unpaged formats.
ALTER TABLE article ADD COLUMN page_starts TEXT;
