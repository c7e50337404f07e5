-- Dossier notebook schema, version 16: the notebook's link to its team's hub.
--
-- `team` (one row while joined): the hub, the token (the analyst's own
-- credential, kept like a git remote's), who the token belongs to, this
-- notebook's id in the team (`origin`), the last outbox row the hub has taken
-- (`pushed_seq`) and the last team change applied here (`pulled_seq`).
CREATE TABLE team (
    id         INTEGER PRIMARY KEY CHECK (id = 1),
    url        TEXT NOT NULL,
    token      TEXT NOT NULL,
    analyst    TEXT NOT NULL,
    role       TEXT NOT NULL CHECK (role IN ('owner', 'analyst', 'reader')),
    origin     TEXT NOT NULL,
    joined_at  TEXT NOT NULL,
    pushed_seq INTEGER NOT NULL DEFAULT 0,
    pulled_seq INTEGER NOT NULL DEFAULT 0,
    last_sync  TEXT
) STRICT;

-- Per synced entity: the state the team last had of it as far as this
-- notebook knows (what it pulled, or pushed and the hub took), with its
-- clock. A push sends it as the base of a three-way merge; a local state
-- equal to it is no change to push; a local state different from it is a
-- change not yet pushed, which a pull leaves alone.
CREATE TABLE sync_base (
    kind      TEXT NOT NULL CHECK (kind IN ('article', 'claim', 'note', 'code')),
    entity_id TEXT NOT NULL,
    hlc       INTEGER NOT NULL,
    state     TEXT,
    PRIMARY KEY (kind, entity_id)
) STRICT, WITHOUT ROWID;

-- What the hub's merges decided against (and changes it refused or that
-- could not be applied here), for the conflicts list.
CREATE TABLE sync_conflict (
    id        INTEGER PRIMARY KEY,
    seq       INTEGER NOT NULL,
    kind      TEXT NOT NULL,
    entity_id TEXT NOT NULL,
    at        TEXT NOT NULL,
    field     TEXT NOT NULL,
    kept      TEXT NOT NULL,
    lost      TEXT NOT NULL,
    kept_by   TEXT NOT NULL,
    lost_by   TEXT NOT NULL
) STRICT;
