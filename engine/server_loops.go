package engine

import (
	"context"
	"time"

	"github.com/syncline/syncline/engine/runner"
	"github.com/syncline/syncline/internal/clock"
	"github.com/syncline/syncline/state"
)

// scheduleLoop ticks the scheduler when the earliest fire time comes due,
// at least every poll interval, and at once after a reload.
func (s *Server) scheduleLoop(ctx context.Context) {
	defer s.loops.Done()
	for ctx.Err() == nil {
		res, err := s.sched.Tick(ctx)
		s.lastTick.Store(s.cfg.Clock.Now().UnixNano())
		if err != nil && ctx.Err() == nil {
			s.cfg.Logger.Error("scheduler tick failed", "error", err)
		}
		wait := s.cfg.PollInterval
		if !res.Wake.IsZero() {
			wait = min(wait, max(res.Wake.Sub(s.cfg.Clock.Now()), 0))
		}
		t := s.cfg.Clock.NewTimer(wait)
		s.signals.tick.Signal(res)
		select {
		case <-t.C():
		case <-s.tickNow:
			t.Stop()
		case <-ctx.Done():
			t.Stop()
		}
	}
}

// pollLoop, every poll interval, reloads the configuration when the state
// serial changed (an apply), recovers runs of dead workers, and wakes
// the workers for runs queued by other processes or coming due.
func (s *Server) pollLoop(ctx context.Context, t clock.Timer) {
	defer s.loops.Done()
	for {
		select {
		case <-ctx.Done():
			t.Stop()
			return
		case <-t.C():
		}
		t = s.cfg.Clock.NewTimer(s.cfg.PollInterval)
		if err := s.reload(ctx); err != nil && ctx.Err() == nil {
			s.cfg.Logger.Error("checking for a newer apply failed", "error", err)
		}
		if err := s.recover(ctx, false); err != nil && ctx.Err() == nil {
			s.cfg.Logger.Error("recovering runs failed", "error", err)
		}
		s.keepConsumers(ctx)
		s.notify()
	}
}

// work is one worker: it claims the best due run, executes it, and
// repeats; with nothing to claim it waits to be woken.
func (s *Server) work(loopCtx, runCtx context.Context, id string) {
	defer s.workers.Done()
	for loopCtx.Err() == nil {
		wake := s.wakeChan()
		// The claim is not cancelled halfway: a run claimed must be run.
		run, err := s.cfg.Store.RunClaim(context.WithoutCancel(loopCtx), id, s.cfg.Clock.Now())
		if err != nil {
			s.cfg.Logger.Error("claiming a run failed", "worker", id, "error", err)
		}
		if run == nil {
			s.signals.idle.Signal(id)
			select {
			case <-wake:
			case <-loopCtx.Done():
			}
			continue
		}
		s.execute(runCtx, run, id)
	}
}

// execute runs one claimed run to its end.
func (s *Server) execute(ctx context.Context, run *state.Run, worker string) {
	log := s.cfg.Logger.With("run", run.ID, "task", run.Task, "worker", worker)
	if run.Serial > s.catalog.Load().Serial() {
		// Created after an apply this server has not loaded yet.
		if err := s.reload(context.WithoutCancel(ctx)); err != nil {
			log.Error("checking for a newer apply failed", "error", err)
		}
	}
	delay := s.cfg.Clock.Now().Sub(run.ScheduledAt)
	log.Info("run started", "trigger", run.Trigger, "mode", run.Mode, "delay", delay.Round(time.Millisecond))
	if s.cfg.Observer != nil {
		s.cfg.Observer.RunStarted(run, delay)
	}
	r := &runner.Runner{Store: s.cfg.Store, Catalog: s.catalog.Load(), Worker: worker, Clock: s.cfg.Clock,
		HeartbeatInterval: s.cfg.HeartbeatInterval, Activities: s.cfg.Activities, Logger: s.cfg.Logger}
	done, err := r.Execute(ctx, run, nil)
	if err != nil {
		log.Error("recording the run failed", "error", err)
	} else {
		log.Info("run finished", "state", done.State, "error", done.Error)
	}
	if s.cfg.Observer != nil && done != nil {
		s.cfg.Observer.RunFinished(done)
	}
	s.signals.runFinished.Signal(done)
	s.notifier.Wake()
	s.notify()
}
