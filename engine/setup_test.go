package engine

import (
	"context"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/syncline/syncline/internal/clock"

	"github.com/syncline/syncline/config"
	"github.com/syncline/syncline/planner"
	"github.com/syncline/syncline/state"
)

// testStart is when every test's fake clock starts: a Friday in Prague,
// two days before clocks go forward.
var testStart = time.Date(2025, 3, 28, 12, 0, 0, 0, time.UTC)

// bundle is what most tests start from: a configuration directory, a
// fresh SQLite state with that configuration applied, and a fake clock
// that the store reads too.
type bundle struct {
	ctx   context.Context
	dir   string
	clock *clock.Fake
	store *state.Store
	opts  config.LoadOptions
}

// setup writes hcl as the configuration, opens a store in a temporary
// directory and applies the configuration.
func setup(t testing.TB, hcl string) *bundle {
	t.Helper()
	return setupAt(t, hcl, testStart)
}

// setupAt is setup with the fake clock starting at start.
func setupAt(t testing.TB, hcl string, start time.Time) *bundle {
	t.Helper()
	b := &bundle{ctx: context.Background(), dir: t.TempDir(), clock: clock.NewFake(start)}
	b.write(t, hcl)
	st, err := state.Open(b.ctx, filepath.Join(t.TempDir(), "state.db"), state.Options{Clock: b.clock})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	b.store = st
	b.apply(t)
	return b
}

// write replaces the configuration with hcl.
func (b *bundle) write(t testing.TB, hcl string) {
	t.Helper()
	if err := os.WriteFile(filepath.Join(b.dir, "main.hcl"), []byte(hcl), 0o644); err != nil {
		t.Fatal(err)
	}
}

// apply plans the configuration against the state and applies it, as
// syncline apply does.
func (b *bundle) apply(t testing.TB) {
	t.Helper()
	cfg, diags := config.LoadDir(b.dir, b.opts)
	if diags.HasErrors() {
		t.Fatal(diags.Error())
	}
	snap, err := b.store.Snapshot(b.ctx)
	if err != nil {
		t.Fatal(err)
	}
	desired, err := planner.Desired(cfg, "", snap.Key)
	if err != nil {
		t.Fatal(err)
	}
	plan, err := planner.Compute(desired, snap, planner.Options{Now: b.clock.Now(), Moves: planner.MovesFromConfig(cfg)})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := b.store.Apply(b.ctx, plan.ApplyRequest(desired, "tester")); err != nil {
		t.Fatal(err)
	}
}

// catalog loads the configuration against the current state.
func (b *bundle) catalog(t testing.TB) *Catalog {
	t.Helper()
	snap, err := b.store.Snapshot(b.ctx)
	if err != nil {
		t.Fatal(err)
	}
	cat, err := LoadCatalog(b.dir, b.opts, snap)
	if err != nil {
		t.Fatal(err)
	}
	return cat
}

func (b *bundle) scheduler(t testing.TB) *Scheduler {
	return NewScheduler(b.store, b.catalog(t), b.clock, nil)
}

// runner returns a runner on the fake clock for worker.
func (b *bundle) runner(t testing.TB, worker string) *Runner {
	return &Runner{Store: b.store, Catalog: b.catalog(t), Worker: worker, Clock: b.clock}
}

// tick runs one scheduler tick and fails the test on error.
func (b *bundle) tick(t testing.TB, s *Scheduler) TickResult {
	t.Helper()
	res, err := s.Tick(b.ctx)
	if err != nil {
		t.Fatal(err)
	}
	return res
}

// runs lists the runs of task, oldest first.
func (b *bundle) runs(t testing.TB, task string) []state.Run {
	t.Helper()
	runs, err := b.store.Runs(b.ctx, state.RunFilter{Task: task})
	if err != nil {
		t.Fatal(err)
	}
	for i, j := 0, len(runs)-1; i < j; i, j = i+1, j-1 {
		runs[i], runs[j] = runs[j], runs[i]
	}
	return runs
}

func (b *bundle) runtime(t testing.TB, task string) *state.TaskRuntime {
	t.Helper()
	rt, err := b.store.TaskRuntime(b.ctx, task)
	if err != nil {
		t.Fatal(err)
	}
	return rt
}

// manual enqueues a manual run and executes it in the foreground.
func (b *bundle) manual(t testing.TB, r *Runner, task string) *state.Run {
	t.Helper()
	run, err := EnqueueManual(b.ctx, b.store, r.Catalog, task, "", "tester")
	if err != nil {
		t.Fatal(err)
	}
	done, err := r.RunByID(b.ctx, run.ID, nil)
	if err != nil {
		t.Fatal(err)
	}
	return done
}

// claimAndRun claims the next due run and executes it; nil when none is
// due.
func (b *bundle) claimAndRun(t testing.TB, r *Runner) *state.Run {
	t.Helper()
	run, err := b.store.ClaimRun(b.ctx, r.Worker, b.clock.Now())
	if err != nil {
		t.Fatal(err)
	}
	if run == nil {
		return nil
	}
	done, err := r.Execute(b.ctx, run, nil)
	if err != nil {
		t.Fatal(err)
	}
	return done
}
