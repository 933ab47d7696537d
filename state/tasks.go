package state

import (
	"context"
	"database/sql"
	"fmt"
	"time"
)

// TaskRuntimes returns every task's runtime record — active, suspended
// and closed — sorted by task name.
func (s *Store) TaskRuntimes(ctx context.Context) ([]TaskRuntime, error) {
	var out []TaskRuntime
	err := s.read(ctx, func(tx *sql.Tx) error {
		rows, err := tx.QueryContext(ctx, `SELECT `+taskRuntimeColumns+` FROM task_runtime ORDER BY task`)
		if err != nil {
			return err
		}
		defer rows.Close()
		for rows.Next() {
			rt, err := scanTaskRuntime(rows)
			if err != nil {
				return err
			}
			out = append(out, *rt)
		}
		return rows.Err()
	})
	if err != nil {
		return nil, s.fail("tasks", err, "")
	}
	return out, nil
}

// TaskRuntime returns one task's runtime record; a task no apply has
// stored is an UnknownTaskError.
func (s *Store) TaskRuntime(ctx context.Context, task string) (*TaskRuntime, error) {
	rt, err := readTaskRuntime(ctx, s.db, task)
	if err != nil {
		return nil, s.fail("tasks", err, "")
	}
	return rt, nil
}

// TaskSuspend suspends an active task, recording why and by whom: the
// scheduler stops firing it, manual runs are refused, and its queued runs
// wait (they are not claimed) until it is resumed. A task that is not
// active is a TaskStateError.
func (s *Store) TaskSuspend(ctx context.Context, task, reason, by string) error {
	err := s.writeTx(ctx, func(w *writeTx) error {
		return w.setTaskState(task, "suspend", TaskActive, TaskSuspended, reason, by)
	})
	if err != nil {
		return s.fail("suspend", err, "")
	}
	return nil
}

// TaskResume makes a suspended task active again; a task that is not
// suspended is a TaskStateError. The next fire time is kept: when it
// passed while the task was suspended, the scheduler's misfire policy
// decides what happens.
func (s *Store) TaskResume(ctx context.Context, task, by string) error {
	err := s.writeTx(ctx, func(w *writeTx) error {
		return w.setTaskState(task, "resume", TaskSuspended, TaskActive, "", by)
	})
	if err != nil {
		return s.fail("resume", err, "")
	}
	return nil
}

// setTaskState moves task from state from to state to for action.
func (w *writeTx) setTaskState(task, action string, from, to TaskState, reason, by string) error {
	rt, err := readTaskRuntime(w.ctx, w.tx, task)
	if err != nil {
		return err
	}
	if rt.State != from {
		return rt.stateError(action, from)
	}
	now := formatTime(w.now)
	_, err = w.exec(`UPDATE task_runtime SET state = ?, reason = ?, by_whom = ?, since = ?, updated_at = ?
WHERE task = ?`, to, reason, by, now, now, task)
	return err
}

// stateError says rt is not in state want for action.
func (rt *TaskRuntime) stateError(action string, want TaskState) *TaskStateError {
	return &TaskStateError{Task: rt.Task, Action: action, State: rt.State, Want: want,
		By: rt.By, Reason: rt.Reason, Since: rt.Since}
}

const taskRuntimeColumns = `task, state, reason, by_whom, since, next_fire_at, schedule_key, updated_at`

func readTaskRuntime(ctx context.Context, q queryer, task string) (*TaskRuntime, error) {
	rows, err := q.QueryContext(ctx, `SELECT `+taskRuntimeColumns+` FROM task_runtime WHERE task = ?`, task)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	if !rows.Next() {
		if err := rows.Err(); err != nil {
			return nil, err
		}
		return nil, &UnknownTaskError{Task: task}
	}
	return scanTaskRuntime(rows)
}

func scanTaskRuntime(rows *sql.Rows) (*TaskRuntime, error) {
	var (
		rt    TaskRuntime
		times [3]sql.NullString
	)
	err := rows.Scan(&rt.Task, &rt.State, &rt.Reason, &rt.By, &times[0], &times[1], &rt.ScheduleKey, &times[2])
	if err != nil {
		return nil, err
	}
	for i, f := range []*time.Time{&rt.Since, &rt.NextFireAt, &rt.UpdatedAt} {
		if *f, err = parseNullTime(times[i]); err != nil {
			return nil, fmt.Errorf("task %s: %w", rt.Task, err)
		}
	}
	return &rt, nil
}
