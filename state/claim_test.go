package state

import (
	"errors"
	"fmt"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"modernc.org/sqlite"
	sqlite3 "modernc.org/sqlite/lib"
)

func TestClaimRunOrder(t *testing.T) {
	t.Parallel()
	b := setup(t)
	b.applyTasks(t, "a", "b", "c", "d")
	now := b.clock.Now()
	low := b.enqueue(t, Run{Task: "a", ScheduledAt: now.Add(-3 * time.Minute)})
	highLate := b.enqueue(t, Run{Task: "b", Priority: 10, ScheduledAt: now.Add(-time.Minute)})
	highEarly := b.enqueue(t, Run{Task: "c", Priority: 10, ScheduledAt: now.Add(-2 * time.Minute)})
	highEarlyToo := b.enqueue(t, Run{Task: "d", Priority: 10, ScheduledAt: now.Add(-2 * time.Minute)})
	future := b.enqueue(t, Run{Task: "a", Priority: 99, ScheduledAt: now.Add(time.Nanosecond)})

	var got []int64
	for r := b.claim(t, "w"); r != nil; r = b.claim(t, "w") {
		if r.State != RunRunning || r.ClaimedBy != "w" || !r.StartedAt.Equal(now) || !r.HeartbeatAt.Equal(now) {
			t.Fatalf("claimed %+v; want running under w since now", r)
		}
		got = append(got, r.ID)
	}
	want := []int64{highEarly.ID, highEarlyToo.ID, highLate.ID, low.ID}
	if !slices.Equal(got, want) {
		t.Fatalf("claim order %v; want %v (priority, then scheduled, then ID)", got, want)
	}

	// Not one nanosecond before it is scheduled.
	b.clock.Advance(time.Nanosecond)
	if r := b.claim(t, "w"); r == nil || r.ID != future.ID {
		t.Fatalf("claim at its scheduled time = %+v; want run %d", r, future.ID)
	}
}

func TestClaimRunExclusivity(t *testing.T) {
	t.Parallel()
	b := setup(t)
	b.applyTasks(t, "forbid", "allow", "other")
	first := b.enqueue(t, Run{Task: "forbid", Exclusive: true, Priority: 5})
	second := b.enqueue(t, Run{Task: "forbid", Exclusive: true, Priority: 5})
	b.enqueue(t, Run{Task: "allow"})
	b.enqueue(t, Run{Task: "allow"})
	otherRun := b.enqueue(t, Run{Task: "other", Priority: -1})

	if r := b.claim(t, "w1"); r.ID != first.ID {
		t.Fatalf("first claim = %d; want %d", r.ID, first.ID)
	}
	// The second forbid run waits, without holding up the others.
	var got []string
	for r := b.claim(t, "w2"); r != nil; r = b.claim(t, "w2") {
		got = append(got, fmt.Sprintf("%s/%d", r.Task, r.ID))
	}
	if want := []string{"allow/3", "allow/4", fmt.Sprintf("other/%d", otherRun.ID)}; !slices.Equal(got, want) {
		t.Fatalf("claimed %v while forbid runs; want %v", got, want)
	}
	_, err := b.store.RunClaimByID(b.ctx, second.ID, "w3", b.clock.Now())
	var stateErr *RunStateError
	if !errors.As(err, &stateErr) || stateErr.BlockedBy != first.ID ||
		!strings.Contains(err.Error(), fmt.Sprintf("syncline runs cancel %d", first.ID)) {
		t.Fatalf("ClaimRunByID of the waiting run: %v; want RunStateError blocked by %d with a hint", err, first.ID)
	}

	if err := b.store.RunFinish(b.ctx, first.ID, "w1", RunSucceeded, "", nil, time.Time{}, nil); err != nil {
		t.Fatal(err)
	}
	if r := b.claim(t, "w1"); r == nil || r.ID != second.ID {
		t.Fatalf("claim after the first finished = %+v; want run %d", r, second.ID)
	}
}

func TestClaimRunWaitsForSuspendedTasks(t *testing.T) {
	t.Parallel()
	b := setup(t)
	b.applyTasks(t, "a")
	r := b.enqueue(t, Run{Task: "a"})
	if err := b.store.TaskSuspend(b.ctx, "a", "freeze", "alice"); err != nil {
		t.Fatal(err)
	}
	if got := b.claim(t, "w"); got != nil {
		t.Fatalf("claimed %+v of a suspended task", got)
	}
	_, err := b.store.RunClaimByID(b.ctx, r.ID, "w", b.clock.Now())
	if !errors.As(err, new(*TaskStateError)) || !strings.Contains(err.Error(), "syncline tasks resume a") {
		t.Fatalf("ClaimRunByID of a suspended task's run: %v; want TaskStateError", err)
	}
	if err := b.store.TaskResume(b.ctx, "a", "alice"); err != nil {
		t.Fatal(err)
	}
	if got := b.claim(t, "w"); got == nil || got.ID != r.ID {
		t.Fatalf("claim after resume = %+v; want run %d", got, r.ID)
	}
}

