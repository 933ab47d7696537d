package engine

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
	stale := now.Add(-3 * DefaultHeartbeatInterval)
	requeue := func(r state.Run) []state.Run { return []state.Run{recoveryRun(&r, now)} }
	return store.RecoverRunsAndRequeue(ctx, now, stale, deadWorkers(WorkerPrefix(), false), requeue)
}
