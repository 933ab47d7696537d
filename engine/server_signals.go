package engine

import (
	"time"

	"github.com/syncline/syncline/engine/scheduler"
	"github.com/syncline/syncline/internal/testsignal"
	"github.com/syncline/syncline/state"
)

// serverSignals are the points tests wait on instead of sleeping (see
// internal/testsignal): off unless a test initializes them.
type serverSignals struct {
	tick        testsignal.Signal[scheduler.TickResult] // a scheduler tick finished
	runFinished testsignal.Signal[*state.Run]           // a worker recorded a run's end
	reloaded    testsignal.Signal[int64]                // the catalog was reloaded, at this serial
	recovered   testsignal.Signal[[]state.Run]
	idle        testsignal.Signal[string]    // a worker found nothing to claim
	dueArmed    testsignal.Signal[time.Time] // the due loop waits for this time (zero: for nothing)
	stopping    testsignal.Signal[struct{}]  // Stop started its grace period
}

func (s *serverSignals) init() {
	s.tick.Init()
	s.runFinished.Init()
	s.reloaded.Init()
	s.recovered.Init()
	s.idle.Init()
	s.dueArmed.Init()
	s.stopping.Init()
}
