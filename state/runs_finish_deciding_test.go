package state

import (
	"context"
	"errors"
	"sync"
	"testing"
	"time"
)

// TestFinishDecidingTakesTurnsAcrossHandles: two handles on one state
// finish runs of a and b at once, each deciding in its finish whether
// both have now succeeded (then it queues c). Every round exactly one of
// them sees both: decisions take turns with the writes they lead to.
func TestFinishDecidingTakesTurnsAcrossHandles(t *testing.T) {
	t.Parallel()
	b := setup(t)
	b.applyTasks(t, "a", "b", "c")
	handles := []*Store{b.store, b.open(t)}
	for round := range 20 {
		// Each finished run of a and b counts once: a round's c is queued
		// when both have as many succeeded runs as rounds so far.
		want := round + 1
		decide := func(ctx context.Context, reads RunReads, finished *Run) ([]Run, error) {
			for _, task := range []string{"a", "b"} {
				runs, err := reads.RunList(ctx, RunFilter{Task: task, State: []RunState{RunSucceeded}})
				if err != nil || len(runs) < want {
					return nil, err
				}
			}
			return []Run{{Task: "c", Trigger: TriggerAfter, Note: finished.Task}}, nil
		}
		claimed := make([]*Run, 2)
		for i, task := range []string{"a", "b"} {
			claimed[i] = b.claimByID(t, b.enqueue(t, Run{Task: task}).ID, task+"-worker")
		}
		var wg sync.WaitGroup
		for i, h := range handles {
			wg.Go(func() {
				r := claimed[i]
				if err := h.RunFinishDeciding(b.ctx, r.ID, r.ClaimedBy, RunSucceeded, "", nil, time.Time{}, nil, decide); err != nil {
					t.Error(err)
				}
			})
		}
		wg.Wait()
		c, err := b.store.RunList(b.ctx, RunFilter{Task: "c"})
		if err != nil {
			t.Fatal(err)
		}
		if len(c) != want {
			t.Fatalf("round %d: c has %d runs, want %d", round, len(c), want)
		}
		for _, r := range c {
			if r.State == RunQueued {
				if _, err := b.store.RunCancel(b.ctx, r.ID, "counted", time.Time{}); err != nil {
					t.Fatal(err)
				}
			}
		}
	}
}

// TestFinishDecidingErrorChangesNothing: a decision that fails fails the
// finish: the run is still running, nothing is queued.
func TestFinishDecidingErrorChangesNothing(t *testing.T) {
	t.Parallel()
	b := setup(t)
	b.applyTasks(t, "a", "c")
	r := b.claimByID(t, b.enqueue(t, Run{Task: "a"}).ID, "w")
	boom := errors.New("boom")
	var saw RunState
	err := b.store.RunFinishDeciding(b.ctx, r.ID, "w", RunSucceeded, "", nil, time.Time{},
		[]Run{{Task: "c", Trigger: TriggerAfter}},
		func(ctx context.Context, reads RunReads, finished *Run) ([]Run, error) {
			got, err := reads.RunLastSucceeded(ctx, "a")
			if err == nil && got != nil {
				saw = got.State
			}
			return nil, boom
		})
	if !errors.Is(err, boom) {
		t.Fatalf("err = %v, want boom", err)
	}
	if saw != RunSucceeded {
		t.Errorf("the decision did not see the run finished: %q", saw)
	}
	if got := b.run(t, r.ID); got.State != RunRunning {
		t.Errorf("run is %s after a failed decision", got.State)
	}
	if runs, _ := b.store.RunList(b.ctx, RunFilter{Task: "c"}); len(runs) != 0 {
		t.Errorf("c has runs after a failed decision: %+v", runs)
	}
}
