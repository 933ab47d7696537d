package engine

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/syncline/syncline/config"
	"github.com/syncline/syncline/engine/activity"
	"github.com/syncline/syncline/engine/catalog"
	"github.com/syncline/syncline/engine/scheduler"
	"github.com/syncline/syncline/planner"
	"github.com/syncline/syncline/state"
)

// The dispatch benchmark: 10,000 active tasks on an every = "1m" schedule,
// their fire times spread evenly over the minute (167 runs a second), on
// a real SQLite state with the real clock.
const (
	benchTasks    = 10_000
	benchEvery    = time.Minute
	benchWindow   = 20 * time.Second // fire times measured per iteration
	benchLead     = 30 * time.Second // from staggering to the first fire time: past 10,000 writes and the server start
	benchFileSize = 500              // tasks per file
)

type benchEnv struct {
	dir   string
	store *state.Store
	cat   *catalog.Catalog
}

// setupBench writes and applies the 10,000-task configuration.
func setupBench(b *testing.B) *benchEnv {
	b.Helper()
	ctx := context.Background()
	env := &benchEnv{dir: b.TempDir()}
	schedule := fmt.Sprintf("schedule \"often\" {\n  every = %q\n}\n", config.DescribeDuration(benchEvery))
	if err := os.WriteFile(filepath.Join(env.dir, "schedules.hcl"), []byte(schedule), 0o644); err != nil {
		b.Fatal(err)
	}
	for f := 0; f < benchTasks/benchFileSize; f++ {
		var sb strings.Builder
		for i := f * benchFileSize; i < (f+1)*benchFileSize; i++ {
			fmt.Fprintf(&sb, "task \"t%05d\" {\n  schedule = schedule.often\n  activity \"exec\" {\n    command = \"true\"\n  }\n}\n\n", i)
		}
		if err := os.WriteFile(filepath.Join(env.dir, fmt.Sprintf("tasks%02d.hcl", f)), []byte(sb.String()), 0o644); err != nil {
			b.Fatal(err)
		}
	}
	st, err := state.Open(ctx, filepath.Join(b.TempDir(), "state.db"), state.Options{})
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { st.Close() })
	env.store = st
	cfg, diags := config.LoadDir(env.dir, config.LoadOptions{})
	if diags.HasErrors() {
		b.Fatal(diags.Error())
	}
	snap, err := st.Snapshot(ctx)
	if err != nil {
		b.Fatal(err)
	}
	desired, err := planner.Desired(cfg, "", snap.Key)
	if err != nil {
		b.Fatal(err)
	}
	plan, err := planner.Compute(desired, snap, planner.Options{Now: time.Now()})
	if err != nil {
		b.Fatal(err)
	}
	if _, err := st.Apply(ctx, plan.ApplyRequest(desired, "bench")); err != nil {
		b.Fatal(err)
	}
	if snap, err = st.Snapshot(ctx); err != nil {
		b.Fatal(err)
	}
	if env.cat, err = catalog.Load(env.dir, config.LoadOptions{}, snap); err != nil {
		b.Fatal(err)
	}
	if _, err := scheduler.New(st, env.cat, nil, nil).Tick(ctx); err != nil { // computes every next fire time
		b.Fatal(err)
	}
	return env
}

// stagger spreads the tasks' next fire times evenly over one interval
// from start, as a scheduler that has run for a while leaves them.
func (env *benchEnv) stagger(b *testing.B, start time.Time) {
	b.Helper()
	ctx := context.Background()
	rts, err := env.store.TaskRuntimes(ctx)
	if err != nil {
		b.Fatal(err)
	}
	step := benchEvery / benchTasks
	for i, rt := range rts {
		if _, err := env.store.TaskAdvanceSchedule(ctx, rt.Task, rt.NextFireAt, start.Add(time.Duration(i)*step), rt.ScheduleKey, nil); err != nil {
			b.Fatal(err)
		}
	}
}

