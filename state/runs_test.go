package state

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"
)

func TestEnqueueRunFillsDefaults(t *testing.T) {
	t.Parallel()
	b := setup(t)
	b.applyTasks(t, "a")
	deadline := at(time.Hour + 123456789*time.Nanosecond)
	r := b.enqueue(t, Run{Task: "a", Trigger: TriggerManual, TriggeredBy: "alice", Revision: "abc", Serial: 1,
		Deadline: deadline, Checkpoint: json.RawMessage(`{"page":3}`),
		ID: 42, ClaimedBy: "ignored", StartedAt: at(time.Minute)})

	if r.ID == 42 || r.State != RunQueued || r.Mode != "full" || r.Attempt != 1 || r.ClaimedBy != "" ||
		!r.StartedAt.IsZero() || !r.CreatedAt.Equal(b.clock.Now()) || !r.ScheduledAt.Equal(r.CreatedAt) ||
		!r.Deadline.Equal(deadline) || string(r.Checkpoint) != `{"page":3}` {
		t.Fatalf("enqueued %+v", r)
	}
	if got := b.run(t, r.ID); !runsEqual(got, r) {
		t.Fatalf("read back %+v; want %+v", got, r)
	}
	skipped := b.enqueue(t, Run{Task: "a", Trigger: TriggerSchedule, State: RunSkipped, Note: "still running"})
	if skipped.State != RunSkipped || !skipped.FinishedAt.Equal(skipped.CreatedAt) || skipped.Note != "still running" {
		t.Fatalf("skipped run = %+v", skipped)
	}
}

func TestEnqueueRunRefuses(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name    string
		run     Run
		wantErr any // a pointer to the error type wanted
		want    string
	}{
		{"no task", Run{Trigger: TriggerManual}, new(*InvalidRunError), "a run needs a task"},
		{"no trigger", Run{Task: "active"}, new(*InvalidRunError), "needs a trigger"},
		{"running", Run{Task: "active", Trigger: TriggerManual, State: RunRunning}, new(*InvalidRunError), "cannot be created running"},
		{"unknown state", Run{Task: "active", Trigger: TriggerManual, State: "done"}, new(*InvalidRunError), `unknown run state "done"`},
		{"bad checkpoint", Run{Task: "active", Trigger: TriggerManual, Checkpoint: json.RawMessage(`{`)}, new(*InvalidRunError), "not valid JSON"},
		{"unknown task", Run{Task: "nope", Trigger: TriggerManual}, new(*UnknownTaskError), `no task "nope"`},
		{"closed task", Run{Task: "gone", Trigger: TriggerManual}, new(*TaskStateError), "cannot run task gone: it is closed"},
		{"closed task, retry", Run{Task: "gone", Trigger: TriggerRetry, RetryOf: 1}, new(*TaskStateError), "it is closed"},
		{"suspended task", Run{Task: "paused", Trigger: TriggerManual}, new(*TaskStateError), "syncline tasks resume paused"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			b := taskStates(t)
			b.enqueue(t, Run{Task: "active", State: RunFailed}) // run 1, for RetryOf
			before := b.dump(t)
			_, err := b.store.RunEnqueue(b.ctx, tt.run)
			if !errors.As(err, tt.wantErr) || !strings.Contains(err.Error(), tt.want) {
				t.Fatalf("err = %v; want %T %q", err, tt.wantErr, tt.want)
			}
			if b.dump(t) != before {
				t.Error("state changed")
			}
		})
	}
}

func TestEnqueueRunOfSuspendedTask(t *testing.T) {
	t.Parallel()
	b := taskStates(t)
	failed := b.enqueue(t, Run{Task: "paused", State: RunFailed})
	// A retry of a suspended task is stored, and waits for the resume.
	b.enqueue(t, Run{Task: "paused", Trigger: TriggerRetry, RetryOf: failed.ID, Attempt: 2})
	// So is a run recorded as skipped.
	b.enqueue(t, Run{Task: "paused", Trigger: TriggerSchedule, State: RunSkipped, Note: "suspended"})
	active, _ := b.store.RunListActive(b.ctx, "paused")
	if len(active) != 1 || active[0].RetryOf != failed.ID || active[0].Attempt != 2 {
		t.Fatalf("active runs = %+v; want the queued retry", active)
	}
}

