package state

import (
	"slices"
	"strings"
	"testing"
	"time"
)

// applyNotifying applies task "nightly" with notify blocks listening for
// the outcomes given, one list per block.
func (b *bundle) applyNotifying(t *testing.T, blocks ...string) {
	t.Helper()
	d := def("task", "nightly", "h-"+strings.Join(blocks, "|"))
	for i, on := range blocks {
		d.Spec["notify["+string(rune('0'+i))+"].on"] = on
		d.Spec["notify["+string(rune('0'+i))+"].webhook"] = `"(sensitive sha256:00)"`
	}
	req := b.request(t)
	req.Upserts = append(req.Upserts, d)
	b.apply(t, req)
}

// endRun runs a manual run of nightly to final and returns its ID.
func (b *bundle) endRun(t *testing.T, final RunState) int64 {
	t.Helper()
	r := b.enqueue(t, Run{Task: "nightly", Mode: "full"})
	b.claim(t, "w1")
	if err := b.store.RunFinish(b.ctx, r.ID, "w1", final, "", nil, time.Time{}, nil); err != nil {
		t.Fatal(err)
	}
	return r.ID
}

func (b *bundle) notifications(t *testing.T, run int64) []Notification {
	t.Helper()
	ns, err := b.store.RunNotifications(b.ctx, run)
	if err != nil {
		t.Fatal(err)
	}
	return ns
}

func TestRunOutcomeQueuesItsNotifications(t *testing.T) {
	t.Parallel()
	b := setup(t)
	b.applyNotifying(t, `["failed", "partial"]`, `["failed"]`, `["succeeded"]`)
	for _, tc := range []struct {
		final  RunState
		blocks []int
	}{
		{RunFailed, []int{0, 1}},
		{RunPartial, []int{0}},
		{RunSucceeded, []int{2}},
		{RunCancelled, nil},
	} {
		id := b.endRun(t, tc.final)
		ns := b.notifications(t, id)
		var got []int
		for _, n := range ns {
			got = append(got, n.Block)
			if n.State != NotificationPending || n.Outcome != tc.final || n.Task != "nightly" || n.RunID != id {
				t.Errorf("%s: %+v", tc.final, n)
			}
			if !strings.Contains(n.Key, ":run-") || !strings.HasSuffix(n.Key, "notify["+string(rune('0'+n.Block))+"]") {
				t.Errorf("%s: key %q", tc.final, n.Key)
			}
		}
		if !slices.Equal(got, tc.blocks) {
			t.Errorf("%s: notifications of blocks %v, want %v", tc.final, got, tc.blocks)
		}
	}
}

// TestRecoveryAndCancelNotify: the other ways a run ends — its worker
// died, a queued run was cancelled — queue notifications too.
func TestRecoveryAndCancelNotify(t *testing.T) {
	t.Parallel()
	b := setup(t)
	b.applyNotifying(t, `["interrupted", "cancelled"]`)
	running := b.enqueue(t, Run{Task: "nightly", Mode: "full"})
	b.claim(t, "w1")
	if _, err := b.store.RunRecover(b.ctx, b.clock.Now().Add(time.Hour), b.clock.Now().Add(time.Minute), nil); err != nil {
		t.Fatal(err)
	}
	if ns := b.notifications(t, running.ID); len(ns) != 1 || ns[0].Outcome != RunInterrupted {
		t.Errorf("interrupted run: %+v", ns)
	}
	queued := b.enqueue(t, Run{Task: "nightly", Mode: "full", ScheduledAt: b.clock.Now().Add(time.Hour)})
	if _, err := b.store.RunCancel(b.ctx, queued.ID, "bob", time.Time{}); err != nil {
		t.Fatal(err)
	}
	if ns := b.notifications(t, queued.ID); len(ns) != 1 || ns[0].Outcome != RunCancelled {
		t.Errorf("cancelled run: %+v", ns)
	}
}

// TestNotificationDelivery walks a notification through its dispatcher:
// claimed for a lease (nobody else takes it meanwhile), failed and
// retried later, delivered; another one given up.
func TestNotificationDelivery(t *testing.T) {
	t.Parallel()
	b := setup(t)
	b.applyNotifying(t, `["failed"]`)
	first, second := b.endRun(t, RunFailed), b.endRun(t, RunFailed)
	now := b.clock.Now()
	due, err := b.store.NotificationsDue(b.ctx, "d1", now, time.Minute, 10)
	if err != nil {
		t.Fatal(err)
	}
	if len(due) != 2 || due[0].RunID != first || due[1].RunID != second {
		t.Fatalf("due: %+v", due)
	}
	if again, _ := b.store.NotificationsDue(b.ctx, "d2", now, time.Minute, 10); len(again) != 0 {
		t.Errorf("another dispatcher took %d claimed notifications", len(again))
	}
	if err := b.store.NotificationAttempted(b.ctx, due[0].ID, "d2", NotificationAttempt{At: now, Error: "x"}, now.Add(time.Minute)); err == nil {
		t.Error("a dispatcher recorded an attempt on a notification it did not claim")
	}
	if err := b.store.NotificationAttempted(b.ctx, due[0].ID, "d1", NotificationAttempt{At: now, Status: "500 Internal Server Error", Error: "the receiver answered 500"}, now.Add(10*time.Second)); err != nil {
		t.Fatal(err)
	}
	if err := b.store.NotificationAttempted(b.ctx, due[1].ID, "d1", NotificationAttempt{At: now, Error: "gone"}, time.Time{}); err != nil {
		t.Fatal(err)
	}
	if n := b.notifications(t, second); n[0].State != NotificationFailed || n[0].FinishedAt.IsZero() {
		t.Errorf("given up: %+v", n[0])
	}
	if early, _ := b.store.NotificationsDue(b.ctx, "d2", now.Add(5*time.Second), time.Minute, 10); len(early) != 0 {
		t.Errorf("%d notifications due before their next attempt", len(early))
	}
	later, err := b.store.NotificationsDue(b.ctx, "d2", now.Add(10*time.Second), time.Minute, 10)
	if err != nil || len(later) != 1 {
		t.Fatalf("due after the backoff: %+v %v", later, err)
	}
	if err := b.store.NotificationAttempted(b.ctx, later[0].ID, "d2", NotificationAttempt{At: now.Add(10 * time.Second), Status: "202 Accepted"}, time.Time{}); err != nil {
		t.Fatal(err)
	}
	n := b.notifications(t, first)[0]
	if n.State != NotificationDelivered || len(n.Attempts) != 2 || n.Attempts[0].Error == "" || n.Attempts[1].Status != "202 Accepted" || n.Attempts[1].By != "d2" {
		t.Errorf("delivered: %+v", n)
	}
	if pending, _, err := b.store.NotificationsPending(b.ctx); err != nil || pending != 0 {
		t.Errorf("pending: %d %v", pending, err)
	}
}

// TestNotificationLeaseExpires: a dispatcher that died holding a
// notification leaves it to the next once its lease is over.
func TestNotificationLeaseExpires(t *testing.T) {
	t.Parallel()
	b := setup(t)
	b.applyNotifying(t, `["failed"]`)
	b.endRun(t, RunFailed)
	now := b.clock.Now()
	if due, _ := b.store.NotificationsDue(b.ctx, "dead", now, time.Minute, 10); len(due) != 1 {
		t.Fatalf("due: %d", len(due))
	}
	if due, _ := b.store.NotificationsDue(b.ctx, "next", now.Add(time.Minute), time.Minute, 10); len(due) != 1 {
		t.Errorf("after the lease: %d due, want 1", len(due))
	}
}
