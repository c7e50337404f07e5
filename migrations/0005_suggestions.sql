-- Dossier notebook schema, version 5: suggestions the analyst dismissed, so the
-- suggester does not propose them again (a sentence is identified by its
-- position and text: if the text changes, it may be proposed anew).
CREATE TABLE suggestion_dismissed (
    article_id TEXT NOT NULL REFERENCES article(id) ON DELETE CASCADE,
    start      INTEGER NOT NULL,
    end        INTEGER NOT NULL,
    exact      TEXT NOT NULL,
    at         TEXT NOT NULL,
    PRIMARY KEY (article_id, start, end)
) STRICT, WITHOUT ROWID;
