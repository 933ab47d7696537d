-- 0005: an apply synced from a branch that was force-pushed records the
-- revision it replaced, which is not an ancestor of its own; '' otherwise.

ALTER TABLE applies ADD COLUMN forced_over TEXT NOT NULL DEFAULT '';
