package state

import (
	"context"
	"fmt"
	"slices"
	"sync"
	"testing"
	"time"
)

// Claim latency (issue 20: p99 at most 20 ms with three nodes and 10,000
// queued runs): three Store handles on one state, as three serve nodes
// would have, each with claimWorkers workers that claim a run and finish
// it at once until all 10,000 are done. It reports the latency of the
// claims that got a run (claim-p50-ms, claim-p99-ms), and checks what
// claims promise: every run claimed once, never two runs of an exclusive
// task at a time. Run it with -benchtime=1x; it runs on PostgreSQL only.
func BenchmarkClaimThreeNodes(b *testing.B) {
	const (
		nodes        = 3
		claimWorkers = 3
		tasks        = 1000
		runsPerTask  = 10 // 10,000 runs
	)
	if testBackend != dialectPostgres {
		// Nine claimers in three handles on one file wait on SQLite's
		// busy timeout; nodes share a PostgreSQL state, not a file.
		b.Skip("PostgreSQL only: several nodes share a PostgreSQL state")
	}
	ctx := context.Background()
	location := newLocation(b)
	stores := make([]*Store, nodes)
	for i := range stores {
		s, err := Open(ctx, location, Options{})
		if err != nil {
			b.Fatal(err)
		}
		b.Cleanup(func() { _ = s.Close() })
		stores[i] = s
	}
	applyBenchTasks(b, stores[0], tasks)
	var latencies []time.Duration
	for range b.N {
		b.StopTimer()
		start := time.Now()
		enqueueBenchRuns(b, stores[0], tasks, runsPerTask)
		b.Logf("%s: queued %d runs in %s", testBackend, tasks*runsPerTask, time.Since(start).Round(time.Millisecond))
		b.StartTimer()
		start = time.Now()
		latencies = append(latencies, drainClaims(b, stores, claimWorkers, tasks*runsPerTask)...)
		b.Logf("%s: claimed and finished them in %s", testBackend, time.Since(start).Round(time.Millisecond))
	}
	slices.Sort(latencies)
	at := func(q float64) float64 {
		return float64(latencies[int(q*float64(len(latencies)-1))]) / float64(time.Millisecond)
	}
	b.ReportMetric(at(0.50), "claim-p50-ms")
	b.ReportMetric(at(0.99), "claim-p99-ms")
	b.ReportMetric(at(1), "claim-max-ms")
}

// applyBenchTasks applies tasks task definitions, t0 to tN.
func applyBenchTasks(b *testing.B, s *Store, tasks int) {
	snap, err := s.Snapshot(context.Background())
	if err != nil {
		b.Fatal(err)
	}
	req := ApplyRequest{Lineage: snap.Lineage, Serial: snap.Serial, Who: "bench", Revision: "bench"}
	for i := range tasks {
		req.Upserts = append(req.Upserts, def("task", fmt.Sprint("t", i), "h"))
	}
	if _, err := s.Apply(context.Background(), req); err != nil {
		b.Fatal(err)
	}
}

// enqueueBenchRuns queues runsPerTask runs of every task, every fifth
// task's exclusive, with three priorities.
func enqueueBenchRuns(b *testing.B, s *Store, tasks, runsPerTask int) {
	for j := range runsPerTask {
		for i := range tasks {
			r := Run{Task: fmt.Sprint("t", i), Trigger: TriggerManual, Exclusive: i%5 == 0, Priority: (i + j) % 3}
			if _, err := s.RunEnqueue(context.Background(), r); err != nil {
				b.Fatal(err)
			}
		}
	}
}

// claimCheck is what the claimers saw, to check the claims' promises.
type claimCheck struct {
	mu        sync.Mutex
	claimed   map[int64]string // run → worker
	running   map[string]int   // exclusive task → its runs running
	problems  []string
	latencies []time.Duration
	done      int
}

// drainClaims has workers on every store claim and finish runs until
// total are finished, and returns the latencies of the claims that got
// a run.
func drainClaims(b *testing.B, stores []*Store, workers, total int) []time.Duration {
	c := &claimCheck{claimed: map[int64]string{}, running: map[string]int{}}
	var wg sync.WaitGroup
	for n, s := range stores {
		for w := range workers {
			worker := fmt.Sprintf("node%d-w%d", n, w)
			wg.Go(func() { c.work(s, worker, total) })
		}
	}
	wg.Wait()
	if len(c.problems) > 0 {
		b.Fatalf("claims broke their promises: %v", c.problems[:min(5, len(c.problems))])
	}
	if c.done != total {
		b.Fatalf("%d runs finished; want %d", c.done, total)
	}
	return c.latencies
}

// work claims and finishes runs until total are finished or a call fails.
func (c *claimCheck) work(s *Store, worker string, total int) {
	ctx := context.Background()
	for {
		start := time.Now()
		r, err := s.RunClaim(ctx, worker, time.Time{})
		took := time.Since(start)
		if err != nil {
			c.fail("claim: %v", err)
			return
		}
		if r == nil {
			c.mu.Lock()
			finished := c.done >= total || len(c.problems) > 0
			c.mu.Unlock()
			if finished {
				return
			}
			continue // an exclusive run waits for its task's running one
		}
		c.claimedRun(r, worker, took)
		c.finishing(r)
		if err := s.RunFinish(ctx, r.ID, worker, RunSucceeded, "", nil, time.Time{}, nil); err != nil {
			c.fail("finish %d: %v", r.ID, err)
			return
		}
		c.finished()
	}
}

func (c *claimCheck) claimedRun(r *Run, worker string, took time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.latencies = append(c.latencies, took)
	if by, ok := c.claimed[r.ID]; ok {
		c.problems = append(c.problems, fmt.Sprintf("run %d claimed by %s and %s", r.ID, by, worker))
	}
	c.claimed[r.ID] = worker
	if r.Exclusive {
		if c.running[r.Task]++; c.running[r.Task] > 1 {
			c.problems = append(c.problems, fmt.Sprintf("exclusive task %s has %d runs running", r.Task, c.running[r.Task]))
		}
	}
}

// finishing is called just before run r's finish: a run of its task
// claimed before that would have started beside it.
func (c *claimCheck) finishing(r *Run) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if r.Exclusive {
		c.running[r.Task]--
	}
}

func (c *claimCheck) finished() {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.done++
}

func (c *claimCheck) fail(format string, args ...any) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.problems = append(c.problems, fmt.Sprintf(format, args...))
}
