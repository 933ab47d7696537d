package state

import (
	"testing"
	"time"
)

// applyTasks applies a task definition for each name (on top of what is
// stored) and fails the test on error.
func (b *bundle) applyTasks(t *testing.T, names ...string) {
	t.Helper()
	req := b.request(t)
	for _, name := range names {
		req.Upserts = append(req.Upserts, def("task", name, "h-"+name))
	}
	b.apply(t, req)
}

// enqueue stores r, a manual full run unless it says otherwise.
func (b *bundle) enqueue(t *testing.T, r Run) *Run {
	t.Helper()
	if r.Trigger == "" {
		r.Trigger = TriggerManual
	}
	stored, err := b.store.RunEnqueue(b.ctx, r)
	if err != nil {
		t.Fatal(err)
	}
	return stored
}

// claim claims the next run for worker at the bundle's clock.
func (b *bundle) claim(t *testing.T, worker string) *Run {
	t.Helper()
	r, err := b.store.RunClaim(b.ctx, worker, b.clock.Now())
	if err != nil {
		t.Fatal(err)
	}
	return r
}

func (b *bundle) run(t *testing.T, id int64) *Run {
	t.Helper()
	r, err := b.store.RunGet(b.ctx, id)
	if err != nil {
		t.Fatal(err)
	}
	return r
}

func (b *bundle) taskRuntime(t *testing.T, task string) *TaskRuntime {
	t.Helper()
	rt, err := b.store.TaskRuntime(b.ctx, task)
	if err != nil {
		t.Fatal(err)
	}
	return rt
}

// ids lists the IDs of runs, in order.
func ids(runs []Run) []int64 {
	out := make([]int64, len(runs))
	for i, r := range runs {
		out[i] = r.ID
	}
	return out
}

// at is the bundle clock's start moved by d.
func at(d time.Duration) time.Time { return newFakeClock().Now().Add(d) }
