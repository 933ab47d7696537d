package engine

import (
	"context"
	"errors"
	"fmt"
	"time"
)

// Ready reports whether the server does its work: it was started and not
// stopped, its state store answers, and its scheduler loop ticked within
// the last three poll intervals (a tick happens at least every poll
// interval). The error says which of these fails; serve's /readyz shows it.
func (s *Server) Ready(ctx context.Context) error {
	s.lifecycle.Lock()
	st := s.state
	s.lifecycle.Unlock()
	if st != serverRunning {
		return errors.New("the server is not running")
	}
	if _, err := s.cfg.Store.Serial(ctx); err != nil {
		return fmt.Errorf("the state store is unreachable: %w", err)
	}
	last := s.lastTick.Load()
	if last == 0 {
		return errors.New("the scheduler has not ticked yet")
	}
	if age := s.cfg.Clock.Now().Sub(time.Unix(0, last)); age > 3*s.cfg.PollInterval {
		return fmt.Errorf("the scheduler has not ticked for %s", age.Round(time.Second))
	}
	return nil
}

// Wake has the workers look for queued runs at once: a caller that queued
// a run (the console's Trigger) calls it so the run starts without
// waiting for the next poll.
func (s *Server) Wake() { s.notify() }
