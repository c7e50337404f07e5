-- Dossier hub schema, version 1: the team's record.
--
-- Members hold tokens (an Argon2id hash of the secret; the id part finds the row).
CREATE TABLE member (
    name        TEXT PRIMARY KEY,
    role        TEXT NOT NULL CHECK (role IN ('owner', 'analyst', 'reader')),
    token_id    TEXT NOT NULL UNIQUE,
    token_hash  TEXT NOT NULL,
    created_at  TIMESTAMPTZ NOT NULL DEFAULT now(),
    revoked_at  TIMESTAMPTZ
);

-- A joined notebook: the last of its outbox rows the hub holds. A push of rows
-- up to `acked` again is answered without applying anything (exactly once).
CREATE TABLE origin (
    origin   TEXT PRIMARY KEY,
    analyst  TEXT NOT NULL REFERENCES member(name),
    acked    BIGINT NOT NULL DEFAULT 0,
    seen_at  TIMESTAMPTZ NOT NULL DEFAULT now()
);

-- The append-only change log in the team's order. Pushes take a transaction
-- lock before appending, so sequence numbers commit in order and a pull that
-- asked for changes after N never misses one committed later below N.
CREATE TABLE change (
    seq      BIGSERIAL PRIMARY KEY,
    kind     TEXT NOT NULL CHECK (kind IN ('article', 'claim', 'note', 'code')),
    id       TEXT NOT NULL,
    analyst  TEXT NOT NULL,
    origin   TEXT NOT NULL,
    hlc      BIGINT NOT NULL,
    state    JSONB,
    at       TIMESTAMPTZ NOT NULL DEFAULT now()
);
CREATE INDEX change_entity ON change (kind, id, seq);

-- Every entity's current state (NULL: deleted, a tombstone), the last change
-- to it, and who owns it (a claim: its analyst).
CREATE TABLE entity (
    kind   TEXT NOT NULL,
    id     TEXT NOT NULL,
    owner  TEXT NOT NULL,
    hlc    BIGINT NOT NULL,
    state  JSONB,
    seq    BIGINT NOT NULL REFERENCES change(seq),
    PRIMARY KEY (kind, id)
);

-- What a merge decided against: kept with the change that decided it.
CREATE TABLE conflict (
    id       BIGSERIAL PRIMARY KEY,
    seq      BIGINT NOT NULL REFERENCES change(seq),
    field    TEXT NOT NULL,
    kept     JSONB NOT NULL,
    lost     JSONB NOT NULL,
    kept_by  TEXT NOT NULL,
    lost_by  TEXT NOT NULL
);
CREATE INDEX conflict_seq ON conflict (seq);

-- Original files by SHA-256, as notebooks keep them under sources/.
CREATE TABLE blob (
    sha256  TEXT PRIMARY KEY CHECK (sha256 ~ '^[0-9a-f]{64}$'),
    bytes   BYTEA NOT NULL,
    at      TIMESTAMPTZ NOT NULL DEFAULT now()
);
