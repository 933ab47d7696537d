-- 0007: syncs of a followed git branch that failed — a revision that did
-- not load or plan, a fetch that failed — so that syncline state history
-- shows them beside the applies. A failure that repeats (the same branch,
-- revision and error, as a server polling a broken branch sees it) updates
-- the newest row instead of adding one; only the newest 100 rows are kept.

CREATE TABLE sync_failures (
    id         INTEGER PRIMARY KEY,
    first_at   TEXT    NOT NULL,
    last_at    TEXT    NOT NULL,
    attempts   INTEGER NOT NULL,
    repository TEXT    NOT NULL,
    branch     TEXT    NOT NULL,
    revision   TEXT    NOT NULL, -- '' when the branch could not be read
    error      TEXT    NOT NULL
) STRICT;
