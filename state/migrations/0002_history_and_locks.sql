-- 0002: the append-only history of applies and the apply lock.

CREATE TABLE applies (
    id       INTEGER PRIMARY KEY AUTOINCREMENT,
    at       TEXT NOT NULL,                    -- RFC 3339, UTC
    who      TEXT NOT NULL,
    revision TEXT NOT NULL,
    serial   INTEGER NOT NULL UNIQUE,          -- the serial this apply produced
    changes  TEXT CHECK (changes IS NULL OR json_valid(changes))
) STRICT;

-- History is append-only: nothing rewrites or removes what was applied.
CREATE TRIGGER applies_no_update BEFORE UPDATE ON applies
BEGIN
    SELECT RAISE(ABORT, 'the apply history is append-only');
END;

CREATE TRIGGER applies_no_delete BEFORE DELETE ON applies
BEGIN
    SELECT RAISE(ABORT, 'the apply history is append-only');
END;

-- At most one row per lock name; v1 has the single lock "apply".
CREATE TABLE locks (
    name      TEXT PRIMARY KEY,
    id        TEXT NOT NULL UNIQUE,
    operation TEXT NOT NULL,
    holder    TEXT NOT NULL,
    host      TEXT NOT NULL,
    pid       INTEGER NOT NULL,
    since     TEXT NOT NULL                    -- RFC 3339, UTC
) STRICT;
