-- Where each PDF page's words sit (dossier_model::layout): the page's size and
-- its words' code-point spans in the canonical text with their boxes, 24 bytes
-- a word. It is derived from the original file, so it is keyed by the file's
-- SHA-256 like sources/<sha256>: deleting an article into the trash and
-- restoring it leave it alone, and `check --repair` removes the pages of an
-- original that no article and no trash entry holds any more.
CREATE TABLE pdf_page (
    sha256 TEXT    NOT NULL,
    page   INTEGER NOT NULL CHECK (page >= 1),
    width  REAL    NOT NULL,
    height REAL    NOT NULL,
    words  BLOB    NOT NULL,
    PRIMARY KEY (sha256, page)
) STRICT, WITHOUT ROWID;

-- A region claim: the rectangle drawn on a PDF page (a chart, a table, a
-- figure), as JSON {"page", "x0", "y0", "x1", "y1"} in points from the page's
-- top-left corner; NULL for a claim on a passage of text.
ALTER TABLE claim ADD COLUMN region TEXT;
