-- Dossier notebook schema, version 7: an index on the address an article was
-- saved from. Every import asks whether a new file comes from the address of
-- an article already in the notebook (a new version of it); without the index
-- that question scans every article, once per imported file.
CREATE INDEX article_source_url ON article(source_url) WHERE source_url IS NOT NULL;
