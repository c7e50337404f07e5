-- Dossier notebook schema, version 8: a covering index for the library list.
-- The list (newest first, with title, author, address, date and language) was
-- read from the article table itself, whose rows carry the whole text: listing
-- 5 000 articles pulled every text through SQLite's page cache (idle memory of
-- the app), and 100 000 articles took 19 s on a cold start. This index holds
-- exactly what the list shows, in its order, so the texts stay on disk.
CREATE INDEX article_library ON article(imported_at DESC, id DESC, title, author, source_url, published, language);
