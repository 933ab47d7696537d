-- 0004: the repository — users (focus objects) with their correlation
-- index, shadows of resource objects, and the changes each run made.
-- Times are RFC 3339 text in UTC with nine fractional digits. JSON columns
-- are written only by the store, with encoding/json (object keys sorted);
-- unlike those of runs they carry no json_valid check, which cost a
-- twentieth of the time of storing a user and a shadow.

CREATE TABLE users (
    id         INTEGER PRIMARY KEY,
    name       TEXT NOT NULL UNIQUE,
    status     TEXT NOT NULL CHECK (status IN ('active', 'disabled')),
    attributes TEXT NOT NULL DEFAULT '{}',     -- {"name": "value"}
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
) STRICT;

-- The attribute names the correlation index covers.
CREATE TABLE user_indexed_attributes (
    name TEXT PRIMARY KEY
) STRICT, WITHOUT ROWID;

-- The correlation index: one row per user and value of an indexed
-- attribute, so matching a resource object to its user is a lookup. The
-- store inserts a user's keys with the user; the triggers below remove
-- them when the user changes or goes, looking each old key up by this
-- primary key. (A foreign key would need a second index on user_id, which
-- made inserting users a fifth slower.)
CREATE TABLE user_keys (
    attribute TEXT NOT NULL,
    value     TEXT NOT NULL,
    user_id   INTEGER NOT NULL,             -- users.id
    PRIMARY KEY (attribute, value, user_id)
) STRICT, WITHOUT ROWID;

CREATE TRIGGER users_keys_update AFTER UPDATE OF attributes ON users BEGIN
    DELETE FROM user_keys WHERE (attribute, value, user_id) IN (
        SELECT j.key, j.value, OLD.id FROM json_each(OLD.attributes) AS j
        WHERE j.key IN (SELECT name FROM user_indexed_attributes));
END;

CREATE TRIGGER users_keys_delete AFTER DELETE ON users BEGIN
    DELETE FROM user_keys WHERE (attribute, value, user_id) IN (
        SELECT j.key, j.value, OLD.id FROM json_each(OLD.attributes) AS j
        WHERE j.key IN (SELECT name FROM user_indexed_attributes));
END;

CREATE TABLE shadows (
    id              INTEGER PRIMARY KEY,
    resource        TEXT NOT NULL,
    kind            TEXT NOT NULL,
    intent          TEXT NOT NULL,
    identifier      TEXT NOT NULL,             -- as the resource spells it
    key             TEXT NOT NULL,             -- as identifiers are matched
    attributes      TEXT NOT NULL DEFAULT '{}', -- {"name": ["value", …]}
    hash            TEXT NOT NULL DEFAULT '',
    mapping_hash    TEXT NOT NULL DEFAULT '',
    owner           INTEGER REFERENCES users (id) ON DELETE SET NULL, -- NULL: not linked
    situation       TEXT NOT NULL DEFAULT '',
    synced_at       TEXT,                      -- NULL: never fully synchronized
    dead            INTEGER NOT NULL DEFAULT 0 CHECK (dead IN (0, 1)),
    pending         TEXT,                      -- [operation, …]; NULL: none
    next_attempt_at TEXT,                      -- the earliest due pending operation
    created_at      TEXT NOT NULL,
    updated_at      TEXT NOT NULL,
    UNIQUE (resource, kind, intent, key),
    CHECK ((pending IS NULL) = (next_attempt_at IS NULL))
) STRICT;

-- A user's shadows (and ON DELETE SET NULL when a user is deleted).
CREATE INDEX shadows_owner ON shadows (owner);
-- Due pending operations of a resource, oldest first.
CREATE INDEX shadows_pending ON shadows (resource, next_attempt_at) WHERE pending IS NOT NULL;
-- Dead shadows per resource: live ones are all (counted in the unique
-- index) less these. An index of live shadows would grow with every
-- insert; this one only when an object goes.
CREATE INDEX shadows_dead ON shadows (resource) WHERE dead = 1;

-- What each run changed, in order.
CREATE TABLE run_changes (
    run_id INTEGER NOT NULL REFERENCES runs (id) ON DELETE CASCADE,
    seq    INTEGER NOT NULL,
    change TEXT NOT NULL CHECK (json_valid(change)),
    PRIMARY KEY (run_id, seq)
) STRICT;
