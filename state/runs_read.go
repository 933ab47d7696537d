package state

import (
	"context"
	"database/sql"
	"strings"
	"time"
)

// RunGet returns run id; an unknown ID is an UnknownRunError.
func (s *Store) RunGet(ctx context.Context, id int64) (*Run, error) {
	r, err := queryRun(ctx, s.db, `SELECT `+runColumns+` FROM runs WHERE id = ?`, id)
	if err == nil && r == nil {
		err = &UnknownRunError{ID: id}
	}
	if err != nil {
		return nil, s.fail("runs", err, "")
	}
	return r, nil
}

// RunList lists the runs f selects, newest (highest ID) first.
func (s *Store) RunList(ctx context.Context, f RunFilter) ([]Run, error) {
	var (
		where []string
		args  []any
	)
	if f.Task != "" {
		where, args = append(where, "task = ?"), append(args, f.Task)
	}
	if len(f.State) > 0 {
		where = append(where, "state IN (?"+strings.Repeat(", ?", len(f.State)-1)+")")
		for _, st := range f.State {
			args = append(args, st)
		}
	}
	query := `SELECT ` + runColumns + ` FROM runs`
	if len(where) > 0 {
		query += " WHERE " + strings.Join(where, " AND ")
	}
	limit := f.Limit
	if limit <= 0 {
		limit = noLimit
	}
	runs, err := queryRuns(ctx, s.db, query+" ORDER BY id DESC LIMIT ?", append(args, limit)...)
	if err != nil {
		return nil, s.fail("runs", err, "")
	}
	return runs, nil
}

// RunLatestByTask returns, for every task that has one, its newest (highest ID)
// run that has started — running or finished after running — by task
// name: the "last run" of the tasks table. Runs that never started
// (queued, skipped, cancelled while queued) are passed over.
func (s *Store) RunLatestByTask(ctx context.Context) (map[string]Run, error) {
	runs, err := queryRuns(ctx, s.db, `SELECT `+runColumns+` FROM runs WHERE id IN (
    SELECT (SELECT o.id FROM runs o WHERE o.task = t.task AND o.started_at IS NOT NULL
            ORDER BY o.id DESC LIMIT 1)
    FROM task_runtime t)`)
	if err != nil {
		return nil, s.fail("runs", err, "")
	}
	last := make(map[string]Run, len(runs))
	for _, r := range runs {
		last[r.Task] = r
	}
	return last, nil
}

// RunListActive returns task's queued and running runs, oldest first.
func (s *Store) RunListActive(ctx context.Context, task string) ([]Run, error) {
	runs, err := queryRuns(ctx, s.db, `SELECT `+runColumns+` FROM runs
WHERE task = ? AND state IN ('queued', 'running') ORDER BY id`, task)
	if err != nil {
		return nil, s.fail("runs", err, "")
	}
	return runs, nil
}

// RunLastSucceeded returns task's newest (highest ID) succeeded run, or nil
// when it has none.
func (s *Store) RunLastSucceeded(ctx context.Context, task string) (*Run, error) {
	r, err := queryRun(ctx, s.db, `SELECT `+runColumns+` FROM runs
WHERE task = ? AND state = 'succeeded' ORDER BY id DESC LIMIT 1`, task)
	if err != nil {
		return nil, s.fail("runs", err, "")
	}
	return r, nil
}

// RunNextDue returns when the earliest queued run scheduled after now
// becomes claimable (a retry's backoff ending, say), or the zero time when
// none is: a server sets its workers' wake timer to it.
func (s *Store) RunNextDue(ctx context.Context, now time.Time) (time.Time, error) {
	var next sql.NullString
	err := s.db.QueryRowContext(ctx, `SELECT min(scheduled_at) FROM runs
WHERE state = 'queued' AND scheduled_at > ?`, formatTime(now)).Scan(&next)
	if err == nil {
		var at time.Time
		if at, err = parseNullTime(next); err == nil {
			return at, nil
		}
	}
	return time.Time{}, s.fail("runs", err, "")
}
