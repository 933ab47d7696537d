// Package enginetest is the test bundle the engine's packages share: a
// configuration directory, a fresh SQLite state with that configuration
// applied, and a fake clock that the store reads too. Only tests import
// it.
//
// Neighbours: the tests of engine, engine/catalog, engine/scheduler,
// engine/runner and engine/activity/exec; it builds catalogs with
// engine/catalog and imports nothing else of the engine, so that those
// packages' own tests may use it.
package enginetest

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/syncline/syncline/config"
	"github.com/syncline/syncline/engine/activity"
	"github.com/syncline/syncline/engine/catalog"
	"github.com/syncline/syncline/internal/clock"
	"github.com/syncline/syncline/planner"
	"github.com/syncline/syncline/state"
)

// Start is when every test's fake clock starts: a Friday in Prague, two
// days before clocks go forward.
var Start = time.Date(2025, 3, 28, 12, 0, 0, 0, time.UTC)

// Bundle is what most engine tests start from.
type Bundle struct {
	Ctx   context.Context
	Dir   string // the configuration directory
	Clock *clock.Fake
	Store *state.Store
	Opts  config.LoadOptions
}

// Setup writes hcl as the configuration, opens a store in a temporary
// directory and applies the configuration.
func Setup(t testing.TB, hcl string) *Bundle {
	t.Helper()
	return SetupAt(t, hcl, Start)
}

// SetupAt is Setup with the fake clock starting at start.
func SetupAt(t testing.TB, hcl string, start time.Time) *Bundle {
	t.Helper()
	b := &Bundle{Ctx: context.Background(), Dir: t.TempDir(), Clock: clock.NewFake(start)}
	b.Write(t, hcl)
	st, err := state.Open(b.Ctx, filepath.Join(t.TempDir(), "state.db"), state.Options{Clock: b.Clock})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	b.Store = st
	b.Apply(t)
	return b
}

// Write replaces the configuration with hcl.
func (b *Bundle) Write(t testing.TB, hcl string) {
	t.Helper()
	if err := os.WriteFile(filepath.Join(b.Dir, "main.hcl"), []byte(hcl), 0o644); err != nil {
		t.Fatal(err)
	}
}

// Apply plans the configuration against the state and applies it, as
// syncline apply does.
func (b *Bundle) Apply(t testing.TB) {
	t.Helper()
	cfg, diags := config.LoadDir(b.Dir, b.Opts)
	if diags.HasErrors() {
		t.Fatal(diags.Error())
	}
	snap, err := b.Store.Snapshot(b.Ctx)
	if err != nil {
		t.Fatal(err)
	}
	desired, err := planner.Desired(cfg, "", snap.Key)
	if err != nil {
		t.Fatal(err)
	}
	plan, err := planner.Compute(desired, snap, planner.Options{Now: b.Clock.Now(), Moves: planner.MovesFromConfig(cfg)})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := b.Store.Apply(b.Ctx, plan.ApplyRequest(desired, "tester")); err != nil {
		t.Fatal(err)
	}
}

// Catalog loads the configuration against the current state.
func (b *Bundle) Catalog(t testing.TB) *catalog.Catalog {
	t.Helper()
	snap, err := b.Store.Snapshot(b.Ctx)
	if err != nil {
		t.Fatal(err)
	}
	cat, err := catalog.Load(b.Dir, b.Opts, snap)
	if err != nil {
		t.Fatal(err)
	}
	return cat
}

// Runs lists the runs of task, oldest first.
func (b *Bundle) Runs(t testing.TB, task string) []state.Run {
	t.Helper()
	runs, err := b.Store.RunList(b.Ctx, state.RunFilter{Task: task})
	if err != nil {
		t.Fatal(err)
	}
	for i, j := 0, len(runs)-1; i < j; i, j = i+1, j-1 {
		runs[i], runs[j] = runs[j], runs[i]
	}
	return runs
}

// Runtime is the task's runtime record.
func (b *Bundle) Runtime(t testing.TB, task string) *state.TaskRuntime {
	t.Helper()
	rt, err := b.Store.TaskRuntime(b.Ctx, task)
	if err != nil {
		t.Fatal(err)
	}
	return rt
}

// EqualLines reports got and want, one item a line, when they differ.
func EqualLines(t testing.TB, got, want []string) {
	t.Helper()
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("got\n  %s\nwant\n  %s", strings.Join(got, "\n  "), strings.Join(want, "\n  "))
	}
}

// ConcurrencyHCL is a task "job" firing every minute with concurrency
// "POLICY", for the test to replace.
const ConcurrencyHCL = `
task "job" {
  schedule {
    every = "1m"
  }
  concurrency = "POLICY"
  activity "exec" {
    command = "true"
  }
}
`

// ExecTask is a task "job" with one exec activity whose body is body.
func ExecTask(body string) string {
	return "task \"job\" {\n  activity \"exec\" {\n" + body + "\n  }\n}\n"
}

// Blocker is an activity that signals when it starts, on Started with its
// run's ID, and then waits for its context to end.
type Blocker struct{ Started chan int64 }

// NewBlocker returns a Blocker whose Started holds up to 10 starts.
func NewBlocker() *Blocker { return &Blocker{Started: make(chan int64, 10)} }

// Run signals and waits for ctx.
func (bl *Blocker) Run(ctx context.Context, ac *activity.Context) error {
	ac.SetTotal(-1)
	bl.Started <- ac.RunID
	<-ctx.Done()
	return ctx.Err()
}
