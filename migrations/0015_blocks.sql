-- The structure of an article's text (dossier_model::blocks): its blocks as
-- code-point spans, 13 bytes a block, and the tables' cells and figures'
-- images as JSON. Derived from the original file by its parser, so keyed like
-- pdf_page by the original's SHA-256 (the trash and undo leave it alone;
-- `check --repair` collects what no article or trash entry holds), and tied
-- to the text it describes by that text's SHA-256: a text read again by
-- another parser is not described by an older structure. The figures' images
-- are files under sources/, named by their SHA-256 like the originals.
CREATE TABLE source_blocks (
    sha256      TEXT NOT NULL PRIMARY KEY,
    text_sha256 TEXT NOT NULL,
    blocks      BLOB NOT NULL,
    details     TEXT NOT NULL DEFAULT '[]'
) STRICT, WITHOUT ROWID;
