-- Dossier notebook schema, version 10: how completely a source was read, and its languages.
--
-- `pages`: for paged sources (PDF), a JSON array with one entry per page:
-- {"page", "glyphs", "decoded", "engine", "image_only"} — the glyphs the page
-- draws and how many of them extraction could read, so an incomplete source is
-- named as such wherever it is shown. NULL for unpaged formats and for
-- articles imported before version 10 (nothing was measured then).
-- `languages`: a JSON array [{"tag", "share"}], largest share first; `language`
-- stays the main one. NULL for articles imported before version 10.
ALTER TABLE article ADD COLUMN pages TEXT;
ALTER TABLE article ADD COLUMN languages TEXT;
