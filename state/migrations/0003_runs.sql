-- 0003: each task's runtime record (lifecycle and next fire time) and its
-- runs. Times are RFC 3339 text in UTC with nine fractional digits, so they
-- compare correctly as text; NULL is "not set".

CREATE TABLE task_runtime (
    task         TEXT PRIMARY KEY,             -- the task's name (definitions.name of kind 'task')
    state        TEXT NOT NULL CHECK (state IN ('active', 'suspended', 'closed')),
    reason       TEXT NOT NULL DEFAULT '',
    by_whom      TEXT NOT NULL DEFAULT '',
    since        TEXT NOT NULL,                -- when state last changed
    next_fire_at TEXT,                         -- NULL: no schedule, or not computed yet
    schedule_key TEXT NOT NULL DEFAULT '',     -- the timing next_fire_at was computed for
    updated_at   TEXT NOT NULL
) STRICT;

-- Tasks applied before this version are active since their last apply.
INSERT INTO task_runtime (task, state, since, updated_at)
SELECT name, 'active', updated_at, updated_at FROM definitions WHERE kind = 'task';

CREATE TABLE runs (
    id               INTEGER PRIMARY KEY AUTOINCREMENT,
    task             TEXT NOT NULL,            -- follows the task when it is moved
    "trigger"        TEXT NOT NULL,            -- schedule, manual, after, retry, recovery
    triggered_by     TEXT NOT NULL DEFAULT '',
    mode             TEXT NOT NULL,            -- full, preview, dry_run
    revision         TEXT NOT NULL DEFAULT '',
    serial           INTEGER NOT NULL DEFAULT 0,
    state            TEXT NOT NULL CHECK (state IN ('queued', 'running', 'succeeded', 'partial',
                                                    'failed', 'cancelled', 'interrupted', 'skipped')),
    priority         INTEGER NOT NULL DEFAULT 0,
    exclusive        INTEGER NOT NULL DEFAULT 0 CHECK (exclusive IN (0, 1)),
    attempt          INTEGER NOT NULL DEFAULT 1,
    retry_of         INTEGER REFERENCES runs (id),  -- NULL: a first run
    scheduled_at     TEXT NOT NULL,            -- claimable from then on
    created_at       TEXT NOT NULL,
    started_at       TEXT,
    finished_at      TEXT,
    deadline         TEXT,
    claimed_by       TEXT NOT NULL DEFAULT '', -- worker "host:pid:n"
    heartbeat_at     TEXT,
    cancel_requested INTEGER NOT NULL DEFAULT 0 CHECK (cancel_requested IN (0, 1)),
    error            TEXT NOT NULL DEFAULT '',
    note             TEXT NOT NULL DEFAULT '',
    activities       TEXT NOT NULL DEFAULT '[]' CHECK (json_valid(activities)),
    checkpoint       TEXT CHECK (checkpoint IS NULL OR json_valid(checkpoint)),
    CHECK (state <> 'running' OR (claimed_by <> '' AND started_at IS NOT NULL))
) STRICT;

-- Claiming: the due queued runs, then the best priority among them.
CREATE INDEX runs_claim ON runs (state, scheduled_at, priority);
-- A task's runs, newest first.
CREATE INDEX runs_task ON runs (task, id DESC);
-- Is a run of this task running? (exclusive claims, recovery)
CREATE INDEX runs_running ON runs (task) WHERE state = 'running';
