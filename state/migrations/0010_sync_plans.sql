-- 0010: the plan of the newest syncs that planned without applying (the
-- plan_only policy), so that the console's Sync page and the API show
-- what the followed branch would change. The same plan seen again (a
-- server polling a branch it may not apply) updates the newest row; only
-- the newest 20 rows are kept.

CREATE TABLE sync_plans (
    id         INTEGER PRIMARY KEY,
    first_at   TEXT    NOT NULL,
    last_at    TEXT    NOT NULL,
    repository TEXT    NOT NULL,
    branch     TEXT    NOT NULL,
    revision   TEXT    NOT NULL,
    serial     INTEGER NOT NULL, -- the state serial the plan was made against
    changes    TEXT    NOT NULL  -- the change list, as applies.changes
) STRICT;
