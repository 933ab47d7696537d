-- 0012: the queued runs in the order claims take them (see
-- migrations/0012_runs_queued_order.sql).
CREATE INDEX runs_queued ON runs (priority DESC, scheduled_at, id) WHERE state = 'queued';
