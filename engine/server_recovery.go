package engine

import (
	"context"
	"errors"

	"github.com/syncline/syncline/state"
)

// recover ends the runs whose worker is gone — its heartbeat three
// intervals old, or its process on this host gone (at startup, also any
// run claimed under this process's own ID) — and queues a recovery run for
// each whose task is not closed. A recovery run of a suspended task waits
// until the task is resumed.
func (s *Server) recover(ctx context.Context, startup bool) error {
	now := s.cfg.Clock.Now()
	stale := now.Add(-3 * s.cfg.HeartbeatInterval)
	runs, err := s.cfg.Store.RecoverRuns(ctx, now, stale, deadWorkers(s.cfg.WorkerID, startup))
	if err != nil {
		return err
	}
	var errs []error
	for i := range runs {
		r := &runs[i]
		s.cfg.Logger.Warn("run interrupted: its worker is gone", "run", r.ID, "task", r.Task, "worker", r.ClaimedBy)
		if _, err := s.cfg.Store.EnqueueRun(ctx, recoveryRun(r, now)); err != nil && !closedTask(err) {
			errs = append(errs, err)
		}
	}
	if len(runs) > 0 {
		s.signals.recovered.signal(runs)
		s.notify()
	}
	return errors.Join(errs...)
}

// closedTask reports whether err refuses a run because its task is closed
// (or gone): its interrupted run stays interrupted.
func closedTask(err error) bool {
	var ts *state.TaskStateError
	var unknown *state.UnknownTaskError
	return errors.As(err, &ts) || errors.As(err, &unknown)
}
