package state

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"time"
)

// A worker reports on the run it claimed with Heartbeat, RunSaveProgress and
// RunFinish. Each applies only while the run is still running under that
// worker; otherwise (recovery interrupted it meanwhile, say) it changes
// nothing and returns a RunStateError, and the worker should stop.

// RunHeartbeat records that worker still runs run id, at now, and reports
// whether someone asked for the run to be cancelled.
//
// On PostgreSQL the heartbeat waits for no other writer (see rowTx): it
// writes one row, and a heartbeat that queued behind other nodes' batches
// for the schema's write lock arrived late enough for recovery to judge a
// live worker stopped. Recovery's interrupt is conditional on the very
// heartbeat it read, so it and a heartbeat racing for the row are ordered
// by the row's lock: the later one sees the other's write.
func (s *Store) RunHeartbeat(ctx context.Context, id int64, worker string, now time.Time) (cancelRequested bool, err error) {
	err = s.rowTx(ctx, func(w *writeTx) error {
		err := w.queryRow(`UPDATE runs SET heartbeat_at = ?
WHERE id = ? AND state = 'running' AND claimed_by = ? RETURNING cancel_requested`,
			[]any{formatTime(w.nowOr(now)), id, worker}, &cancelRequested)
		if errors.Is(err, sql.ErrNoRows) {
			return w.notHeld(id, worker)
		}
		return err
	})
	if err != nil {
		return false, s.fail("heartbeat", err, "")
	}
	return cancelRequested, nil
}

// RunSaveProgress stores the progress of run id: its activities so far
// (each keeping at most MaxItemErrors item errors) and the checkpoint a
// recovery run would resume from. A nil activities or checkpoint leaves
// the stored one as it is; a checkpoint of JSON null removes it.
func (s *Store) RunSaveProgress(ctx context.Context, id int64, worker string, activities []ActivityResult, checkpoint json.RawMessage) error {
	err := s.writeTx(ctx, func(w *writeTx) error {
		acts, err := activitiesArg(activities)
		if err != nil {
			return err
		}
		cp, err := encodeCheckpoint(checkpoint)
		if err != nil {
			return err
		}
		res, err := w.exec(`UPDATE runs SET activities = coalesce(?, activities),
    checkpoint = CASE WHEN ? = 1 THEN ? ELSE checkpoint END
WHERE id = ? AND state = 'running' AND claimed_by = ?`, acts, checkpoint != nil, cp, id, worker)
		return w.heldIf(res, err, id, worker)
	})
	if err != nil {
		return s.fail("progress", err, "")
	}
	return nil
}

// RunFinish ends run id in state final (a final state), with its error
// message, activities (nil keeps those saved last) and finish time (zero:
// the store's clock), and stores followUps — retries, runs triggered by
// after — in the same transaction: a crash either loses the finish and
// the follow-ups together, leaving the run to recovery, or keeps both. A
// queued follow-up whose task was removed meanwhile is stored cancelled.
func (s *Store) RunFinish(ctx context.Context, id int64, worker string, final RunState, errMsg string,
	activities []ActivityResult, finishedAt time.Time, followUps []Run) error {
	return s.RunFinishDeciding(ctx, id, worker, final, errMsg, activities, finishedAt, followUps, nil)
}

// DecideFollowUps decides, from reads that see the state as the finish
// leaves it, more follow-up runs of the finished run: RunFinishDeciding
// calls it inside the finish's write transaction.
type DecideFollowUps func(ctx context.Context, reads RunReads, finished *Run) ([]Run, error)

// RunFinishDeciding is RunFinish that also stores the runs decide returns,
// deciding them in the same write transaction, after the run is recorded
// finished. Write transactions take turns (SQLite's BEGIN IMMEDIATE, the
// schema's advisory lock on PostgreSQL), so two runs finishing at once —
// in one process or on two hosts — decide one after the other, each
// seeing the other's finish and follow-ups: two prerequisites of an after
// finishing together trigger their dependent once. decide may be nil and
// must not use the store itself (its write would wait for this one). An
// error from decide fails the finish, which then changes nothing.
func (s *Store) RunFinishDeciding(ctx context.Context, id int64, worker string, final RunState, errMsg string,
	activities []ActivityResult, finishedAt time.Time, followUps []Run, decide DecideFollowUps) error {
	err := s.writeTx(ctx, func(w *writeTx) error {
		finished, err := w.finish(id, worker, final, errMsg, activities, finishedAt)
		if err != nil {
			return err
		}
		runs := followUps
		if decide != nil {
			more, err := decide(ctx, txReads{w}, finished)
			if err != nil {
				return err
			}
			runs = append(runs[:len(runs):len(runs)], more...)
		}
		for _, r := range runs {
			if _, err := w.insertFollowUp(r); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return s.fail("finish", err, "")
	}
	return nil
}

// finish records run id's end and returns the run as stored.
func (w *writeTx) finish(id int64, worker string, final RunState, errMsg string,
	activities []ActivityResult, finishedAt time.Time) (*Run, error) {
	if !knownRunState(final) || !final.Final() {
		return nil, invalidRun("run %d cannot finish as %q: that is not a final state", id, final)
	}
	acts, err := activitiesArg(activities)
	if err != nil {
		return nil, err
	}
	runs, err := w.queryRuns(`UPDATE runs SET state = ?, error = ?, finished_at = ?, activities = coalesce(?, activities)
WHERE id = ? AND state = 'running' AND claimed_by = ?
RETURNING `+runColumns, final, errMsg, formatTime(w.nowOr(finishedAt)), acts, id, worker)
	if err != nil {
		return nil, err
	}
	if len(runs) == 0 {
		return nil, w.notHeld(id, worker)
	}
	return &runs[0], w.notifyOutcomes(runs)
}

// activitiesArg is the activities column for a report: NULL (keep the
// stored ones) for nil.
func activitiesArg(activities []ActivityResult) (any, error) {
	if activities == nil {
		return nil, nil
	}
	return encodeActivities(activities)
}

// heldIf turns an update of run id that matched no row into the reason.
func (w *writeTx) heldIf(res sql.Result, err error, id int64, worker string) error {
	if err != nil {
		return err
	}
	n, err := res.RowsAffected()
	if err != nil || n == 1 {
		return err
	}
	return w.notHeld(id, worker)
}

// notHeld explains why run id is not running under worker.
func (w *writeTx) notHeld(id int64, worker string) error {
	r, err := w.readRun(id)
	if err != nil {
		return err
	}
	return &RunStateError{ID: id, State: r.State, Want: RunRunning, Worker: worker, ClaimedBy: r.ClaimedBy}
}
