package state

import (
	"context"
	"time"
)

// RunCounts is how many runs wait for a worker and how many run, at one
// moment: what engine/metrics reports as the queue depth.
type RunCounts struct {
	Due     int64 // queued and scheduled at or before now: claimable, or held by their task's concurrency or suspension
	Later   int64 // queued and scheduled after now: a retry's backoff, say
	Running int64
}

// RunCountActive counts the queued and running runs at now, in one read.
// It reads the runs_claim index only, so a scrape stays cheap however long
// the history is.
func (s *Store) RunCountActive(ctx context.Context, now time.Time) (RunCounts, error) {
	var c RunCounts
	at := formatTime(now)
	err := s.db.QueryRowContext(ctx, `SELECT
    count(*) FILTER (WHERE state = 'queued' AND scheduled_at <= ?),
    count(*) FILTER (WHERE state = 'queued' AND scheduled_at > ?),
    count(*) FILTER (WHERE state = 'running')
FROM runs WHERE state IN ('queued', 'running')`, at, at).Scan(&c.Due, &c.Later, &c.Running)
	if err != nil {
		return RunCounts{}, s.fail("runs", err, "")
	}
	return c, nil
}
