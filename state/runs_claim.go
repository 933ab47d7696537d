package state

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"
)

// claimable is the condition, on a queued run r, that lets a worker
// claim it: its task is active (the runs of a suspended task wait), and
// it is not exclusive while another run of its task is running.
const claimable = `EXISTS (SELECT 1 FROM task_runtime t WHERE t.task = r.task AND t.state = 'active')
    AND NOT (r.exclusive = 1 AND EXISTS (SELECT 1 FROM runs o WHERE o.task = r.task AND o.state = 'running'))`

// claimNext claims the best claimable run that is due, in one statement:
// highest priority first, then earliest scheduled, then oldest. It walks
// the index runs_queued, which has that order, and stops at the first
// run it may claim; SQLite would otherwise, without statistics, read the
// due runs through runs_claim and sort them all (PostgreSQL: see
// claimInQueueOrder).
const claimNext = `UPDATE runs SET state = 'running', claimed_by = ?, started_at = ?, heartbeat_at = ?
WHERE id = (SELECT r.id FROM runs r INDEXED BY runs_queued
    WHERE r.state = 'queued' AND r.scheduled_at <= ? AND ` + claimable + `
    ORDER BY r.priority DESC, r.scheduled_at, r.id
    LIMIT 1)
RETURNING ` + runColumns

// claimByID claims one queued run if it is claimable, whenever it is
// scheduled.
const claimByID = `UPDATE runs AS r SET state = 'running', claimed_by = ?, started_at = ?, heartbeat_at = ?
WHERE r.id = ? AND r.state = 'queued' AND ` + claimable + `
RETURNING ` + runColumns

// RunClaim hands worker the next run to execute, marking it running,
// started and heartbeating at now: of the queued runs scheduled at or
// before now whose task is active, the one with the highest priority,
// then the earliest ScheduledAt, then the lowest ID. An exclusive run is
// passed over while another run of its task is running. It returns nil,
// nil when no run is claimable.
//
// The claim is one statement, so concurrent claimers — in this process or
// others — never claim the same run, and an exclusive run never starts
// beside another run of its task.
func (s *Store) RunClaim(ctx context.Context, worker string, now time.Time) (*Run, error) {
	if worker == "" {
		return nil, s.fail("claim", invalidRun("a claim needs a worker ID"), "")
	}
	var claimed *Run
	err := s.writeTx(ctx, func(w *writeTx) error {
		if err := s.claimInQueueOrder(w); err != nil {
			return err
		}
		at := formatTime(w.nowOr(now))
		runs, err := w.queryRuns(claimNext, worker, at, at, at)
		if len(runs) > 0 {
			claimed = &runs[0]
		}
		return err
	})
	if err != nil {
		return nil, s.fail("claim", err, "")
	}
	return claimed, nil
}

// claimInQueueOrder has PostgreSQL take the claim's best run by walking
// the index runs_queued in the claim's order, stopping at the first it
// may claim, rather than by sorting every due queued run. With current
// statistics the planner chooses that walk itself; but statistics lag
// behind a burst of queued runs (autovacuum analyzes a table a minute
// or more later, or never when it is off), and then it chose to sort —
// 100 ms to 2.5 s a claim with 10,000 runs queued, the claim holding
// the store's write lock all that time. Forbidding the sort for the
// claim's transaction leaves the walk as the only plan.
func (s *Store) claimInQueueOrder(w *writeTx) error {
	if s.dialect != dialectPostgres {
		return nil
	}
	_, err := w.tx.ExecContext(w.ctx, `SET LOCAL enable_sort = off`)
	return err
}

// RunClaimByID claims run id for worker, as RunClaim would but whenever
// it is scheduled: a foreground "syncline run" enqueues a run and claims
// it at once. A run that is not queued, or exclusive while another run of
// its task is running (BlockedBy), is a RunStateError; a run whose task
// is not active is a TaskStateError; an unknown ID an UnknownRunError.
func (s *Store) RunClaimByID(ctx context.Context, id int64, worker string, now time.Time) (*Run, error) {
	if worker == "" {
		return nil, s.fail("claim", invalidRun("a claim needs a worker ID"), "")
	}
	var claimed *Run
	err := s.writeTx(ctx, func(w *writeTx) error {
		at := formatTime(w.nowOr(now))
		runs, err := w.queryRuns(claimByID, worker, at, at, id)
		if err != nil {
			return err
		}
		if len(runs) == 0 {
			return w.whyNotClaimable(id)
		}
		claimed = &runs[0]
		return nil
	})
	if err != nil {
		return nil, s.fail("claim", err, "")
	}
	return claimed, nil
}

// whyNotClaimable explains why run id could not be claimed.
func (w *writeTx) whyNotClaimable(id int64) error {
	r, err := w.readRun(id)
	if err != nil {
		return err
	}
	if r.State != RunQueued {
		return &RunStateError{ID: id, State: r.State, Want: RunQueued}
	}
	rt, err := readTaskRuntime(w.ctx, w.tx, r.Task)
	if err != nil {
		return err
	}
	if rt.State != TaskActive {
		return rt.stateError("run", TaskActive)
	}
	var running int64
	err = w.queryRow(`SELECT id FROM runs WHERE task = ? AND state = 'running' ORDER BY id LIMIT 1`,
		[]any{r.Task}, &running)
	if errors.Is(err, sql.ErrNoRows) {
		return fmt.Errorf("run %d could not be claimed", id) // not reached: the claim saw why
	}
	if err != nil {
		return err
	}
	return &RunStateError{ID: id, State: r.State, Want: RunQueued, BlockedBy: running}
}

// readRun reads run id in the transaction; UnknownRunError when there is
// none.
func (w *writeTx) readRun(id int64) (*Run, error) {
	r, err := queryRun(w.ctx, w.tx, `SELECT `+runColumns+` FROM runs WHERE id = ?`, id)
	if err != nil {
		return nil, err
	}
	if r == nil {
		return nil, &UnknownRunError{ID: id}
	}
	return r, nil
}

// nowOr is t, or the store's clock when t is zero.
func (w *writeTx) nowOr(t time.Time) time.Time {
	if t.IsZero() {
		return w.now
	}
	return t
}
