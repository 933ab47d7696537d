package state

import (
	"errors"
	"slices"
	"testing"
	"time"
)

func TestApplyCreatesClosesAndReopensTaskRuntime(t *testing.T) {
	t.Parallel()
	b := setup(t)
	b.apply(t, ApplyRequest{Who: "alice", Upserts: []*Definition{
		def("task", "a", "1"), def("task", "b", "1"), def("resource", "hr", "1"),
	}})
	rts, err := b.store.TaskRuntimes(b.ctx)
	if err != nil {
		t.Fatal(err)
	}
	if len(rts) != 2 || rts[0].Task != "a" || rts[1].Task != "b" {
		t.Fatalf("runtimes = %+v; want a and b (a resource has none)", rts)
	}
	for _, rt := range rts {
		if rt.State != TaskActive || rt.By != "alice" || !rt.Since.Equal(b.clock.Now()) {
			t.Errorf("%s = %+v; want active by alice since now", rt.Task, rt)
		}
	}

	queued := b.enqueue(t, Run{Task: "b"})
	running := b.enqueue(t, Run{Task: "b"})
	b.claimByID(t, running.ID, "w1")
	if _, err := b.store.TaskAdvanceSchedule(b.ctx, "b", time.Time{}, at(time.Hour), "every 1h", nil); err != nil {
		t.Fatal(err)
	}

	b.clock.Advance(time.Minute)
	req := b.request(t)
	req.Who = "bob"
	req.Deletes = []string{"task.b"}
	b.apply(t, req)

	rt := b.taskRuntime(t, "b")
	if rt.State != TaskClosed || rt.Reason != closedReason || rt.By != "bob" ||
		!rt.Since.Equal(b.clock.Now()) || !rt.NextFireAt.IsZero() || rt.ScheduleKey != "" {
		t.Fatalf("removed task = %+v; want closed by bob, no next fire time", rt)
	}
	if got := b.run(t, queued.ID); got.State != RunCancelled || got.Note != removedNote || !got.FinishedAt.Equal(b.clock.Now()) {
		t.Errorf("queued run of the removed task = %+v; want cancelled, %q", got, removedNote)
	}
	if got := b.run(t, running.ID); got.State != RunRunning {
		t.Errorf("running run of the removed task is %s; want it left to finish", got.State)
	}

	b.clock.Advance(time.Minute)
	req = b.request(t)
	req.Who = "carol"
	req.Upserts = []*Definition{def("task", "b", "2")}
	b.apply(t, req)
	rt = b.taskRuntime(t, "b")
	if rt.State != TaskActive || rt.Reason != "" || rt.By != "carol" || !rt.Since.Equal(b.clock.Now()) {
		t.Fatalf("re-added task = %+v; want active again by carol", rt)
	}
}

func TestApplyKeepsASuspendedTaskSuspended(t *testing.T) {
	t.Parallel()
	b := setup(t)
	b.applyTasks(t, "a")
	if err := b.store.TaskSuspend(b.ctx, "a", "HR freeze", "alice"); err != nil {
		t.Fatal(err)
	}
	req := b.request(t)
	req.Upserts = []*Definition{def("task", "a", "changed")}
	b.apply(t, req)
	if rt := b.taskRuntime(t, "a"); rt.State != TaskSuspended || rt.Reason != "HR freeze" {
		t.Fatalf("after changing its definition: %+v; want still suspended", rt)
	}
}

func TestApplyMovesTaskRuntimeAndRuns(t *testing.T) {
	t.Parallel()
	b := setup(t)
	b.applyTasks(t, "a", "old")
	if err := b.store.TaskSuspend(b.ctx, "a", "maintenance", "alice"); err != nil {
		t.Fatal(err)
	}
	first := b.enqueue(t, Run{Task: "a", State: RunSkipped, Note: "test"})
	// task.old is removed, leaving a closed record and a run under "old".
	oldRun := b.enqueue(t, Run{Task: "old", State: RunSkipped})
	req := b.request(t)
	req.Deletes = []string{"task.old"}
	b.apply(t, req)

	req = b.request(t)
	req.Moves = []Move{{From: "task.a", To: "task.old"}}
	b.apply(t, req)

	if _, err := b.store.TaskRuntime(b.ctx, "a"); !errors.As(err, new(*UnknownTaskError)) {
		t.Fatalf("TaskRuntime(a) after the move: %v; want UnknownTaskError", err)
	}
	rt := b.taskRuntime(t, "old")
	if rt.State != TaskSuspended || rt.Reason != "maintenance" {
		t.Fatalf("moved runtime = %+v; want a's suspended record", rt)
	}
	runs, err := b.store.RunList(b.ctx, RunFilter{Task: "old"})
	if err != nil {
		t.Fatal(err)
	}
	if got, want := ids(runs), []int64{oldRun.ID, first.ID}; !slices.Equal(got, want) {
		t.Errorf("runs under the new name = %v; want %v (both histories)", got, want)
	}
}

func TestRuntimeChangesKeepTheSerial(t *testing.T) {
	t.Parallel()
	b := setup(t)
	b.applyTasks(t, "a")
	before, err := b.store.Serial(b.ctx)
	if err != nil || before != 1 {
		t.Fatalf("Serial = %d, %v; want 1", before, err)
	}
	if err := b.store.TaskSuspend(b.ctx, "a", "", "alice"); err != nil {
		t.Fatal(err)
	}
	if err := b.store.TaskResume(b.ctx, "a", "alice"); err != nil {
		t.Fatal(err)
	}
	r := b.enqueue(t, Run{Task: "a"})
	b.claimByID(t, r.ID, "w")
	if err := b.store.RunFinish(b.ctx, r.ID, "w", RunSucceeded, "", nil, time.Time{}, nil); err != nil {
		t.Fatal(err)
	}
	// Re-applying the same definitions changes nothing either.
	req := b.request(t)
	req.Upserts = []*Definition{def("task", "a", "h-a")}
	if res := b.apply(t, req); res.Changed {
		t.Error("re-applying the same task was a change")
	}
	if after, _ := b.store.Serial(b.ctx); after != before {
		t.Errorf("serial moved from %d to %d", before, after)
	}
}

// claimByID claims run id for worker at the bundle's clock.
func (b *bundle) claimByID(t *testing.T, id int64, worker string) *Run {
	t.Helper()
	r, err := b.store.RunClaimByID(b.ctx, id, worker, b.clock.Now())
	if err != nil {
		t.Fatal(err)
	}
	return r
}
