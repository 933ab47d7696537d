package console

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/syncline/syncline/engine/catalog"
	"github.com/syncline/syncline/engine/internal/enginetest"
	"github.com/syncline/syncline/state"
)

// benchTasks is how many tasks the console's benchmarks read.
const benchTasks = 10000

// benchEngine is the Engine of the benchmarks: a catalog of the applied
// configuration and nothing running, so that only the console is
// measured.
type benchEngine struct{ cat *catalog.Catalog }

func (e benchEngine) Catalog() *catalog.Catalog       { return e.cat }
func (e benchEngine) Ready(ctx context.Context) error { return nil }
func (e benchEngine) Wake()                           {}

var (
	benchOnce    sync.Once
	benchConsole *Console
	benchErr     error
)

// benchSetup builds, once per test binary, a state with benchTasks tasks
// (a third on a cron schedule in Europe/Prague, a third every hour, a
// third manual; every tenth suspended), each with a finished run with
// statistics, and a console over it.
func benchSetup(b *testing.B) *Console {
	b.Helper()
	benchOnce.Do(func() {
		var hcl strings.Builder
		for i := range benchTasks {
			fmt.Fprintf(&hcl, "task \"task-%05d\" {\n  description = \"Task number %d\"\n  owner = \"team-%d\"\n", i, i, i%7)
			switch i % 3 {
			case 0:
				hcl.WriteString("  schedule {\n    cron = \"0 2 * * *\"\n    timezone = \"Europe/Prague\"\n  }\n")
			case 1:
				hcl.WriteString("  schedule {\n    every = \"1h\"\n  }\n")
			}
			hcl.WriteString("  activity \"exec\" {\n    command = \"true\"\n  }\n}\n")
		}
		bundle := enginetest.Setup(&benchTB{B: b}, hcl.String())
		ctx := context.Background()
		for i := range benchTasks {
			task := fmt.Sprintf("task-%05d", i)
			run, err := bundle.Store.RunEnqueue(ctx, state.Run{Task: task, Trigger: state.TriggerManual, TriggeredBy: "bench"})
			if err != nil {
				benchErr = err
				return
			}
			if _, err := bundle.Store.RunClaimByID(ctx, run.ID, "bench:1:1", bundle.Clock.Now()); err != nil {
				benchErr = err
				return
			}
			acts := []state.ActivityResult{{Name: "exec", Type: "exec", State: state.RunSucceeded, Total: 1000, Success: 990, Failure: 10,
				StartedAt: bundle.Clock.Now(), FinishedAt: bundle.Clock.Now().Add(time.Second), Statistics: map[string]int64{"added": 5, "modified": 985}}}
			if err := bundle.Store.RunFinish(ctx, run.ID, "bench:1:1", state.RunPartial, "", acts, time.Time{}, nil); err != nil {
				benchErr = err
				return
			}
			if i%10 == 9 {
				if err := bundle.Store.TaskSuspend(ctx, task, "maintenance", "bench"); err != nil {
					benchErr = err
					return
				}
			}
		}
		benchConsole, benchErr = New(Config{Store: bundle.Store, Engine: benchEngine{cat: bundle.Catalog(&benchTB{B: b})}, Clock: bundle.Clock,
			Tokens: []Token{{Name: "alice", Role: RoleOperator, Secret: operatorSecret}}})
	})
	if benchErr != nil {
		b.Fatal(benchErr)
	}
	return benchConsole
}

// benchTB keeps the fixture's temporary directories for the whole test
// binary: the benchmarks share it, and its first user's b.Cleanup would
// remove it under the others. The operating system's temporary directory
// takes them away.
type benchTB struct {
	*testing.B
}

func (t *benchTB) TempDir() string {
	dir, err := os.MkdirTemp("", "syncline-console-bench-")
	if err != nil {
		t.Fatal(err)
	}
	return dir
}

func (t *benchTB) Cleanup(func()) {}

// benchGet answers one GET of path with the operator's token.
func benchGet(b *testing.B, h http.Handler, path string) *httptest.ResponseRecorder {
	req := httptest.NewRequest(http.MethodGet, path, nil)
	req.Header.Set("Authorization", "Bearer "+operatorSecret)
	req.Header.Set("Accept", "text/html")
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, req)
	if rec.Code != http.StatusOK {
		b.Fatalf("GET %s: %d\n%s", path, rec.Code, rec.Body.String())
	}
	return rec
}

// BenchmarkGrid10000Tasks: one page of the tasks grid (the default page
// size) of a state with 10,000 tasks, server time; budget 200 ms.
// docs/performance.md records the figures.
func BenchmarkGrid10000Tasks(b *testing.B) {
	c := benchSetup(b)
	for _, path := range []string{"/", "/?sort=next_run&offset=5000", "/?offset=5000", "/?status=Suspended&q=team-3"} {
		b.Run(strings.NewReplacer("/", "", "?", "", "&", ",").Replace(path), func(b *testing.B) {
			rec := benchGet(b, c.Handler(), path)
			cpu := cpuTime()
			for b.Loop() {
				benchGet(b, c.Handler(), path)
			}
			reportCPU(b, cpu)
			b.ReportMetric(float64(rec.Body.Len())/1024, "KiB/page")
		})
	}
}

// BenchmarkAPITasks10000: GET /api/v1/tasks?limit=all of a state with
// 10,000 tasks, every one in one answer; budget 100 ms.
func BenchmarkAPITasks10000(b *testing.B) {
	c := benchSetup(b)
	for _, path := range []string{"/api/v1/tasks?limit=all", "/api/v1/tasks"} {
		b.Run(strings.NewReplacer("/api/v1/tasks", "tasks", "?", ",").Replace(path), func(b *testing.B) {
			rec := benchGet(b, c.Handler(), path)
			cpu := cpuTime()
			for b.Loop() {
				benchGet(b, c.Handler(), path)
			}
			reportCPU(b, cpu)
			b.ReportMetric(float64(rec.Body.Len())/1024, "KiB/answer")
		})
	}
}

// cpuTime is the CPU time the process has used, user and system.
func cpuTime() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

// reportCPU reports the CPU time per operation since since (the garbage
// collector's included): on a machine other work shares, a steadier
// figure than the wall time of ns/op.
func reportCPU(b *testing.B, since time.Duration) {
	b.ReportMetric(float64(cpuTime()-since)/float64(b.N)/1e6, "cpu-ms/op")
}
