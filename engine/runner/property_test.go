package runner

import (
	"os"
	"path/filepath"
	"slices"
	"testing"
	"time"

	"github.com/syncline/syncline/engine/internal/enginetest"
	"github.com/syncline/syncline/engine/scheduler"
	"github.com/syncline/syncline/internal/clock"

	"pgregory.net/rapid"

	"github.com/syncline/syncline/state"
)

const propertyHCL = `
task "minutely" {
  schedule {
    every   = "1m"
    misfire = "run_all"
  }
  activity "exec" {
    command = "true"
  }
}

task "often" {
  schedule {
    every = "90s"
  }
  activity "exec" {
    command = "true"
  }
}

task "replacing" {
  concurrency = "replace"
  schedule {
    every = "2m"
  }
  activity "exec" {
    command = "true"
  }
}

task "free" {
  concurrency = "allow"
  schedule {
    every = "1m"
  }
  activity "exec" {
    command = "true"
  }
}
`

// TestForbidNeverOverlaps drives the scheduler, workers, cancels, manual
// runs and recovery in random interleavings and checks that a task whose
// concurrency is not "allow" never has two runs going at once.
func TestForbidNeverOverlaps(t *testing.T) {
	t.Parallel()
	tmpl := setup(t, propertyHCL)
	cat := tmpl.Catalog(t)
	if err := tmpl.Store.Close(); err != nil { // checkpoints the file, to copy it
		t.Fatal(err)
	}
	rapid.Check(t, func(rt *rapid.T) {
		b := tmpl.copy(t)
		sched := scheduler.New(b.Store, cat, b.Clock, nil)
		workers := []string{"node-a:1:1", "node-a:1:2", "node-b:2:1"}
		exclusive := []string{"minutely", "often", "replacing"}
		running := func() []state.Run {
			runs, err := b.Store.RunList(b.Ctx, state.RunFilter{State: []state.RunState{state.RunRunning}})
			if err != nil {
				rt.Fatal(err)
			}
			return runs
		}
		pick := func(runs []state.Run, label string) *state.Run {
			if len(runs) == 0 {
				return nil
			}
			return &runs[rapid.IntRange(0, len(runs)-1).Draw(rt, label)]
		}
		rt.Repeat(map[string]func(*rapid.T){
			"advance": func(rt *rapid.T) {
				b.Clock.Advance(time.Duration(rapid.IntRange(1, 240).Draw(rt, "seconds")) * time.Second)
			},
			"tick": func(rt *rapid.T) {
				if _, err := sched.Tick(b.Ctx); err != nil {
					rt.Fatal(err)
				}
			},
			"claim": func(rt *rapid.T) {
				w := rapid.SampledFrom(workers).Draw(rt, "worker")
				if _, err := b.Store.RunClaim(b.Ctx, w, b.Clock.Now()); err != nil {
					rt.Fatal(err)
				}
			},
			"finish": func(rt *rapid.T) {
				r := pick(running(), "run")
				if r == nil {
					rt.Skip("nothing running")
				}
				final := rapid.SampledFrom([]state.RunState{state.RunSucceeded, state.RunFailed, state.RunCancelled}).Draw(rt, "final")
				if err := b.Store.RunFinish(b.Ctx, r.ID, r.ClaimedBy, final, "", nil, b.Clock.Now(), nil); err != nil {
					rt.Fatal(err)
				}
			},
			"manual": func(rt *rapid.T) {
				task := rapid.SampledFrom(append(exclusive, "free")).Draw(rt, "task")
				_, _ = EnqueueManual(b.Ctx, b.Store, cat, task, "", "tester") // busy is a fine answer
			},
			"recover": func(rt *rapid.T) {
				now := b.Clock.Now()
				runs, err := b.Store.RunRecover(b.Ctx, now, now.Add(-6*time.Second), nil)
				if err != nil {
					rt.Fatal(err)
				}
				for i := range runs {
					if _, err := b.Store.RunEnqueue(b.Ctx, recoveryRun(&runs[i], now)); err != nil {
						rt.Fatal(err)
					}
				}
			},
			"": func(rt *rapid.T) {
				count := map[string]int{}
				for _, r := range running() {
					count[r.Task]++
				}
				for _, task := range exclusive {
					if count[task] > 1 {
						rt.Fatalf("task %s has %d runs running at once", task, count[task])
					}
				}
			},
		})
		checkNoOverlap(rt, b, exclusive)
	})
}

// copy opens a copy of the bundle's closed state file with a fresh clock.
func (b *bundle) copy(t *testing.T) *bundle {
	data, err := os.ReadFile(b.Store.Path())
	if err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(t.TempDir(), "state.db")
	if err := os.WriteFile(path, data, 0o600); err != nil {
		t.Fatal(err)
	}
	c := &bundle{&enginetest.Bundle{Ctx: b.Ctx, Dir: b.Dir, Clock: clock.NewFake(enginetest.Start), Opts: b.Opts}}
	if c.Store, err = state.Open(c.Ctx, path, state.Options{Clock: c.Clock}); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { c.Store.Close() })
	return c
}

// checkNoOverlap checks the recorded runs: no two runs of an exclusive
// task were running during the same time.
func checkNoOverlap(rt *rapid.T, b *bundle, tasks []string) {
	all, err := b.Store.RunList(b.Ctx, state.RunFilter{})
	if err != nil {
		rt.Fatal(err)
	}
	for _, task := range tasks {
		var spans [][2]time.Time
		for _, r := range all {
			if r.Task != task || r.StartedAt.IsZero() {
				continue
			}
			end := r.FinishedAt
			if end.IsZero() {
				end = time.Date(9999, 1, 1, 0, 0, 0, 0, time.UTC)
			}
			spans = append(spans, [2]time.Time{r.StartedAt, end})
		}
		slices.SortFunc(spans, func(a, b [2]time.Time) int {
			if c := a[0].Compare(b[0]); c != 0 {
				return c
			}
			return a[1].Compare(b[1])
		})
		for i := 1; i < len(spans); i++ {
			if spans[i][0].Before(spans[i-1][1]) {
				rt.Fatalf("task %s: a run started at %s while another ran until %s", task, spans[i][0], spans[i-1][1])
			}
		}
	}
}
