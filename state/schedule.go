package state

import (
	"context"
	"time"
)

// TaskAdvanceSchedule records that the scheduler fired task's schedule: in
// one transaction it moves the task's next fire time from expectNext to
// newNext (the zero time stands for "none" on both sides), sets its
// schedule key, and stores runs — the runs this fire produced, queued or
// skipped as each says, for task (a run with no Task gets it).
//
// It is a compare-and-set: when the stored next fire time is not
// expectNext — another scheduler fired it first, an apply reset it — or
// the task has been closed, TaskAdvanceSchedule changes nothing and returns
// false; the scheduler then reads the task again. So each fire time
// produces its runs exactly once, across schedulers and crashes. A task
// no apply has stored is an UnknownTaskError.
//
// The task's state is not checked otherwise: a scheduler that advances a
// suspended task's schedule records its due runs as skipped (queued ones
// would wait, unclaimed, until the task is resumed).
func (s *Store) TaskAdvanceSchedule(ctx context.Context, task string, expectNext, newNext time.Time, key string, runs []Run) (bool, error) {
	advanced := false
	err := s.writeTx(ctx, func(w *writeTx) error {
		var err error
		advanced, err = w.advanceSchedule(task, expectNext, newNext, key, runs)
		return err
	})
	if err != nil {
		return false, s.fail("schedule", err, "")
	}
	return advanced, nil
}

func (w *writeTx) advanceSchedule(task string, expectNext, newNext time.Time, key string, runs []Run) (bool, error) {
	for i := range runs {
		if runs[i].Task != "" && runs[i].Task != task {
			return false, invalidRun("a run of %s cannot be stored by the schedule of %s", runs[i].Task, task)
		}
	}
	res, err := w.exec(`UPDATE task_runtime SET next_fire_at = ?, schedule_key = ?, updated_at = ?
WHERE task = ? AND next_fire_at IS NOT DISTINCT FROM ? AND state <> 'closed'`,
		nullTime(newNext), key, formatTime(w.now), task, nullTime(expectNext))
	if err != nil {
		return false, err
	}
	n, err := res.RowsAffected()
	if err != nil {
		return false, err
	}
	if n == 0 {
		return false, w.taskExists(task)
	}
	for _, r := range runs {
		r.Task = task
		if _, err := w.insertRun(r); err != nil {
			return false, err
		}
	}
	return true, nil
}

// taskExists returns an UnknownTaskError when task has no runtime record.
func (w *writeTx) taskExists(task string) error {
	_, err := readTaskRuntime(w.ctx, w.tx, task)
	return err
}
