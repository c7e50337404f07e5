-- Dossier notebook schema, version 4: relations between claims, hedging, and
-- verdicts with their history.

-- Typed links between two claims (also across articles), with a comment.
CREATE TABLE claim_relation (
    id         TEXT PRIMARY KEY,
    from_id    TEXT NOT NULL REFERENCES claim(id) ON DELETE CASCADE,
    to_id      TEXT NOT NULL REFERENCES claim(id) ON DELETE CASCADE,
    kind       TEXT NOT NULL CHECK (kind IN ('supports', 'contradicts', 'qualifies', 'repeats')),
    comment    TEXT,
    analyst    TEXT,
    created_at TEXT NOT NULL,
    CHECK (from_id <> to_id),
    UNIQUE (from_id, to_id, kind)
) STRICT;
CREATE INDEX claim_relation_to ON claim_relation(to_id);

-- How firmly the article states the claim, and where the analyst's checking stands.
ALTER TABLE claim ADD COLUMN hedging TEXT NOT NULL DEFAULT 'asserted'
    CHECK (hedging IN ('asserted', 'hedged', 'speculative'));
ALTER TABLE claim ADD COLUMN verdict TEXT NOT NULL DEFAULT 'unverified'
    CHECK (verdict IN ('unverified', 'supported', 'disputed', 'refuted'));

-- Every change of a verdict: who, when, why, and the evidence (a JSON array of
-- {"kind": "claim" | "note" | "url", "target": "..."}).
CREATE TABLE claim_verdict (
    id       TEXT PRIMARY KEY,
    claim_id TEXT NOT NULL REFERENCES claim(id) ON DELETE CASCADE,
    verdict  TEXT NOT NULL CHECK (verdict IN ('unverified', 'supported', 'disputed', 'refuted')),
    analyst  TEXT,
    note     TEXT,
    evidence TEXT NOT NULL DEFAULT '[]',
    at       TEXT NOT NULL
) STRICT;
CREATE INDEX claim_verdict_claim ON claim_verdict(claim_id, at);
