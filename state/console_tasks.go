package state

import (
	"context"
	"database/sql"
	"fmt"
	"time"
)

// TaskRow is one task as the console's grid lists it: its runtime record,
// whether a run of it is queued or running, and its last run.
type TaskRow struct {
	TaskRuntime
	// Busy is RunRunning when a run of the task is running, else
	// RunQueued when one is queued, else "".
	Busy RunState
	// LastRun is the newest run that started (as RunLatestByTask has
	// it), without its Activities and Checkpoint; nil when none did.
	LastRun *Run
}

// taskRowsQuery reads every task's runtime with its last started run, in
// one statement: the runs_task index finds each task's newest started
// run without reading the others' activities.
const taskRowsQuery = `SELECT t.task, t.state, t.reason, t.by_whom, t.since, t.next_fire_at, t.schedule_key, t.updated_at,
    r.id, r."trigger", r.triggered_by, r.mode, r.revision, r.state, r.created_at, r.started_at, r.finished_at, r.error
FROM task_runtime t
LEFT JOIN runs r ON r.id = (SELECT o.id FROM runs o WHERE o.task = t.task AND o.started_at IS NOT NULL
    ORDER BY o.id DESC LIMIT 1)
ORDER BY t.task`

// TaskRows returns every task's row — active, suspended and closed —
// sorted by task name, read in one transaction with two statements
// whatever the number of tasks. It only reads.
func (s *Store) TaskRows(ctx context.Context) ([]TaskRow, error) {
	out, _, err := s.TaskRowsPage(ctx, 0, 0)
	return out, err
}

// TaskRowsPage returns limit task rows from offset (every row when limit
// <= 0) in the order of TaskRows, and how many tasks there are in all:
// one page of the grid costs its rows, not every task's.
func (s *Store) TaskRowsPage(ctx context.Context, offset, limit int) ([]TaskRow, int, error) {
	var (
		out   []TaskRow
		total int
	)
	err := s.read(ctx, func(tx *sql.Tx) error {
		if err := tx.QueryRowContext(ctx, `SELECT count(*) FROM task_runtime`).Scan(&total); err != nil {
			return err
		}
		var err error
		if out, err = readTaskRows(ctx, tx, total, offset, limit); err != nil {
			return err
		}
		return markBusy(ctx, tx, out)
	})
	if err != nil {
		return nil, 0, s.fail("tasks", err, "")
	}
	return out, total, nil
}

func readTaskRows(ctx context.Context, tx *sql.Tx, total, offset, limit int) ([]TaskRow, error) {
	query, args, n := taskRowsQuery, []any(nil), total
	if limit > 0 {
		query, args = query+` LIMIT ? OFFSET ?`, []any{limit, max(offset, 0)}
		n = min(max(total-max(offset, 0), 0), limit)
	}
	rows, err := tx.QueryContext(ctx, query, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := make([]TaskRow, 0, n)
	var ( // scanned into, row after row
		times [6]sql.NullString
		id    sql.NullInt64
		run   struct{ trigger, by, mode, revision, state, errMsg sql.NullString }
	)
	for rows.Next() {
		out = append(out, TaskRow{})
		row := &out[len(out)-1]
		rt := &row.TaskRuntime
		err := rows.Scan(&rt.Task, &rt.State, &rt.Reason, &rt.By, &times[0], &times[1], &rt.ScheduleKey, &times[2],
			&id, &run.trigger, &run.by, &run.mode, &run.revision, &run.state, &times[3], &times[4], &times[5], &run.errMsg)
		if err != nil {
			return nil, err
		}
		for i, f := range []*time.Time{&rt.Since, &rt.NextFireAt, &rt.UpdatedAt} {
			if *f, err = parseNullTime(times[i]); err != nil {
				return nil, fmt.Errorf("task %s: %w", rt.Task, err)
			}
		}
		if id.Valid {
			r := &Run{ID: id.Int64, Task: rt.Task, Trigger: Trigger(run.trigger.String), TriggeredBy: run.by.String,
				Mode: run.mode.String, Revision: run.revision.String, State: RunState(run.state.String), Error: run.errMsg.String}
			for i, f := range []*time.Time{&r.CreatedAt, &r.StartedAt, &r.FinishedAt} {
				if *f, err = parseNullTime(times[3+i]); err != nil {
					return nil, fmt.Errorf("run %d: %w", r.ID, err)
				}
			}
			row.LastRun = r
		}
	}
	return out, rows.Err()
}

// markBusy sets the Busy of the rows whose task has a queued or running
// run.
func markBusy(ctx context.Context, tx *sql.Tx, out []TaskRow) error {
	rows, err := tx.QueryContext(ctx, `SELECT task, state FROM runs WHERE state IN ('queued', 'running')`)
	if err != nil {
		return err
	}
	defer rows.Close()
	busy := map[string]RunState{}
	for rows.Next() {
		var (
			task string
			st   RunState
		)
		if err := rows.Scan(&task, &st); err != nil {
			return err
		}
		if busy[task] != RunRunning {
			busy[task] = st
		}
	}
	if err := rows.Err(); err != nil {
		return err
	}
	for i := range out {
		out[i].Busy = busy[out[i].Task]
	}
	return nil
}
