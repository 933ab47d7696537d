-- 0012: the queued runs in the order claims take them. The claim asks
-- for the best due queued run (priority, then scheduled time, then ID);
-- with only runs_claim (state, scheduled_at, priority) it read and
-- sorted every due queued run on every claim, so with 10,000 queued a
-- claim took tens of milliseconds and three nodes draining them took
-- minutes. With this index a claim walks the queued runs in its own
-- order and stops at the first it may claim.
CREATE INDEX runs_queued ON runs (priority DESC, scheduled_at, id) WHERE state = 'queued';
