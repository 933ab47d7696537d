package engine

import (
	"context"

	"github.com/syncline/syncline/engine/runner"
	"github.com/syncline/syncline/state"
)

// recover ends the runs whose worker is gone — its heartbeat three
// intervals old (never this process's own), or its process on this host
// gone (at startup, also any run claimed under this process's own ID) — and queues a recovery run for
// each, in the same transaction, so a crash in between loses neither; a
// run someone asked to cancel ends cancelled instead. The
// store records a recovery run of a closed task as cancelled; one of a
// suspended task waits until the task is resumed.
func (s *Server) recover(ctx context.Context, startup bool) error {
	runs, err := runner.Recover(ctx, s.cfg.Store, s.cfg.Clock.Now(), s.cfg.HeartbeatInterval, s.cfg.WorkerID, startup)
	if err != nil {
		return err
	}
	for _, r := range runs {
		if r.State == state.RunCancelled {
			s.cfg.Logger.Warn("run cancelled: a cancel was requested and its worker is gone", "run", r.ID, "task", r.Task, "worker", r.ClaimedBy)
			continue
		}
		s.cfg.Logger.Warn("run interrupted: its worker is gone", "run", r.ID, "task", r.Task, "worker", r.ClaimedBy)
	}
	if len(runs) > 0 {
		s.signals.recovered.Signal(runs)
		s.notify()
	}
	return nil
}
