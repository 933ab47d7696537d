package state

import (
	"context"
	"time"
)

// RunEnqueue stores a new run and returns it as stored, with its ID and
// CreatedAt. The run is queued unless r.State says otherwise (a run that
// was due but is recorded as skipped, say); a new run may be queued or
// final, never running. Defaults: CreatedAt is the store's clock,
// ScheduledAt is CreatedAt, Mode is "full", Attempt is 1; a final run's
// FinishedAt is CreatedAt. The ID, StartedAt, ClaimedBy, HeartbeatAt and
// CancelRequested of r are ignored: a new run has never been claimed.
//
// The task must have been applied (UnknownTaskError). A queued run needs
// an active task, except a retry or recovery (RetryOf set), which only
// needs the task not to be closed; otherwise it is a TaskStateError. A
// queued run of a suspended task waits, unclaimed, until it is resumed.
func (s *Store) RunEnqueue(ctx context.Context, r Run) (*Run, error) {
	var stored Run
	err := s.writeTx(ctx, func(w *writeTx) error {
		if err := w.checkEnqueue(&r); err != nil {
			return err
		}
		var err error
		stored, err = w.insertRun(r)
		return err
	})
	if err != nil {
		return nil, s.fail("enqueue", err, "")
	}
	return &stored, nil
}

// RunEnqueueIfIdle is RunEnqueue when r's task has no run queued or
// running, checked in the same write transaction; otherwise it stores
// nothing and returns nil. Processes that each keep one run of a task
// going — the long-lived consumers of several serve nodes — queue it once.
func (s *Store) RunEnqueueIfIdle(ctx context.Context, r Run) (*Run, error) {
	var stored *Run
	err := s.writeTx(ctx, func(w *writeTx) error {
		if err := w.checkEnqueue(&r); err != nil {
			return err
		}
		active, err := listActiveRuns(w.ctx, w.tx, r.Task)
		if err != nil || len(active) > 0 {
			return err
		}
		run, err := w.insertRun(r)
		stored = &run
		return err
	})
	if err != nil {
		return nil, s.fail("enqueue", err, "")
	}
	return stored, nil
}

// checkEnqueue refuses a run its task cannot take now.
func (w *writeTx) checkEnqueue(r *Run) error {
	if r.Task == "" {
		return invalidRun("a run needs a task")
	}
	rt, err := readTaskRuntime(w.ctx, w.tx, r.Task)
	if err != nil {
		return err
	}
	if r.State != "" && r.State != RunQueued {
		return nil // recorded, never run
	}
	switch {
	case rt.State == TaskClosed:
		return rt.stateError("run", TaskActive)
	case rt.State == TaskSuspended && r.RetryOf == 0:
		return rt.stateError("run", TaskActive)
	}
	return nil
}

// insertFollowUp stores a run created by the end of another (a retry, a
// run triggered by after). Its task may have been removed meanwhile: a
// queued follow-up of a closed task is stored cancelled, with a note, so
// it is neither run nor lost.
func (w *writeTx) insertFollowUp(r Run) (Run, error) {
	if r.Task == "" {
		return Run{}, invalidRun("a run needs a task")
	}
	rt, err := readTaskRuntime(w.ctx, w.tx, r.Task)
	if err != nil {
		return Run{}, err
	}
	if rt.State == TaskClosed && (r.State == "" || r.State == RunQueued) {
		r.State, r.Note, r.FinishedAt = RunCancelled, removedNote, time.Time{}
	}
	return w.insertRun(r)
}

// insertRun fills in r's defaults and stores it.
func (w *writeTx) insertRun(r Run) (Run, error) {
	if err := w.prepareRun(&r); err != nil {
		return Run{}, err
	}
	activities, err := encodeActivities(r.Activities)
	if err != nil {
		return Run{}, err
	}
	checkpoint, err := encodeCheckpoint(r.Checkpoint)
	if err != nil {
		return Run{}, err
	}
	var retryOf any // NULL for a first run
	if r.RetryOf != 0 {
		retryOf = r.RetryOf
	}
	runs, err := w.queryRuns(`INSERT INTO runs (task, "trigger", triggered_by, mode, revision, serial, state,
    priority, exclusive, attempt, retry_of, scheduled_at, created_at, finished_at, deadline, error, note,
    activities, checkpoint)
VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
RETURNING `+runColumns,
		r.Task, r.Trigger, r.TriggeredBy, r.Mode, r.Revision, r.Serial, r.State,
		r.Priority, r.Exclusive, r.Attempt, retryOf, formatTime(r.ScheduledAt), formatTime(r.CreatedAt),
		nullTime(r.FinishedAt), nullTime(r.Deadline), r.Error, r.Note, activities, checkpoint)
	if err != nil {
		return Run{}, err
	}
	return runs[0], nil
}

// prepareRun checks a new run and fills in its defaults.
func (w *writeTx) prepareRun(r *Run) error {
	switch {
	case r.Task == "":
		return invalidRun("a run needs a task")
	case r.Trigger == "":
		return invalidRun("a run of %s needs a trigger", r.Task)
	case r.State == "":
		r.State = RunQueued
	case r.State == RunRunning:
		return invalidRun("a run of %s cannot be created running: it is claimed from the queue", r.Task)
	case !knownRunState(r.State):
		return invalidRun("unknown run state %q", r.State)
	}
	if r.Mode == "" {
		r.Mode = "full"
	}
	if r.Attempt <= 0 {
		r.Attempt = 1
	}
	if r.CreatedAt.IsZero() {
		r.CreatedAt = w.now
	}
	if r.ScheduledAt.IsZero() {
		r.ScheduledAt = r.CreatedAt
	}
	if r.State.Final() && r.FinishedAt.IsZero() {
		r.FinishedAt = r.CreatedAt
	}
	return nil
}

func knownRunState(s RunState) bool {
	switch s {
	case RunQueued, RunRunning, RunSucceeded, RunPartial, RunFailed, RunCancelled, RunInterrupted, RunSkipped:
		return true
	}
	return false
}