// cpuTime is the process's user and system CPU time so far.
func cpuTime() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

var noopActivities = activity.Registry{config.ActivityExec: activity.Func(func(context.Context, *activity.Context) error { return nil })}

func BenchmarkSchedulerDispatch10kTasks(b *testing.B) {
	env := setupBench(b)
	ctx := context.Background()

	// The scheduler's cost while nothing is due: a tick between refreshes
	// looks at its index and reads nothing; a refresh tick (after an apply,
	// and once a minute) reads all 10,000 runtime records.
	b.Run("idle-tick", func(b *testing.B) {
		env.stagger(b, time.Now().Add(time.Hour))
		s := scheduler.New(env.store, env.cat, nil, nil)
		benchTicks(b, s, 1000)
	})
	b.Run("refresh-tick", func(b *testing.B) {
		env.stagger(b, time.Now().Add(time.Hour))
		s := scheduler.New(env.store, env.cat, nil, nil)
		s.SetRefreshInterval(0)
		benchTicks(b, s, 20)
	})

	// A whole idle server — scheduler, poll loop, two workers — for five
	// seconds: its CPU time as a share of one CPU.
	b.Run("idle-server", func(b *testing.B) {
		env.stagger(b, time.Now().Add(time.Hour))
		var busy, wall time.Duration
		for b.Loop() {
			srv, err := NewServer(ServerConfig{Store: env.store, Dir: env.dir, WorkerID: "bench:1", Activities: noopActivities})
			if err != nil {
				b.Fatal(err)
			}
			if err := srv.Start(ctx); err != nil {
				b.Fatal(err)
			}
			time.Sleep(time.Second) // past startup
			c0, t0 := cpuTime(), time.Now()
			time.Sleep(5 * time.Second)
			busy, wall = busy+cpuTime()-c0, wall+time.Since(t0)
			if err := srv.Stop(ctx); err != nil {
				b.Fatal(err)
			}
		}
		b.ReportMetric(100*float64(busy)/float64(wall), "cpu-%")
	})

	// Dispatch: the server runs while fire times come due at 167 a second;
	// the delay of each run is from its fire time to its claim.
	b.Run("dispatch", func(b *testing.B) {
		var delays []time.Duration
		var busy, wall, startup time.Duration
		for b.Loop() {
			start := time.Now().Add(benchLead)
			env.stagger(b, start)
			time.Sleep(time.Until(start.Add(-3 * time.Second)))
			srv, err := NewServer(ServerConfig{Store: env.store, Dir: env.dir, WorkerID: "bench:1", Activities: noopActivities})
			if err != nil {
				b.Fatal(err)
			}
			first, _ := env.store.RunList(ctx, state.RunFilter{Limit: 1})
			s0 := time.Now()
			if err := srv.Start(ctx); err != nil {
				b.Fatal(err)
			}
			startup += time.Since(s0)
			if time.Now().After(start) {
				b.Fatalf("the server took %s to start, longer than the lead", time.Since(s0))
			}
			c0, t0 := cpuTime(), time.Now()
			time.Sleep(time.Until(start.Add(benchWindow + time.Second)))
			busy, wall = busy+cpuTime()-c0, wall+time.Since(t0)
			if err := srv.Stop(ctx); err != nil {
				b.Fatal(err)
			}
			delays = append(delays, env.delays(b, first, start)...)
		}
		reportDelays(b, delays)
		b.ReportMetric(100*float64(busy)/float64(wall), "cpu-%")
		b.ReportMetric(float64(startup)/float64(b.N)/float64(time.Millisecond), "start-ms")
	})

	// Baseline: what the store alone costs per run on the same state —
	// the claim that a dispatch delay cannot go below, and a whole run's
	// enqueue, claim and finish — 200 runs per iteration.
	b.Run("baseline-store", func(b *testing.B) {
		env.stagger(b, time.Now().Add(time.Hour))
		var claim, whole time.Duration
		const runs = 200
		for b.Loop() {
			for range runs {
				t0 := time.Now()
				run, err := env.store.RunEnqueue(ctx, state.Run{Task: "t00000", Trigger: state.TriggerManual, Exclusive: true, Priority: 100})
				if err != nil {
					b.Fatal(err)
				}
				t1 := time.Now()
				claimed, err := env.store.RunClaim(ctx, "bench:1:1", time.Now())
				if err != nil || claimed == nil || claimed.ID != run.ID {
					b.Fatalf("claimed %v: %v", claimed, err)
				}
				claim += time.Since(t1)
				if err := env.store.RunFinish(ctx, run.ID, "bench:1:1", state.RunSucceeded, "", nil, time.Time{}, nil); err != nil {
					b.Fatal(err)
				}
				whole += time.Since(t0)
			}
		}
		n := float64(b.N * runs * int(time.Millisecond))
		b.ReportMetric(float64(claim)/n, "claim-ms")
		b.ReportMetric(float64(whole)/n, "run-ms")
	})
}

