package runner

import (
	"testing"
	"time"

	"github.com/syncline/syncline/engine/internal/enginetest"
	"github.com/syncline/syncline/state"
)

// bundle is what most tests start from (see enginetest.Bundle), with
// helpers for the scheduler and the runner.
type bundle struct{ *enginetest.Bundle }

// setup writes hcl as the configuration, opens a store in a temporary
// directory and applies the configuration.
func setup(t testing.TB, hcl string) *bundle {
	t.Helper()
	return &bundle{enginetest.Setup(t, hcl)}
}

// setupAt is setup with the fake clock starting at start.
func setupAt(t testing.TB, hcl string, start time.Time) *bundle {
	t.Helper()
	return &bundle{enginetest.SetupAt(t, hcl, start)}
}

// runner returns a runner on the fake clock for worker.
func (b *bundle) runner(t testing.TB, worker string) *Runner {
	return &Runner{Store: b.Store, Catalog: b.Catalog(t), Worker: worker, Clock: b.Clock}
}

// manual enqueues a manual run and executes it in the foreground.
func (b *bundle) manual(t testing.TB, r *Runner, task string) *state.Run {
	t.Helper()
	run, err := EnqueueManual(b.Ctx, b.Store, r.Catalog, task, "", "tester")
	if err != nil {
		t.Fatal(err)
	}
	done, err := r.RunByID(b.Ctx, run.ID, nil)
	if err != nil {
		t.Fatal(err)
	}
	return done
}

// claimAndRun claims the next due run and executes it; nil when none is
// due.
func (b *bundle) claimAndRun(t testing.TB, r *Runner) *state.Run {
	t.Helper()
	run, err := b.Store.RunClaim(b.Ctx, r.Worker, b.Clock.Now())
	if err != nil {
		t.Fatal(err)
	}
	if run == nil {
		return nil
	}
	done, err := r.Execute(b.Ctx, run, nil)
	if err != nil {
		t.Fatal(err)
	}
	return done
}
