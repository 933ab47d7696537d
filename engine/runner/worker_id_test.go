package runner

import (
	"os"
	"os/exec"
	"strconv"
	"testing"
	"time"

	"github.com/syncline/syncline/state"
)

// gonePID is the PID of a process that has ended (and been reaped).
func gonePID(t *testing.T) int {
	t.Helper()
	cmd := exec.Command("true")
	if err := cmd.Run(); err != nil {
		t.Skipf("cannot run true: %v", err)
	}
	return cmd.Process.Pid
}

// TestJudgeWorkersOnlyKnowsThisHost: a worker's process can be checked
// on its own host only; one on another host is never judged dead (nor
// alive) by a PID (the same number there means nothing here) — its
// heartbeat has to expire. This process's own workers are alive, except
// at startup.
func TestJudgeWorkersOnlyKnowsThisHost(t *testing.T) {
	t.Parallel()
	gone := strconv.Itoa(gonePID(t))
	self := strconv.Itoa(os.Getpid())
	const host = "node-a"
	prefix := host + ":" + self
	for _, tc := range []struct {
		worker  string
		startup bool
		want    state.WorkerState
	}{
		{worker: host + ":" + gone + ":1", want: state.WorkerDead},
		{worker: "node-b:" + gone + ":1", want: state.WorkerUnknown},
		{worker: "node-b:" + self + ":1", startup: true, want: state.WorkerUnknown},
		{worker: host + ":" + self + ":1", want: state.WorkerAlive},
		{worker: host + ":" + self + ":run", want: state.WorkerAlive},
		{worker: host + ":" + self + ":1", startup: true, want: state.WorkerDead},
		{worker: "no-pid", want: state.WorkerUnknown},
		{worker: host + ":x:1", want: state.WorkerUnknown},
	} {
		if got := judgeWorkers(prefix, tc.startup)(tc.worker); got != tc.want {
			t.Errorf("worker %s (startup %v): %v, want %v", tc.worker, tc.startup, got, tc.want)
		}
	}
}

// TestRecoverWorkerOnAnotherHostByHeartbeat: a run claimed on another
// host, whose PID does not exist here, is left running while its
// heartbeat is fresh, and is interrupted with a recovery run queued once
// the heartbeat is three intervals old.
func TestRecoverWorkerOnAnotherHostByHeartbeat(t *testing.T) {
	t.Parallel()
	b := setup(t, afterHCL)
	cat := b.Catalog(t)
	queued, err := EnqueueManual(b.Ctx, b.Store, cat, "a", "", "tester")
	if err != nil {
		t.Fatal(err)
	}
	worker := "elsewhere:" + strconv.Itoa(gonePID(t)) + ":1"
	run, err := b.Store.RunClaim(b.Ctx, worker, b.Clock.Now())
	if err != nil || run == nil || run.ID != queued.ID {
		t.Fatalf("claim: %v, %v", run, err)
	}
	recoverNow := func() []state.Run {
		t.Helper()
		got, err := Recover(b.Ctx, b.Store, b.Clock.Now(), time.Second, "here:"+strconv.Itoa(os.Getpid()), false)
		if err != nil {
			t.Fatal(err)
		}
		return got
	}
	b.Clock.Advance(2 * time.Second)
	if got := recoverNow(); len(got) != 0 {
		t.Fatalf("recovered a run of another host with a fresh heartbeat: %+v", got)
	}
	b.Clock.Advance(2 * time.Second)
	got := recoverNow()
	if len(got) != 1 || got[0].ID != run.ID || got[0].State != state.RunInterrupted {
		t.Fatalf("recovered %+v, want run %d interrupted", got, run.ID)
	}
	runs := b.Runs(t, "a")
	if len(runs) != 2 || runs[1].Trigger != state.TriggerRecovery || runs[1].RetryOf != run.ID || runs[1].State != state.RunQueued {
		t.Fatalf("runs of a: %+v", runs)
	}
}
