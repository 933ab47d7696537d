-- 0005: the revision a force-pushed sync replaced.

ALTER TABLE applies ADD COLUMN forced_over TEXT COLLATE "C" NOT NULL DEFAULT '';
