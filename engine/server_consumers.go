package engine

import (
	"context"
	"strings"
	"time"

	"github.com/syncline/syncline/config"
	"github.com/syncline/syncline/engine/runner"
	"github.com/syncline/syncline/state"
)

// Long-lived consumers. A task that consumes a queue (an async_update
// activity) and has neither a schedule nor an after is a consumer: the
// server — the serve nodes sharing a state, between them — keeps one run
// of it going — queued when the server starts, again
// when it ended (after a backoff, when it failed or was interrupted) —
// and asks a running one to stop when the task is suspended or disabled.
// Its run holds a worker for as long as it consumes.

// ConsumerBy is who the runs a server queues for its consumers are
// triggered by.
const ConsumerBy = "serve (long-lived consumer)"

// Consumer restart backoff: after n failed runs in a row, the next waits
// consumerBackoff << (n-1), at most consumerBackoffMax.
const (
	consumerBackoff    = 5 * time.Second
	consumerBackoffMax = 5 * time.Minute
)

// isConsumer reports whether t is a long-lived consumer.
func isConsumer(t *config.Task) bool {
	if t.Schedule != nil || len(t.After) > 0 || !t.Enabled {
		return false
	}
	for _, a := range t.Activities {
		if a.Type == config.ActivityAsyncUpdate {
			return true
		}
	}
	return false
}

// keepConsumers queues a run of every consumer that has none, and stops
// the runs of consumers suspended meanwhile.
func (s *Server) keepConsumers(ctx context.Context) {
	cat := s.catalog.Load()
	now := s.cfg.Clock.Now()
	for _, t := range cat.Tasks() {
		if !isConsumer(t) || cat.Check(t.Name) != nil {
			continue
		}
		log := s.cfg.Logger.With("task", t.Name)
		rt, err := s.cfg.Store.TaskRuntime(ctx, t.Name)
		if err != nil || rt == nil {
			continue
		}
		active, err := s.cfg.Store.RunListActive(ctx, t.Name)
		if err != nil {
			log.Error("reading a consumer's runs failed", "error", err)
			continue
		}
		if rt.State != state.TaskActive {
			for _, r := range active {
				if r.State == state.RunRunning && !r.CancelRequested {
					if _, err := s.cfg.Store.RunCancel(ctx, r.ID, "serve: the task is "+string(rt.State), now); err != nil {
						log.Error("stopping a suspended consumer failed", "run", r.ID, "error", err)
					}
				}
			}
			continue
		}
		if len(active) > 0 || s.consumerWaits(ctx, t.Name, now) {
			continue
		}
		// Another node may have queued one since: the store decides.
		run, err := runner.EnqueueIfIdle(ctx, s.cfg.Store, cat, t.Name, ConsumerBy)
		if err != nil {
			log.Error("queueing a consumer's run failed", "error", err)
			continue
		}
		if run == nil {
			continue
		}
		log.Info("consumer run queued", "run", run.ID)
		s.notify()
	}
}

// stopConsumers asks the consumer runs this server's workers have
// running to stop: a consumer never ends on its own, and may stop at any
// time (what it has not acknowledged stays in its queue). They end
// cancelled within a heartbeat, instead of waiting out the grace period
// to be interrupted; the next serve starts them again.
func (s *Server) stopConsumers(ctx context.Context) {
	cat := s.catalog.Load()
	if cat == nil {
		return
	}
	for _, t := range cat.Tasks() {
		if !isConsumer(t) {
			continue
		}
		active, err := s.cfg.Store.RunListActive(ctx, t.Name)
		if err != nil {
			continue
		}
		for _, r := range active {
			if r.State == state.RunRunning && strings.HasPrefix(r.ClaimedBy, s.cfg.WorkerID+":") && !r.CancelRequested {
				if _, err := s.cfg.Store.RunCancel(ctx, r.ID, "serve: stopping", s.cfg.Clock.Now()); err != nil {
					s.cfg.Logger.Error("stopping a consumer failed", "run", r.ID, "error", err)
				}
			}
		}
	}
}

// consumerWaits reports whether the consumer's last runs failed recently
// enough that the next waits out its backoff.
func (s *Server) consumerWaits(ctx context.Context, task string, now time.Time) bool {
	runs, err := s.cfg.Store.RunList(ctx, state.RunFilter{Task: task, Limit: 10})
	if err != nil || len(runs) == 0 {
		return false
	}
	failed := 0
	for _, r := range runs {
		if r.State != state.RunFailed && r.State != state.RunInterrupted {
			break
		}
		failed++
	}
	if failed == 0 {
		return false
	}
	wait := min(consumerBackoff<<min(failed-1, 10), consumerBackoffMax)
	return now.Sub(runs[0].FinishedAt) < wait
}
