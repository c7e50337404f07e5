-- Dossier notebook schema, version 3: versions of an article, and claims carried
-- from one version to the next.
--
-- A revised article is imported as a new article that `replaces` the old one;
-- the old one stays (its original file and text are evidence). Each claim is
-- carried to the new version with an `anchor_status`: `exact` (same text,
-- possibly moved), `changed` (re-anchored to text that differs; the old quote is
-- kept in `original_exact`), or `orphaned` (not found: it stays on the old
-- version and waits in the review queue); `dismissed` is an orphan the analyst
-- chose to leave on the old version.
CREATE TABLE article_version (
    article_id  TEXT PRIMARY KEY REFERENCES article(id) ON DELETE CASCADE,
    replaces_id TEXT NOT NULL REFERENCES article(id) ON DELETE CASCADE,
    created_at  TEXT NOT NULL,
    CHECK (article_id <> replaces_id)
) STRICT;
CREATE INDEX article_version_replaces ON article_version(replaces_id);

ALTER TABLE claim ADD COLUMN anchor_status TEXT NOT NULL DEFAULT 'exact'
    CHECK (anchor_status IN ('exact', 'changed', 'orphaned', 'dismissed'));
ALTER TABLE claim ADD COLUMN original_exact TEXT;
CREATE INDEX claim_anchor_status ON claim(anchor_status) WHERE anchor_status = 'orphaned';
