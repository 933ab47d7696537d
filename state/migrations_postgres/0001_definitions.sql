-- 0001: the store's identity (lineage, serial) and the applied definitions.
-- PostgreSQL twin of migrations/0001_definitions.sql: the same tables and
-- columns, so every statement of the store runs on both. Text columns
-- compare and sort bytewise (COLLATE "C"), as SQLite's do; integers are
-- BIGINT, as SQLite's are 64-bit.

CREATE TABLE meta (
    key   TEXT COLLATE "C" PRIMARY KEY,
    value TEXT COLLATE "C" NOT NULL
);

INSERT INTO meta (key, value) VALUES ('serial', '0');

CREATE TABLE definitions (
    address     TEXT COLLATE "C" PRIMARY KEY,
    kind        TEXT COLLATE "C" NOT NULL,
    name        TEXT COLLATE "C" NOT NULL,
    spec        TEXT COLLATE "C" NOT NULL CHECK (spec::jsonb IS NOT NULL),
    hash        TEXT COLLATE "C" NOT NULL,
    source_file TEXT COLLATE "C" NOT NULL,
    source_line BIGINT NOT NULL,
    revision    TEXT COLLATE "C" NOT NULL,
    updated_at  TEXT COLLATE "C" NOT NULL,
    CHECK (address = kind || '.' || name)
);
