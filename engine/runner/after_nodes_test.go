package runner

import (
	"context"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"github.com/syncline/syncline/engine/catalog"
	"github.com/syncline/syncline/engine/internal/enginetest"
	"github.com/syncline/syncline/internal/clock"
	"github.com/syncline/syncline/state"
	"github.com/syncline/syncline/state/statetest"
)

const afterTwoHCL = `
task "a" {
  activity "exec" {
    command = "true"
  }
}

task "b" {
  activity "exec" {
    command = "true"
  }
}

task "c" {
  after       = [task.a, task.b]
  concurrency = "allow"
  activity "exec" {
    command = "true"
  }
}
`

// TestAfterTriggersOnceAcrossNodes: two nodes — two Store handles on one
// state, each with its own runner — finish a and b, the two tasks in c's
// after, at the same moment, many times over. Each time c is triggered
// exactly once (its run is recorded skipped: c is suspended, so
// that the nodes claim only a and b): the decision is taken inside the finish's write
// transaction, so the second finish sees the first. Deciding outside it
// (as a per-process lock did) lets both see "not ready" or both "ready".
func TestAfterTriggersOnceAcrossNodes(t *testing.T) {
	t.Parallel()
	for _, backend := range []string{"sqlite", "postgres"} {
		t.Run(backend, func(t *testing.T) {
			t.Parallel()
			location := filepath.Join(t.TempDir(), "state.db")
			if backend == "postgres" {
				location = statetest.Location(t)
			}
			testAfterOnceAcrossNodes(t, location, 40)
		})
	}
}

func testAfterOnceAcrossNodes(t *testing.T, location string, rounds int) {
	ctx := context.Background()
	clk := clock.NewFake(enginetest.Start)
	open := func() *state.Store {
		st, err := state.Open(ctx, location, state.Options{Clock: clk})
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { st.Close() })
		return st
	}
	b := &enginetest.Bundle{Ctx: ctx, Dir: t.TempDir(), Clock: clk, Store: open()}
	b.Write(t, afterTwoHCL)
	b.Apply(t)
	// c's runs are recorded skipped, not queued, so the nodes claim only
	// a's and b's.
	if err := b.Store.TaskSuspend(ctx, "c", "only counted here", "tester"); err != nil {
		t.Fatal(err)
	}
	stores := []*state.Store{b.Store, open()}
	runners := make([]*Runner, len(stores))
	for i, st := range stores {
		snap, err := st.Snapshot(ctx)
		if err != nil {
			t.Fatal(err)
		}
		cat, err := catalog.Load(b.Dir, b.Opts, snap)
		if err != nil {
			t.Fatal(err)
		}
		runners[i] = &Runner{Store: st, Catalog: cat, Worker: []string{"node1:1:1", "node2:2:1"}[i], Clock: clk}
	}
	for round := range rounds {
		clk.Advance(time.Second)
		claimed := make([]*state.Run, len(runners))
		for i, task := range []string{"a", "b"} {
			if _, err := EnqueueManual(ctx, b.Store, runners[0].Catalog, task, "", "tester"); err != nil {
				t.Fatal(err)
			}
			run, err := stores[i].RunClaim(ctx, runners[i].Worker, clk.Now())
			if err != nil || run == nil {
				t.Fatalf("round %d: claim by %s: %v, %v", round, runners[i].Worker, run, err)
			}
			claimed[i] = run
		}
		start := make(chan struct{})
		var wg sync.WaitGroup
		for i, r := range runners {
			wg.Go(func() {
				<-start
				if done, err := r.Execute(ctx, claimed[i], nil); err != nil || done.State != state.RunSucceeded {
					t.Errorf("round %d: run %d: %v, %v", round, claimed[i].ID, done.State, err)
				}
			})
		}
		close(start)
		wg.Wait()
		triggered := 0
		for _, r := range b.Runs(t, "c") {
			if r.Trigger == state.TriggerAfter {
				triggered++
			}
		}
		if triggered != round+1 {
			t.Fatalf("after round %d of a and b finishing together, c was triggered %d times, want %d", round, triggered, round+1)
		}
	}
}
