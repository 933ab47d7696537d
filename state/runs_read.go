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
	runs, err := listRuns(ctx, s.db, f)
	if err != nil {
		return nil, s.fail("runs", err, "")
	}
	return runs, nil
}

func listRuns(ctx context.Context, q queryer, f RunFilter) ([]Run, error) {
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
	return queryRuns(ctx, q, query+" ORDER BY id DESC LIMIT ?", append(args, limit)...)
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
	runs, err := listActiveRuns(ctx, s.db, task)
	if err != nil {
		return nil, s.fail("runs", err, "")
	}
	return runs, nil
}

func listActiveRuns(ctx context.Context, q queryer, task string) ([]Run, error) {
	return queryRuns(ctx, q, `SELECT `+runColumns+` FROM runs
WHERE task = ? AND state IN ('queued', 'running') ORDER BY id`, task)
}

// RunLastSucceeded returns task's newest (highest ID) succeeded run, or nil
// when it has none.
func (s *Store) RunLastSucceeded(ctx context.Context, task string) (*Run, error) {
	r, err := lastSucceededRun(ctx, s.db, task)
	if err != nil {
		return nil, s.fail("runs", err, "")
	}
	return r, nil
}

func lastSucceededRun(ctx context.Context, q queryer, task string) (*Run, error) {
	return queryRun(ctx, q, `SELECT `+runColumns+` FROM runs
WHERE task = ? AND state = 'succeeded' ORDER BY id DESC LIMIT 1`, task)
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

// RunReads are the reads of runs and task runtime a finishing run's
// follow-ups are decided from. The Store implements them, each read on
// its own; RunFinishDeciding passes ones that read inside the finish's
// write transaction, so a decision and the runs it stores are one step
// for every process sharing the state.
type RunReads interface {
	TaskRuntime(ctx context.Context, task string) (*TaskRuntime, error)
	RunList(ctx context.Context, f RunFilter) ([]Run, error)
	RunListActive(ctx context.Context, task string) ([]Run, error)
	RunLastSucceeded(ctx context.Context, task string) (*Run, error)
}

var (
	_ RunReads = (*Store)(nil)
	_ RunReads = txReads{}
)

// txReads are RunReads inside a write transaction: they see its own
// writes, and no other writer's until it ends.
type txReads struct{ w *writeTx }

func (r txReads) TaskRuntime(ctx context.Context, task string) (*TaskRuntime, error) {
	return readTaskRuntime(ctx, r.w.tx, task)
}

func (r txReads) RunList(ctx context.Context, f RunFilter) ([]Run, error) {
	return listRuns(ctx, r.w.tx, f)
}

func (r txReads) RunListActive(ctx context.Context, task string) ([]Run, error) {
	return listActiveRuns(ctx, r.w.tx, task)
}

func (r txReads) RunLastSucceeded(ctx context.Context, task string) (*Run, error) {
	return lastSucceededRun(ctx, r.w.tx, task)
}
