package runner

import (
	"context"
	"os/exec"
	"strings"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"github.com/syncline/syncline/config"
	"github.com/syncline/syncline/engine/activity"
	"github.com/syncline/syncline/engine/internal/enginetest"
	"github.com/syncline/syncline/internal/procgroup"
	"github.com/syncline/syncline/state"
)

// TestRecoveryKillsTheCommandItsRunLeft: a run records a command's process
// group, its worker is declared dead while the command still runs, and
// the recovery run kills the group before it starts, saying so.
func TestRecoveryKillsTheCommandItsRunLeft(t *testing.T) {
	t.Parallel()
	b := setup(t, enginetest.ExecTask(`command = "true"`))
	sleeper := exec.Command("sleep", "60")
	sleeper.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
	if err := sleeper.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = sleeper.Process.Kill() })
	exited := make(chan error, 1)
	go func() { exited <- sleeper.Wait() }()

	var calls atomic.Int32
	recorded := make(chan struct{})
	act := activity.Func(func(ctx context.Context, ac *activity.Context) error {
		if calls.Add(1) > 1 {
			return nil // the recovery run
		}
		if err := ac.RecordProcessGroup(ctx, procgroup.Of(sleeper.Process.Pid)); err != nil {
			return err
		}
		close(recorded)
		<-ctx.Done()
		return ctx.Err()
	})
	r := b.runner(t, "host:1:1")
	r.Activities = activity.Registry{config.ActivityExec: act}
	run, err := EnqueueManual(b.Ctx, b.Store, r.Catalog, "job", "", "tester")
	if err != nil {
		t.Fatal(err)
	}
	lost := make(chan error, 1)
	go func() {
		_, err := r.RunByID(b.Ctx, run.ID, nil)
		lost <- err
	}()
	<-recorded
	// Another node finds the worker's heartbeat stale and recovers the run.
	now := b.Clock.Now()
	requeue := func(r state.Run) []state.Run { return []state.Run{recoveryRun(&r, now)} }
	if _, err := b.Store.RunRecoverAndRequeue(b.Ctx, now, now.Add(time.Second), nil, requeue); err != nil {
		t.Fatal(err)
	}
	b.Clock.Advance(DefaultHeartbeatInterval)
	<-lost

	recovery := b.claimAndRun(t, r)
	if recovery == nil || recovery.RetryOf != run.ID || recovery.State != state.RunSucceeded {
		t.Fatalf("recovery run %+v", recovery)
	}
	select {
	case <-exited:
	default:
		t.Fatal("the recovery run started while the interrupted run's command was still running")
	}
	note := recovery.Activities[0].Output["orphan"]
	if !strings.HasPrefix(note, "killed process group ") || !strings.HasSuffix(note, ", which run 1 left running, before this run started") {
		t.Errorf("orphan output %q", note)
	}
	if stored, _ := b.Store.RunGet(b.Ctx, recovery.ID); strings.Contains(string(stored.Checkpoint), `"process"`) {
		t.Errorf("the recovery run still records the group: %s", stored.Checkpoint)
	}
}