// benchTicks times n ticks with nothing due per iteration and reports
// the time and CPU time per tick.
func benchTicks(b *testing.B, s *scheduler.Scheduler, n int) {
	ctx := context.Background()
	if _, err := s.Tick(ctx); err != nil {
		b.Fatal(err)
	}
	var wall, busy time.Duration
	for b.Loop() {
		c0, t0 := cpuTime(), time.Now()
		for range n {
			res, err := s.Tick(ctx)
			if err != nil || len(res.Decisions) != 0 {
				b.Fatalf("%v, %d decisions", err, len(res.Decisions))
			}
		}
		wall, busy = wall+time.Since(t0), busy+cpuTime()-c0
	}
	ticks := float64(b.N * n)
	b.ReportMetric(float64(wall.Microseconds())/ticks, "µs/tick")
	b.ReportMetric(float64(busy.Microseconds())/ticks, "cpu-µs/tick")
}

// delays are the claim delays of the scheduled runs due in the window
// from start, newer than first.
func (env *benchEnv) delays(b *testing.B, first []state.Run, start time.Time) []time.Duration {
	var after int64
	if len(first) > 0 {
		after = first[0].ID
	}
	runs, err := env.store.RunList(context.Background(), state.RunFilter{})
	if err != nil {
		b.Fatal(err)
	}
	var out []time.Duration
	end := start.Add(benchWindow)
	for _, r := range runs {
		if r.ID <= after || r.Trigger != state.TriggerSchedule || r.ScheduledAt.After(end) {
			continue
		}
		if r.StartedAt.IsZero() {
			b.Fatalf("run %d due at %s was never claimed (%s)", r.ID, r.ScheduledAt, r.State)
		}
		out = append(out, r.StartedAt.Sub(r.ScheduledAt))
		if os.Getenv("BENCH_DEBUG") != "" && r.StartedAt.Sub(r.ScheduledAt) > 15*time.Millisecond {
			b.Logf("run %d %s: created +%s started +%s", r.ID, r.Task, r.CreatedAt.Sub(r.ScheduledAt), r.StartedAt.Sub(r.ScheduledAt))
		}
	}
	return out
}

func reportDelays(b *testing.B, delays []time.Duration) {
	if len(delays) == 0 {
		b.Fatal("no runs were dispatched")
	}
	slices.Sort(delays)
	at := func(q float64) float64 {
		return float64(delays[int(q*float64(len(delays)-1))]) / float64(time.Millisecond)
	}
	b.ReportMetric(at(0.5), "median-ms")
	b.ReportMetric(at(0.99), "p99-ms")
	b.ReportMetric(float64(delays[len(delays)-1])/float64(time.Millisecond), "max-ms")
	b.ReportMetric(float64(len(delays))/float64(b.N), "runs/op")
}
