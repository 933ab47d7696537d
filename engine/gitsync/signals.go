package gitsync

import "github.com/syncline/syncline/engine/ops"

// syncerSignals are the points tests wait on instead of sleeping. They
// are off (nil channels) unless a test initializes them, and never block
// the syncer: a signal nobody reads is dropped once its buffer is full.
type syncerSignals struct {
	synced testSignal[*ops.SyncResult] // a sync ended (nil: it failed before the commit was known)
}

func (s *syncerSignals) init() { s.synced.init() }

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
