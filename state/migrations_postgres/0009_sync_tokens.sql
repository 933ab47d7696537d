-- 0009: where each live synchronization stands.

CREATE TABLE sync_tokens (
    task       TEXT COLLATE "C" NOT NULL,
    activity   TEXT COLLATE "C" NOT NULL,
    resource   TEXT COLLATE "C" NOT NULL,
    kind       TEXT COLLATE "C" NOT NULL,
    intent     TEXT COLLATE "C" NOT NULL,
    token      TEXT COLLATE "C" NOT NULL,
    run_id     BIGINT,
    changes    BIGINT NOT NULL DEFAULT 0,
    updated_at TEXT COLLATE "C" NOT NULL,
    PRIMARY KEY (task, activity)
);
