package engine

import (
	"context"
	"time"

	"github.com/syncline/syncline/internal/clock"
)

// dueLoop wakes the workers when the earliest queued run scheduled for
// later becomes due — a retry at the end of its backoff, say — so that it
// starts on time instead of at the next poll. It reads that time from the
// store, waits for it on the program's clock, and reads it again when it
// fires and whenever the workers are woken for another reason (notify): a
// finished run may have queued a retry, the poll may have found runs
// other processes queued.
func (s *Server) dueLoop(ctx context.Context) {
	defer s.loops.Done()
	for ctx.Err() == nil {
		next, err := s.cfg.Store.RunNextDue(ctx, s.cfg.Clock.Now())
		if err != nil && ctx.Err() == nil {
			s.cfg.Logger.Error("reading the next due run failed", "error", err)
		}
		t := s.dueTimer(next)
		s.signals.dueArmed.Signal(next)
		select {
		case <-t.C():
			s.wakeWorkers()
		case <-s.dueNow:
			t.Stop()
		case <-ctx.Done():
			t.Stop()
		}
	}
}

// dueTimer fires at next; one that never fires when next is zero (the
// poll and notify still wake the loop).
func (s *Server) dueTimer(next time.Time) clock.Timer {
	if next.IsZero() {
		return stoppedTimer{}
	}
	return s.cfg.Clock.NewTimer(max(next.Sub(s.cfg.Clock.Now()), 0))
}

// stoppedTimer is a timer that never fires.
type stoppedTimer struct{}

func (stoppedTimer) C() <-chan time.Time { return nil }
func (stoppedTimer) Stop() bool          { return false }