func TestClaimRunByIDRefuses(t *testing.T) {
	t.Parallel()
	b := setup(t)
	b.applyTasks(t, "a")
	r := b.enqueue(t, Run{Task: "a", ScheduledAt: at(time.Hour)})
	if got := b.claimByID(t, r.ID, "w"); got.State != RunRunning {
		t.Fatalf("ClaimRunByID of a future run = %+v; want it claimed", got)
	}
	before := b.dump(t)
	_, err := b.store.RunClaimByID(b.ctx, r.ID, "w2", b.clock.Now())
	var stateErr *RunStateError
	if !errors.As(err, &stateErr) || stateErr.State != RunRunning || err.Error() == "" ||
		!strings.Contains(err.Error(), fmt.Sprintf("run %d is running, not queued", r.ID)) {
		t.Fatalf("claiming a running run: %v", err)
	}
	if _, err := b.store.RunClaimByID(b.ctx, 999, "w", b.clock.Now()); !errors.As(err, new(*UnknownRunError)) {
		t.Fatalf("claiming run 999: %v; want UnknownRunError", err)
	}
	if _, err := b.store.RunClaim(b.ctx, "", b.clock.Now()); !errors.As(err, new(*InvalidRunError)) {
		t.Fatalf("claiming without a worker: %v; want InvalidRunError", err)
	}
	if b.dump(t) != before {
		t.Error("a refused claim changed the state")
	}
}

// TestConcurrentClaimsNeverShareARun has workers on two Store handles
// claim 200 runs at once: each run is claimed by exactly one of them.
func TestConcurrentClaimsNeverShareARun(t *testing.T) {
	t.Parallel()
	b := setup(t)
	const tasks, runs = 10, 200
	var names []string
	for i := range tasks {
		names = append(names, fmt.Sprintf("t%d", i))
	}
	b.applyTasks(t, names...)
	for i := range runs {
		b.enqueue(t, Run{Task: names[i%tasks], Priority: i % 3})
	}

	var (
		wg      sync.WaitGroup
		mu      sync.Mutex
		claimed = map[int64]string{}
	)
	for h := range 2 {
		s := b.open(t)
		for g := range 4 {
			worker := fmt.Sprintf("h%d:g%d", h, g)
			wg.Go(func() {
				for {
					r, err := s.RunClaim(b.ctx, worker, b.clock.Now())
					if starvedByOtherHandle(t, err) {
						continue
					}
					if err != nil {
						t.Error(err)
						return
					}
					if r == nil {
						return
					}
					mu.Lock()
					if prev, dup := claimed[r.ID]; dup {
						t.Errorf("run %d claimed by %s and %s", r.ID, prev, worker)
					}
					claimed[r.ID] = worker
					mu.Unlock()
				}
			})
		}
	}
	wg.Wait()
	if len(claimed) != runs {
		t.Fatalf("%d runs claimed; want %d", len(claimed), runs)
	}
	for id, worker := range claimed {
		if r := b.run(t, id); r.State != RunRunning || r.ClaimedBy != worker {
			t.Errorf("run %d = %s under %q; want running under %s", id, r.State, r.ClaimedBy, worker)
		}
	}
}

// TestConcurrentClaimsKeepExclusiveRunsApart has workers on two handles
// claim and finish exclusive runs of three tasks: no two runs of a task
// are ever running at once, and every run is done.
func TestConcurrentClaimsKeepExclusiveRunsApart(t *testing.T) {
	t.Parallel()
	b := setup(t)
	b.applyTasks(t, "a", "b", "c")
	const runs = 60
	for i := range runs {
		b.enqueue(t, Run{Task: []string{"a", "b", "c"}[i%3], Exclusive: true})
	}
	var wg sync.WaitGroup
	for h := range 2 {
		s := b.open(t)
		for g := range 3 {
			worker := fmt.Sprintf("h%d:g%d", h, g)
			wg.Go(func() { claimAndFinish(t, s, b, worker) })
		}
	}
	wg.Wait()
	done, err := b.store.RunList(b.ctx, RunFilter{State: []RunState{RunSucceeded}})
	if err != nil {
		t.Fatal(err)
	}
	if len(done) != runs {
		t.Fatalf("%d runs succeeded; want %d", len(done), runs)
	}
}

// starvedByOtherHandle reports whether err is SQLITE_BUSY: the claim
// waited BusyTimeout for the database's write lock and gave up. SQLite's
// lock is not a queue: a waiter polls, with sleeps of up to 100 ms, while
// the other handle's workers take the lock back to back, and on a loaded
// machine (the race detector, two busy cores) that can last longer than
// the timeout. A claim that gave up claimed nothing, and a server's worker
// tries again on its next round (engine.Server.work), so the tests' workers
// do too.
func starvedByOtherHandle(t *testing.T, err error) bool {
	var e *sqlite.Error
	if !errors.As(err, &e) || e.Code()&0xff != sqlite3.SQLITE_BUSY {
		return false
	}
	t.Logf("a claim gave up waiting for the write lock, and is tried again: %v", err)
	return true
}

// claimAndFinish claims runs until none is left, checking that the
// claimed run is the only running run of its task.
func claimAndFinish(t *testing.T, s *Store, b *bundle, worker string) {
	for {
		r, err := s.RunClaim(b.ctx, worker, b.clock.Now())
		if starvedByOtherHandle(t, err) {
			continue
		}
		if err != nil {
			t.Error(err)
			return
		}
		if r == nil {
			active, err := s.RunList(b.ctx, RunFilter{State: []RunState{RunQueued, RunRunning}})
			if err != nil || len(active) == 0 {
				return // all done
			}
			time.Sleep(time.Millisecond) // blocked behind another worker's run
			continue
		}
		running, err := s.RunList(b.ctx, RunFilter{Task: r.Task, State: []RunState{RunRunning}})
		if err != nil || len(running) != 1 {
			t.Errorf("task %s has %d running runs (%v)", r.Task, len(running), err)
		}
		if err := s.RunFinish(b.ctx, r.ID, worker, RunSucceeded, "", nil, time.Time{}, nil); err != nil {
			t.Error(err)
			return
		}
	}
}
