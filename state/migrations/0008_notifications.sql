-- 0008: the notification outbox. When a run ends in an outcome a notify
-- block of its task listens for (the applied definition's notify[N].on),
-- the transaction that ends the run adds one row per block; a dispatcher
-- delivers it, retrying with backoff, and records every attempt. The key
-- travels with the delivery, so a receiver can tell a repeat (a process
-- that died after sending but before recording) from a new notification.

CREATE TABLE notifications (
    id              INTEGER PRIMARY KEY,
    run_id          INTEGER NOT NULL REFERENCES runs (id) ON DELETE CASCADE,
    task            TEXT    NOT NULL,
    block           INTEGER NOT NULL,  -- the task's notify block, from 0
    outcome         TEXT    NOT NULL,  -- the run's final state
    key             TEXT    NOT NULL UNIQUE,
    state           TEXT    NOT NULL CHECK (state IN ('pending', 'delivered', 'failed')),
    created_at      TEXT    NOT NULL,
    next_attempt_at TEXT    NOT NULL,
    claimed_by      TEXT    NOT NULL DEFAULT '',
    claimed_until   TEXT,              -- a dispatcher is delivering it until then
    attempts        TEXT    NOT NULL DEFAULT '[]' CHECK (json_valid(attempts)),
    finished_at     TEXT,              -- delivered, or given up
    UNIQUE (run_id, block)
) STRICT;

-- The dispatcher's question: which pending notifications are due?
CREATE INDEX notifications_due ON notifications (next_attempt_at) WHERE state = 'pending';
