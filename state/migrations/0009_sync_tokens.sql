-- 0009: where each live synchronization stands. A live_sync activity asks
-- its resource for the changes since its token; the token moves in the
-- same repository transaction as the changes it covers, so a crash never
-- skips a change nor applies one twice in effect. One row per task and
-- activity; the resource and object type it was taken for are kept, so a
-- token of another resource is never used.

CREATE TABLE sync_tokens (
    task       TEXT NOT NULL,
    activity   TEXT NOT NULL,
    resource   TEXT NOT NULL,
    kind       TEXT NOT NULL,
    intent     TEXT NOT NULL,
    token      TEXT NOT NULL,
    run_id     INTEGER,          -- the run that moved it last
    changes    INTEGER NOT NULL DEFAULT 0, -- changes taken since the token was first set
    updated_at TEXT NOT NULL,
    PRIMARY KEY (task, activity)
) STRICT;
