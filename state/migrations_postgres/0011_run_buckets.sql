-- 0011: the buckets of a bucketed import or reconciliation (see migrations/0011_run_buckets.sql).

CREATE TABLE run_buckets (
    root_run    BIGINT NOT NULL,
    activity    TEXT COLLATE "C" NOT NULL,
    bucket      BIGINT NOT NULL,
    buckets     BIGINT NOT NULL,
    run_id      BIGINT NOT NULL,
    state       TEXT COLLATE "C" NOT NULL DEFAULT 'open' CHECK (state IN ('open', 'claimed', 'done', 'failed')),
    claimed_by  TEXT COLLATE "C" NOT NULL DEFAULT '',
    lease_until TEXT COLLATE "C",
    attempts    BIGINT NOT NULL DEFAULT 0,
    result      TEXT COLLATE "C" NOT NULL DEFAULT '{}' CHECK (result::jsonb IS NOT NULL),
    error       TEXT COLLATE "C" NOT NULL DEFAULT '',
    updated_at  TEXT COLLATE "C" NOT NULL,
    PRIMARY KEY (root_run, activity, bucket)
);

CREATE INDEX run_buckets_run ON run_buckets (run_id, state);
