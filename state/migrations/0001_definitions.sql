-- 0001: the store's identity (lineage, serial) and the applied definitions.

CREATE TABLE meta (
    key   TEXT PRIMARY KEY,
    value TEXT NOT NULL
) STRICT;

-- serial counts the applies that changed something; the lineage is created
-- by Init or by the first apply.
INSERT INTO meta (key, value) VALUES ('serial', '0');

CREATE TABLE definitions (
    address     TEXT PRIMARY KEY,              -- "kind.name"
    kind        TEXT NOT NULL,
    name        TEXT NOT NULL,
    spec        TEXT NOT NULL CHECK (json_valid(spec)),  -- canonical spec, never a secret
    hash        TEXT NOT NULL,                 -- hex SHA-256 of the canonical spec
    source_file TEXT NOT NULL,
    source_line INTEGER NOT NULL,
    revision    TEXT NOT NULL,                 -- config revision the spec came from
    updated_at  TEXT NOT NULL,                 -- RFC 3339, UTC
    CHECK (address = kind || '.' || name)
) STRICT;