func TestHeartbeatAndCancel(t *testing.T) {
	t.Parallel()
	b := setup(t)
	b.applyTasks(t, "a")
	r := b.claimByID(t, b.enqueue(t, Run{Task: "a"}).ID, "w1")

	b.clock.Advance(time.Second)
	if cancel, err := b.store.RunHeartbeat(b.ctx, r.ID, "w1", b.clock.Now()); err != nil || cancel {
		t.Fatalf("Heartbeat = %v, %v; want false", cancel, err)
	}
	if got := b.run(t, r.ID); !got.HeartbeatAt.Equal(b.clock.Now()) {
		t.Fatalf("heartbeat at %v; want %v", got.HeartbeatAt, b.clock.Now())
	}

	_, err := b.store.RunHeartbeat(b.ctx, r.ID, "w2", b.clock.Now())
	var stateErr *RunStateError
	if !errors.As(err, &stateErr) || !strings.Contains(err.Error(), "running under worker w1, not w2") {
		t.Fatalf("Heartbeat from another worker: %v", err)
	}

	cancelled, err := b.store.RunCancel(b.ctx, r.ID, "alice", b.clock.Now())
	if err != nil || cancelled.State != RunRunning || !cancelled.CancelRequested || cancelled.Note != "cancelled by alice" {
		t.Fatalf("CancelRun of a running run = %+v, %v; want cancel requested", cancelled, err)
	}
	if cancel, err := b.store.RunHeartbeat(b.ctx, r.ID, "w1", b.clock.Now()); err != nil || !cancel {
		t.Fatalf("Heartbeat after cancel = %v, %v; want true", cancel, err)
	}
	if err := b.store.RunFinish(b.ctx, r.ID, "w1", RunCancelled, "cancelled by alice", nil, time.Time{}, nil); err != nil {
		t.Fatal(err)
	}
	_, err = b.store.RunHeartbeat(b.ctx, r.ID, "w1", b.clock.Now())
	if !errors.As(err, &stateErr) || stateErr.State != RunCancelled ||
		!strings.Contains(err.Error(), "is cancelled, no longer running under worker w1") {
		t.Fatalf("Heartbeat of a finished run: %v", err)
	}
	if _, err := b.store.RunHeartbeat(b.ctx, 999, "w1", b.clock.Now()); !errors.As(err, new(*UnknownRunError)) {
		t.Fatalf("Heartbeat of run 999: %v", err)
	}
}

