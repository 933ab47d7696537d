package runner

import (
	"context"
	"time"

	"github.com/syncline/syncline/state"
)

// RecoverDeadRuns does for a command what syncline serve does at startup:
// it ends the runs whose worker is gone — its process on this host no
// longer exists, or its heartbeat is three intervals old — as
// interrupted, and queues a recovery run for each, which resumes from
// the interrupted run's checkpoints — or, when someone asked to cancel
// the run, as cancelled, with no recovery run. A killed `syncline run` is
// found this way by the next one.
func RecoverDeadRuns(ctx context.Context, store *state.Store, now time.Time) ([]state.Run, error) {
	return Recover(ctx, store, now, DefaultHeartbeatInterval, WorkerPrefix(), false)
}

// Recover ends the runs whose worker is gone — its heartbeat three
// heartbeat intervals old, or its process on this host gone — and queues
// a recovery run for each in the same transaction, so a crash in between
// loses neither; a run someone asked to cancel ends cancelled instead.
// workers is this process's worker ID prefix (WorkerPrefix); with
// startup, runs claimed under it are an earlier process's with the same
// PID, and dead too.
func Recover(ctx context.Context, store *state.Store, now time.Time, heartbeat time.Duration, workers string, startup bool) ([]state.Run, error) {
	stale := now.Add(-3 * heartbeat)
	requeue := func(r state.Run) []state.Run { return []state.Run{recoveryRun(&r, now)} }
	return store.RunRecoverJudging(ctx, now, stale, judgeWorkers(workers, startup), requeue)
}
