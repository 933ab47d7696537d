package gitsync

import (
	"github.com/syncline/syncline/engine/ops"
	"github.com/syncline/syncline/internal/testsignal"
)

// syncerSignals are the points tests wait on instead of sleeping (see
// internal/testsignal): off unless a test initializes them.
type syncerSignals struct {
	synced testsignal.Signal[*ops.SyncResult] // a sync ended (nil: it failed before the commit was known)
}

func (s *syncerSignals) init() { s.synced.Init() }
