-- 0011: the buckets of a bucketed import or reconciliation (buckets = N).
-- The run that splits the activity (the root run) writes one row per
-- bucket; the run's own threads and other serve nodes claim open buckets
-- with a lease they renew while they work, and write the bucket's
-- statistics when it is done. A bucket whose lease ran out is claimed
-- again and redone. A recovery run adopts the buckets of the run it
-- recovers (run_id moves to it), so done buckets are not done again.

CREATE TABLE run_buckets (
    root_run    INTEGER NOT NULL, -- the run that split the activity
    activity    TEXT    NOT NULL,
    bucket      INTEGER NOT NULL, -- 0 .. buckets-1
    buckets     INTEGER NOT NULL,
    run_id      INTEGER NOT NULL, -- the run executing the activity now: root_run or a recovery run
    state       TEXT    NOT NULL DEFAULT 'open' CHECK (state IN ('open', 'claimed', 'done', 'failed')),
    claimed_by  TEXT    NOT NULL DEFAULT '',
    lease_until TEXT,             -- while claimed: the claim lapses after it
    attempts    INTEGER NOT NULL DEFAULT 0, -- claims so far
    result      TEXT    NOT NULL DEFAULT '{}', -- the bucket's counts, as JSON, once done
    error       TEXT    NOT NULL DEFAULT '',
    updated_at  TEXT    NOT NULL,
    PRIMARY KEY (root_run, activity, bucket)
) STRICT;

CREATE INDEX run_buckets_run ON run_buckets (run_id, state);
