package engine

import (
	"github.com/syncline/syncline/engine/scheduler"
	"github.com/syncline/syncline/state"
)

// serverSignals are the points tests wait on instead of sleeping. They
// are off (nil channels) unless a test initializes them, and never block
// the server: a signal nobody reads is dropped once its buffer is full.
type serverSignals struct {
	tick        testSignal[scheduler.TickResult] // a scheduler tick finished
	runFinished testSignal[*state.Run]           // a worker recorded a run's end
	reloaded    testSignal[int64]                // the catalog was reloaded, at this serial
	recovered   testSignal[[]state.Run]
	idle        testSignal[string]   // a worker found nothing to claim
	stopping    testSignal[struct{}] // Stop started its grace period
}

func (s *serverSignals) init() {
	s.tick.init()
	s.runFinished.init()
	s.reloaded.init()
	s.recovered.init()
	s.idle.init()
	s.stopping.init()
}

type testSignal[T any] struct{ ch chan T }

func (s *testSignal[T]) init() { s.ch = make(chan T, 1000) }

func (s *testSignal[T]) signal(v T) {
	if s.ch == nil {
		return
	}
	select {
	case s.ch <- v:
	default:
	}
}
