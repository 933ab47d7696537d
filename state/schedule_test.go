package state

import (
	"errors"
	"fmt"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

func TestAdvanceScheduleIsACompareAndSet(t *testing.T) {
	t.Parallel()
	b := setup(t)
	b.applyTasks(t, "a")
	t1, t2 := at(time.Hour), at(2*time.Hour)
	due := []Run{{Trigger: TriggerSchedule, TriggeredBy: formatTime(t1), ScheduledAt: t1}}

	ok, err := b.store.TaskAdvanceSchedule(b.ctx, "a", time.Time{}, t1, "every 1h", nil)
	if err != nil || !ok {
		t.Fatalf("first advance = %v, %v", ok, err)
	}
	rt := b.taskRuntime(t, "a")
	if !rt.NextFireAt.Equal(t1) || rt.ScheduleKey != "every 1h" {
		t.Fatalf("runtime = %+v; want next fire %v", rt, t1)
	}

	// A scheduler that still believes there is no next fire time loses.
	before := b.dump(t)
	if ok, err := b.store.TaskAdvanceSchedule(b.ctx, "a", time.Time{}, t2, "every 1h", due); err != nil || ok {
		t.Fatalf("stale advance = %v, %v; want false", ok, err)
	}
	if b.dump(t) != before {
		t.Fatal("a stale advance changed the state")
	}

	if ok, err := b.store.TaskAdvanceSchedule(b.ctx, "a", t1, t2, "every 1h", due); err != nil || !ok {
		t.Fatalf("advance from t1 = %v, %v", ok, err)
	}
	runs, _ := b.store.RunList(b.ctx, RunFilter{Task: "a"})
	if len(runs) != 1 || runs[0].State != RunQueued || runs[0].Task != "a" || !runs[0].ScheduledAt.Equal(t1) ||
		!runs[0].CreatedAt.Equal(b.clock.Now()) {
		t.Fatalf("runs = %+v; want the one queued fire", runs)
	}
	if ok, err := b.store.TaskAdvanceSchedule(b.ctx, "a", t2, time.Time{}, "", nil); err != nil || !ok {
		t.Fatalf("advance to no next fire time = %v, %v", ok, err)
	}
	if rt := b.taskRuntime(t, "a"); !rt.NextFireAt.IsZero() {
		t.Fatalf("next fire = %v; want none", rt.NextFireAt)
	}
}

func TestAdvanceScheduleRefuses(t *testing.T) {
	t.Parallel()
	b := taskStates(t)
	if ok, err := b.store.TaskAdvanceSchedule(b.ctx, "gone", time.Time{}, at(time.Hour), "k", nil); err != nil || ok {
		t.Errorf("advancing a closed task = %v, %v; want false", ok, err)
	}
	if _, err := b.store.TaskAdvanceSchedule(b.ctx, "nope", time.Time{}, at(time.Hour), "k", nil); !errors.As(err, new(*UnknownTaskError)) {
		t.Errorf("advancing an unknown task: %v; want UnknownTaskError", err)
	}
	other := []Run{{Task: "paused", Trigger: TriggerSchedule}}
	if _, err := b.store.TaskAdvanceSchedule(b.ctx, "active", time.Time{}, at(time.Hour), "k", other); !errors.As(err, new(*InvalidRunError)) {
		t.Errorf("advancing with another task's run: %v; want InvalidRunError", err)
	}
	// A suspended task's schedule advances; its due runs are recorded skipped.
	skipped := []Run{{Trigger: TriggerSchedule, State: RunSkipped, Note: "suspended"}}
	if ok, err := b.store.TaskAdvanceSchedule(b.ctx, "paused", time.Time{}, at(time.Hour), "k", skipped); err != nil || !ok {
		t.Errorf("advancing a suspended task = %v, %v", ok, err)
	}
}

// TestAdvanceScheduleFiresOnce has schedulers on two Store handles race to
// fire the same schedule: every fire time produces its run exactly once.
func TestAdvanceScheduleFiresOnce(t *testing.T) {
	t.Parallel()
	b := setup(t)
	b.applyTasks(t, "a")
	const fires = 30
	var wins atomic.Int64
	var wg sync.WaitGroup
	for w := range 4 {
		s := b.open(t)
		wg.Go(func() {
			for {
				rt, err := s.TaskRuntime(b.ctx, "a")
				if err != nil {
					t.Error(err)
					return
				}
				fire := rt.NextFireAt
				if fire.Equal(at(fires * time.Minute)) {
					return
				}
				next := at(time.Minute)
				if !fire.IsZero() {
					next = fire.Add(time.Minute)
				}
				run := Run{Trigger: TriggerSchedule, TriggeredBy: fmt.Sprintf("%s by scheduler %d", formatTime(next), w), ScheduledAt: next}
				ok, err := s.TaskAdvanceSchedule(b.ctx, "a", fire, next, "every 1m", []Run{run})
				if err != nil {
					t.Error(err)
					return
				}
				if ok {
					wins.Add(1)
				}
			}
		})
	}
	wg.Wait()
	runs, err := b.store.RunList(b.ctx, RunFilter{Task: "a"})
	if err != nil {
		t.Fatal(err)
	}
	if wins.Load() != fires || len(runs) != fires {
		t.Fatalf("%d advances won, %d runs; want %d of each", wins.Load(), len(runs), fires)
	}
	seen := map[time.Time]bool{}
	for _, r := range runs {
		if seen[r.ScheduledAt] {
			t.Errorf("fire time %v produced two runs", r.ScheduledAt)
		}
		seen[r.ScheduledAt] = true
	}
}
