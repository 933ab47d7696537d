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
	running, err := queryRuns(ctx, s.db, `SELECT `+runColumns+` FROM runs WHERE state = 'running' ORDER BY id`)
	if err != nil {
		return nil, s.fail("recover", err, "")
	}
	victims := gone(running, staleBefore, isDead)
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

// gone picks the runs whose worker stopped: a stale heartbeat, or a
// worker isDead says is dead.
func gone(running []Run, staleBefore time.Time, isDead func(string) bool) []Run {
	dead := map[string]bool{}
	var out []Run
	for _, r := range running {
		d, known := dead[r.ClaimedBy]
		if !known {
			d = isDead != nil && isDead(r.ClaimedBy)
			dead[r.ClaimedBy] = d
		}
		if d || r.HeartbeatAt.Before(staleBefore) {
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
