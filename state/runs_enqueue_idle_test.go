package state

import (
	"sync"
	"testing"
)

// TestEnqueueIfIdleQueuesOnceAcrossHandles: handles on one state that
// each queue a run of an idle task at the same moment store one between
// them; with a run active, nothing is queued.
func TestEnqueueIfIdleQueuesOnceAcrossHandles(t *testing.T) {
	t.Parallel()
	b := setup(t)
	b.applyTasks(t, "consumer")
	handles := []*Store{b.store, b.open(t), b.open(t)}
	var (
		wg     sync.WaitGroup
		mu     sync.Mutex
		queued []*Run
	)
	for _, h := range handles {
		wg.Go(func() {
			r, err := h.RunEnqueueIfIdle(b.ctx, Run{Task: "consumer", Trigger: TriggerManual, Exclusive: true})
			if err != nil {
				t.Error(err)
			}
			mu.Lock()
			defer mu.Unlock()
			if r != nil {
				queued = append(queued, r)
			}
		})
	}
	wg.Wait()
	runs, err := b.store.RunList(b.ctx, RunFilter{Task: "consumer"})
	if err != nil {
		t.Fatal(err)
	}
	if len(queued) != 1 || len(runs) != 1 || runs[0].ID != queued[0].ID {
		t.Fatalf("%d handles queued %d runs (%d stored), want one", len(handles), len(queued), len(runs))
	}
	b.claimByID(t, runs[0].ID, "w")
	if r, err := b.store.RunEnqueueIfIdle(b.ctx, Run{Task: "consumer", Trigger: TriggerManual}); err != nil || r != nil {
		t.Fatalf("with a run running: %+v, %v; want nothing queued", r, err)
	}
}
