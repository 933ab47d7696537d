package state

import (
	"context"
	"fmt"
	"time"
)

// RunRecover ends the runs whose worker is gone: every running run
// whose last heartbeat is before staleBefore, or whose worker isDead
// reports dead (isDead may be nil), becomes interrupted, finished at now,
// with an error naming the worker and its last heartbeat — or cancelled,
// when someone asked to cancel it, and then it is not requeued. It returns
// those runs, so the engine can queue their recovery runs; to queue them
// in the same transaction, use RunRecoverAndRequeue.
//
// isDead is called outside any transaction, once per worker. A run whose
// heartbeat moves on between that check and the update is left running.
func (s *Store) RunRecover(ctx context.Context, now, staleBefore time.Time, isDead func(worker string) bool) ([]Run, error) {
	return s.RunRecoverAndRequeue(ctx, now, staleBefore, isDead, nil)
}

// RunRecoverAndRequeue is RunRecover that also stores, in the same
// transaction, the runs requeue returns for each interrupted run (its
// recovery run, typically), as RunFinish stores follow-ups: a crash
// either keeps the interruption and its recovery run or neither. requeue
// may be nil; it must not use the store.
func (s *Store) RunRecoverAndRequeue(ctx context.Context, now, staleBefore time.Time,
	isDead func(worker string) bool, requeue func(interrupted Run) []Run) ([]Run, error) {
	judge := func(worker string) WorkerState {
		if isDead != nil && isDead(worker) {
			return WorkerDead
		}
		return WorkerUnknown
	}
	return s.RunRecoverJudging(ctx, now, staleBefore, judge, requeue)
}

// WorkerState is what the process recovering runs knows of a run's
// worker.
type WorkerState int

const (
	// WorkerUnknown: the worker is judged by its run's heartbeat.
	WorkerUnknown WorkerState = iota
	// WorkerAlive: the worker is known to be running (the recovering
	// process's own), so its runs are left alone however late their
	// heartbeat is — a process paused or a clock that jumped is not dead.
	WorkerAlive
	// WorkerDead: the worker is known to be gone; its runs are recovered
	// whatever their heartbeat says.
	WorkerDead
)

// RunRecoverJudging is RunRecoverAndRequeue with each worker judged by
// judge (nil: every worker by its heartbeat), called outside any
// transaction, once per worker.
func (s *Store) RunRecoverJudging(ctx context.Context, now, staleBefore time.Time,
	judge func(worker string) WorkerState, requeue func(interrupted Run) []Run) ([]Run, error) {
	running, err := queryRuns(ctx, s.db, `SELECT `+runColumns+` FROM runs WHERE state = 'running' ORDER BY id`)
	if err != nil {
		return nil, s.fail("recover", err, "")
	}
	victims := gone(running, staleBefore, judge)
	if len(victims) == 0 {
		return nil, nil
	}
	var recovered []Run
	err = s.writeTx(ctx, func(w *writeTx) error {
		var err error
		recovered, err = w.recover(victims, w.nowOr(now), requeue)
		return err
	})
	if err != nil {
		return nil, s.fail("recover", err, "")
	}
	return recovered, nil
}

// recover interrupts victims and stores what requeue makes of each.
func (w *writeTx) recover(victims []Run, now time.Time, requeue func(Run) []Run) ([]Run, error) {
	var recovered []Run
	for _, r := range victims {
		runs, err := w.interrupt(r, now)
		if err != nil {
			return nil, err
		}
		if err := w.notifyOutcomes(runs); err != nil {
			return nil, err
		}
		for _, ir := range runs {
			recovered = append(recovered, ir)
			if requeue == nil || ir.State != RunInterrupted {
				continue
			}
			for _, f := range requeue(ir) {
				if _, err := w.insertFollowUp(f); err != nil {
					return nil, err
				}
			}
		}
	}
	return recovered, nil
}

// gone picks the runs whose worker stopped: a worker judge says is dead,
// or one it knows nothing of with a stale heartbeat.
func gone(running []Run, staleBefore time.Time, judge func(string) WorkerState) []Run {
	judged := map[string]WorkerState{}
	var out []Run
	for _, r := range running {
		ws, known := judged[r.ClaimedBy]
		if !known && judge != nil {
			ws = judge(r.ClaimedBy)
			judged[r.ClaimedBy] = ws
		}
		if ws == WorkerDead || (ws == WorkerUnknown && r.HeartbeatAt.Before(staleBefore)) {
			out = append(out, r)
		}
	}
	return out
}

// interrupt marks r interrupted unless it moved on since it was read.
//
// A run someone asked to cancel is not resumed: it ends cancelled, which
// the same statement decides, so a request that arrives meanwhile counts.
func (w *writeTx) interrupt(r Run, now time.Time) ([]Run, error) {
	stopped := fmt.Sprintf("worker %s stopped (heartbeat at %s)",
		r.ClaimedBy, r.HeartbeatAt.UTC().Format(time.RFC3339))
	return w.queryRuns(`UPDATE runs SET
  state = CASE WHEN cancel_requested = 1 THEN 'cancelled' ELSE 'interrupted' END,
  finished_at = ?,
  error = CASE WHEN cancel_requested = 1 THEN ? ELSE ? END
WHERE id = ? AND state = 'running' AND claimed_by = ? AND heartbeat_at IS NOT DISTINCT FROM ?
RETURNING `+runColumns, formatTime(now),
		"cancelled: a cancel was requested, and the "+stopped+" before the run stopped",
		"interrupted: "+stopped,
		r.ID, r.ClaimedBy, nullTime(r.HeartbeatAt))
}
