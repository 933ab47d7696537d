package scheduler

import (
	"testing"
	"time"

	"github.com/syncline/syncline/engine/internal/enginetest"
)

// bundle is what most tests start from (see enginetest.Bundle).
type bundle struct{ *enginetest.Bundle }

// setupAt writes hcl as the configuration, opens a store, applies the
// configuration and starts the fake clock at start.
func setupAt(t testing.TB, hcl string, start time.Time) *bundle {
	t.Helper()
	return &bundle{enginetest.SetupAt(t, hcl, start)}
}

// setup is setupAt at enginetest.Start.
func setup(t testing.TB, hcl string) *bundle {
	t.Helper()
	return setupAt(t, hcl, enginetest.Start)
}

func (b *bundle) scheduler(t testing.TB) *Scheduler {
	return New(b.Store, b.Catalog(t), b.Clock, nil)
}

// tick runs one scheduler tick and fails the test on error.
func (b *bundle) tick(t testing.TB, s *Scheduler) TickResult {
	t.Helper()
	res, err := s.Tick(b.Ctx)
	if err != nil {
		t.Fatal(err)
	}
	return res
}