// TestHeartbeatWaitsForNoWriter: on PostgreSQL a heartbeat does not queue
// for the write slot or the schema's write lock behind other writers (the
// batches of several nodes), so recovery does not take a live worker's
// late heartbeat for a stopped one. Were it to wait, it would wait for the
// write this test holds open until the context's deadline.
func TestHeartbeatWaitsForNoWriter(t *testing.T) {
	t.Parallel()
	postgresOnly(t)
	b := setup(t)
	b.applyTasks(t, "a")
	r := b.claimByID(t, b.enqueue(t, Run{Task: "a"}).ID, "w1")
	other := b.open(t) // another node's handle on the same schema
	ctx, cancel := context.WithTimeout(b.ctx, 30*time.Second)
	defer cancel()
	b.clock.Advance(time.Second)
	err := b.store.write(ctx, func(*sql.Tx) error {
		for _, s := range []*Store{b.store, other} {
			if _, err := s.RunHeartbeat(ctx, r.ID, "w1", b.clock.Now()); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		t.Fatalf("heartbeats while a write holds the lock: %v", err)
	}
	if got := b.run(t, r.ID); !got.HeartbeatAt.Equal(b.clock.Now()) {
		t.Fatalf("heartbeat at %v; want %v", got.HeartbeatAt, b.clock.Now())
	}
}

func TestCancelRunInEachState(t *testing.T) {
	t.Parallel()
	b := setup(t)
	b.applyTasks(t, "a")
	queued := b.enqueue(t, Run{Task: "a"})
	running := b.claimByID(t, b.enqueue(t, Run{Task: "a"}).ID, "w")
	finished := b.enqueue(t, Run{Task: "a", State: RunSucceeded})
	b.clock.Advance(time.Minute)

	got, err := b.store.RunCancel(b.ctx, queued.ID, "alice", b.clock.Now())
	if err != nil || got.State != RunCancelled || !got.FinishedAt.Equal(b.clock.Now()) || got.Note != "cancelled by alice" {
		t.Fatalf("cancelling a queued run = %+v, %v", got, err)
	}
	for range 2 { // a second cancel of a running run is harmless
		got, err = b.store.RunCancel(b.ctx, running.ID, "alice", b.clock.Now())
		if err != nil || got.State != RunRunning || !got.CancelRequested {
			t.Fatalf("cancelling a running run = %+v, %v", got, err)
		}
	}
	before := b.dump(t)
	for _, id := range []int64{queued.ID, finished.ID} {
		_, err = b.store.RunCancel(b.ctx, id, "alice", b.clock.Now())
		var stateErr *RunStateError
		if !errors.As(err, &stateErr) || !strings.Contains(err.Error(), fmt.Sprintf("run %d has already finished", id)) {
			t.Errorf("cancelling finished run %d: %v", id, err)
		}
	}
	if _, err := b.store.RunCancel(b.ctx, 999, "alice", b.clock.Now()); !errors.As(err, new(*UnknownRunError)) ||
		!strings.Contains(err.Error(), "syncline runs") {
		t.Errorf("cancelling run 999: %v; want UnknownRunError with a hint", err)
	}
	if b.dump(t) != before {
		t.Error("a refused cancel changed the state")
	}
}

func TestSaveProgress(t *testing.T) {
	t.Parallel()
	b := setup(t)
	b.applyTasks(t, "a")
	r := b.claimByID(t, b.enqueue(t, Run{Task: "a"}).ID, "w")
	var errs []ItemError
	for i := range MaxItemErrors + 20 {
		errs = append(errs, ItemError{Item: fmt.Sprint(i), Message: "bad"})
	}
	acts := []ActivityResult{{Name: "import", Type: "exec", State: RunRunning, Total: -1, Failure: int64(len(errs)),
		Errors: errs, StartedAt: at(time.Second), Statistics: map[string]int64{"created": 3}}}

	if err := b.store.RunSaveProgress(b.ctx, r.ID, "w", acts, json.RawMessage(`{"cursor":"x"}`)); err != nil {
		t.Fatal(err)
	}
	got := b.run(t, r.ID)
	if len(got.Activities) != 1 || len(got.Activities[0].Errors) != MaxItemErrors || got.Activities[0].Failure != 120 ||
		got.Activities[0].Statistics["created"] != 3 || !got.Activities[0].StartedAt.Equal(at(time.Second)) ||
		string(got.Checkpoint) != `{"cursor":"x"}` {
		t.Fatalf("progress = %+v", got)
	}
	if len(acts[0].Errors) != MaxItemErrors+20 {
		t.Error("SaveProgress changed the caller's activities")
	}
	// nil keeps what is stored; JSON null removes the checkpoint.
	if err := b.store.RunSaveProgress(b.ctx, r.ID, "w", nil, nil); err != nil {
		t.Fatal(err)
	}
	if again := b.run(t, r.ID); !runsEqual(again, got) {
		t.Fatalf("nil progress changed the run:\n%+v\nwas\n%+v", again, got)
	}
	if err := b.store.RunSaveProgress(b.ctx, r.ID, "w", nil, json.RawMessage("null")); err != nil {
		t.Fatal(err)
	}
	if again := b.run(t, r.ID); again.Checkpoint != nil || len(again.Activities) != 1 {
		t.Fatalf("after removing the checkpoint: %+v", again)
	}
	if err := b.store.RunSaveProgress(b.ctx, r.ID, "other", nil, nil); !errors.As(err, new(*RunStateError)) {
		t.Fatalf("SaveProgress from another worker: %v", err)
	}
}

func TestFinishRunWithFollowUps(t *testing.T) {
	t.Parallel()
	b := setup(t)
	b.applyTasks(t, "a", "next", "gone")
	r := b.claimByID(t, b.enqueue(t, Run{Task: "a"}).ID, "w")
	req := b.request(t)
	req.Deletes = []string{"task.gone"}
	b.apply(t, req)

	acts := []ActivityResult{{Name: "import", Type: "exec", State: RunFailed, Total: 1, Failure: 1}}
	retry := Run{Task: "a", Trigger: TriggerRetry, TriggeredBy: fmt.Sprintf("run %d", r.ID), RetryOf: r.ID,
		Attempt: 2, ScheduledAt: at(time.Minute)}
	after := Run{Task: "next", Trigger: TriggerAfter, TriggeredBy: fmt.Sprintf("run %d", r.ID)}
	removed := Run{Task: "gone", Trigger: TriggerAfter}
	finishedAt := at(30 * time.Second)
	if err := b.store.RunFinish(b.ctx, r.ID, "w", RunFailed, "exit status 1", acts, finishedAt,
		[]Run{retry, after, removed}); err != nil {
		t.Fatal(err)
	}

	got := b.run(t, r.ID)
	if got.State != RunFailed || got.Error != "exit status 1" || !got.FinishedAt.Equal(finishedAt) ||
		len(got.Activities) != 1 || got.Activities[0].State != RunFailed {
		t.Fatalf("finished run = %+v", got)
	}
	runs, _ := b.store.RunList(b.ctx, RunFilter{})
	if len(runs) != 4 {
		t.Fatalf("%d runs; want the finished run and 3 follow-ups", len(runs))
	}
	states := map[string]RunState{}
	for _, f := range runs[:3] {
		states[f.Task] = f.State
	}
	if states["a"] != RunQueued || states["next"] != RunQueued || states["gone"] != RunCancelled ||
		runs[0].Note != removedNote || runs[2].RetryOf != r.ID || !runs[2].ScheduledAt.Equal(at(time.Minute)) {
		t.Fatalf("follow-ups = %+v", runs[:3])
	}
}

func TestFinishRunRefuses(t *testing.T) {
	t.Parallel()
	b := setup(t)
	b.applyTasks(t, "a")
	r := b.claimByID(t, b.enqueue(t, Run{Task: "a"}).ID, "w")
	before := b.dump(t)
	follow := []Run{{Task: "a", Trigger: TriggerRetry}}
	for name, tc := range map[string]struct {
		worker string
		final  RunState
		follow []Run
		want   any
	}{
		"another worker":       {"x", RunSucceeded, follow, new(*RunStateError)},
		"a state not final":    {"w", RunQueued, follow, new(*InvalidRunError)},
		"an unknown state":     {"w", "done", follow, new(*InvalidRunError)},
		"a follow-up for nope": {"w", RunSucceeded, []Run{{Task: "nope", Trigger: TriggerAfter}}, new(*UnknownTaskError)},
	} {
		err := b.store.RunFinish(b.ctx, r.ID, tc.worker, tc.final, "", nil, time.Time{}, tc.follow)
		if !errors.As(err, tc.want) {
			t.Errorf("finishing with %s: %v; want %T", name, err, tc.want)
		}
	}
	if b.dump(t) != before {
		t.Error("a refused finish changed the state")
	}
}

func TestRecoverRuns(t *testing.T) {
	t.Parallel()
	b := setup(t)
	b.applyTasks(t, "a")
	stale := b.claimByID(t, b.enqueue(t, Run{Task: "a"}).ID, "host:1:1")
	b.clock.Advance(time.Minute)
	dead := b.claimByID(t, b.enqueue(t, Run{Task: "a"}).ID, "host:2:1")
	alive := b.claimByID(t, b.enqueue(t, Run{Task: "a"}).ID, "host:3:1")
	queued := b.enqueue(t, Run{Task: "a"})
	b.clock.Advance(time.Second)

	asked := map[string]int{}
	isDead := func(worker string) bool { asked[worker]++; return worker == "host:2:1" }
	recovered, err := b.store.RunRecover(b.ctx, b.clock.Now(), b.clock.Now().Add(-30*time.Second), isDead)
	if err != nil {
		t.Fatal(err)
	}
	if got, want := ids(recovered), []int64{stale.ID, dead.ID}; !slices.Equal(got, want) {
		t.Fatalf("recovered %v; want %v", got, want)
	}
	wantErr := "interrupted: worker host:1:1 stopped (heartbeat at 2025-03-14T09:26:53Z)"
	if r := recovered[0]; r.State != RunInterrupted || r.Error != wantErr || !r.FinishedAt.Equal(b.clock.Now()) {
		t.Errorf("recovered run = %+v; want interrupted with %q", r, wantErr)
	}
	if got := b.run(t, alive.ID); got.State != RunRunning {
		t.Errorf("a live run became %s", got.State)
	}
	if got := b.run(t, queued.ID); got.State != RunQueued {
		t.Errorf("a queued run became %s", got.State)
	}
	if asked["host:1:1"] != 1 || asked["host:2:1"] != 1 || asked["host:3:1"] != 1 {
		t.Errorf("isDead was asked %v; want each worker once", asked)
	}
	// The stale worker comes back: it learns its run is gone.
	if _, err := b.store.RunHeartbeat(b.ctx, stale.ID, "host:1:1", b.clock.Now()); !errors.As(err, new(*RunStateError)) {
		t.Errorf("Heartbeat of a recovered run: %v; want RunStateError", err)
	}
	if again, err := b.store.RunRecover(b.ctx, b.clock.Now(), b.clock.Now().Add(-30*time.Second), nil); err != nil || len(again) != 0 {
		t.Errorf("a second recovery = %v, %v; want nothing", again, err)
	}
}

func TestRecoverRunsAndRequeue(t *testing.T) {
	t.Parallel()
	b := setup(t)
	b.applyTasks(t, "a", "gone")
	ra := b.claimByID(t, b.enqueue(t, Run{Task: "a"}).ID, "dead")
	rg := b.claimByID(t, b.enqueue(t, Run{Task: "gone"}).ID, "dead")
	req := b.request(t)
	req.Deletes = []string{"task.gone"}
	b.apply(t, req)

	requeue := func(r Run) []Run {
		return []Run{{Task: r.Task, Trigger: TriggerRecovery, TriggeredBy: fmt.Sprintf("run %d", r.ID),
			RetryOf: r.ID, Attempt: r.Attempt + 1, Checkpoint: r.Checkpoint}}
	}
	isDead := func(w string) bool { return w == "dead" }
	recovered, err := b.store.RunRecoverAndRequeue(b.ctx, b.clock.Now(), time.Time{}, isDead, requeue)
	if err != nil {
		t.Fatal(err)
	}
	if got := ids(recovered); !slices.Equal(got, []int64{ra.ID, rg.ID}) {
		t.Fatalf("recovered %v", got)
	}
	runs, _ := b.store.RunList(b.ctx, RunFilter{State: []RunState{RunQueued, RunCancelled}})
	if len(runs) != 2 || runs[1].RetryOf != ra.ID || runs[1].State != RunQueued || runs[1].Trigger != TriggerRecovery ||
		runs[0].RetryOf != rg.ID || runs[0].State != RunCancelled || runs[0].Note != removedNote {
		t.Fatalf("recovery runs = %+v; want a queued one for a, a cancelled one for the removed task", runs)
	}
}

// TestRecoverCancelRequested: a run someone asked to cancel, whose worker
// died before it stopped, ends cancelled and gets no recovery run.
func TestRecoverCancelRequested(t *testing.T) {
	t.Parallel()
	b := setup(t)
	b.applyTasks(t, "a")
	r := b.claimByID(t, b.enqueue(t, Run{Task: "a"}).ID, "dead")
	if _, err := b.store.RunCancel(b.ctx, r.ID, "alice", b.clock.Now()); err != nil {
		t.Fatal(err)
	}
	requeued := 0
	requeue := func(r Run) []Run {
		requeued++
		return []Run{{Task: r.Task, Trigger: TriggerRecovery, RetryOf: r.ID, Attempt: r.Attempt + 1}}
	}
	recovered, err := b.store.RunRecoverAndRequeue(b.ctx, b.clock.Now(), time.Time{}, func(w string) bool { return w == "dead" }, requeue)
	if err != nil {
		t.Fatal(err)
	}
	if len(recovered) != 1 || recovered[0].State != RunCancelled || !strings.HasPrefix(recovered[0].Error, "cancelled: a cancel was requested") {
		t.Fatalf("recovered = %+v; want run %d cancelled", recovered, r.ID)
	}
	if requeued != 0 {
		t.Errorf("requeue was called %d times for a cancelled run", requeued)
	}
	if active, _ := b.store.RunListActive(b.ctx, "a"); len(active) != 0 {
		t.Errorf("active runs after recovering a cancelled run: %+v", active)
	}
}

func TestListingRuns(t *testing.T) {
	t.Parallel()
	b := setup(t)
	b.applyTasks(t, "a", "b", "idle")
	a1 := b.claimByID(t, b.enqueue(t, Run{Task: "a"}).ID, "w")
	if err := b.store.RunFinish(b.ctx, a1.ID, "w", RunSucceeded, "", nil, time.Time{}, nil); err != nil {
		t.Fatal(err)
	}
	a2 := b.claimByID(t, b.enqueue(t, Run{Task: "a"}).ID, "w")
	if err := b.store.RunFinish(b.ctx, a2.ID, "w", RunFailed, "boom", nil, time.Time{}, nil); err != nil {
		t.Fatal(err)
	}
	a3 := b.enqueue(t, Run{Task: "a", State: RunSkipped})
	a4 := b.enqueue(t, Run{Task: "a"})
	b1 := b.claimByID(t, b.enqueue(t, Run{Task: "b"}).ID, "w")
	b2 := b.enqueue(t, Run{Task: "b"})

	tests := []struct {
		filter RunFilter
		want   []int64
	}{
		{RunFilter{}, []int64{b2.ID, b1.ID, a4.ID, a3.ID, a2.ID, a1.ID}},
		{RunFilter{Task: "a"}, []int64{a4.ID, a3.ID, a2.ID, a1.ID}},
		{RunFilter{Task: "a", Limit: 2}, []int64{a4.ID, a3.ID}},
		{RunFilter{State: []RunState{RunQueued, RunRunning}}, []int64{b2.ID, b1.ID, a4.ID}},
		{RunFilter{Task: "b", State: []RunState{RunRunning}}, []int64{b1.ID}},
		{RunFilter{Task: "idle"}, []int64{}},
	}
	for _, tt := range tests {
		runs, err := b.store.RunList(b.ctx, tt.filter)
		if err != nil {
			t.Fatal(err)
		}
		if got := ids(runs); !slices.Equal(got, tt.want) {
			t.Errorf("Runs(%+v) = %v; want %v", tt.filter, got, tt.want)
		}
	}

	last, err := b.store.RunLatestByTask(b.ctx)
	if err != nil {
		t.Fatal(err)
	}
	if len(last) != 2 || last["a"].ID != a2.ID || last["b"].ID != b1.ID {
		t.Errorf("LastRuns = a %d, b %d (%d tasks); want a %d, b %d", last["a"].ID, last["b"].ID, len(last), a2.ID, b1.ID)
	}
	active, err := b.store.RunListActive(b.ctx, "b")
	if got := ids(active); err != nil || !slices.Equal(got, []int64{b1.ID, b2.ID}) {
		t.Errorf("ActiveRuns(b) = %v, %v", got, err)
	}
	if r, err := b.store.RunLastSucceeded(b.ctx, "a"); err != nil || r == nil || r.ID != a1.ID {
		t.Errorf("LastSucceeded(a) = %+v, %v; want run %d", r, err, a1.ID)
	}
	if r, err := b.store.RunLastSucceeded(b.ctx, "b"); err != nil || r != nil {
		t.Errorf("LastSucceeded(b) = %+v, %v; want none", r, err)
	}
	if _, err := b.store.RunGet(b.ctx, 999); !errors.As(err, new(*UnknownRunError)) {
		t.Errorf("Run(999): %v; want UnknownRunError", err)
	}
}

func TestRunTimesKeepNanoseconds(t *testing.T) {
	t.Parallel()
	b := setup(t)
	b.applyTasks(t, "a")
	zone := time.FixedZone("CET", 3600)
	scheduled := time.Date(2025, 3, 14, 10, 0, 0, 123456789, zone)
	r := b.enqueue(t, Run{Task: "a", ScheduledAt: scheduled})
	if !r.ScheduledAt.Equal(scheduled) || r.ScheduledAt.Location() != time.UTC {
		t.Fatalf("scheduled at %v; want %v in UTC", r.ScheduledAt, scheduled)
	}
	if got, err := b.store.RunClaim(b.ctx, "w", scheduled.Add(-time.Nanosecond)); err != nil || got != nil {
		t.Fatalf("claim a nanosecond early = %+v, %v", got, err)
	}
	if got, err := b.store.RunClaim(b.ctx, "w", scheduled); err != nil || got == nil {
		t.Fatalf("claim on time = %+v, %v", got, err)
	}
}

// runsEqual compares runs as stored (times by instant, JSON as text).
func runsEqual(a, b *Run) bool {
	return fmt.Sprintf("%+v", *a) == fmt.Sprintf("%+v", *b)
}
