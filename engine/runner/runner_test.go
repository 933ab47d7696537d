package runner

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/syncline/syncline/config"
	"github.com/syncline/syncline/engine/activity"
	"github.com/syncline/syncline/engine/catalog"
	"github.com/syncline/syncline/engine/internal/enginetest"
	"github.com/syncline/syncline/state"
)

// startBlocked enqueues a manual run of task and executes it in the
// background with exec replaced by bl; it returns once the activity runs.
func (b *bundle) startBlocked(t *testing.T, task string, bl *enginetest.Blocker) (*state.Run, <-chan *state.Run) {
	t.Helper()
	r := b.runner(t, "host:1:run")
	r.Activities = activity.Registry{config.ActivityExec: bl}
	run, err := EnqueueManual(b.Ctx, b.Store, r.Catalog, task, "", "tester")
	if err != nil {
		t.Fatal(err)
	}
	done := make(chan *state.Run, 1)
	go func() {
		finished, err := r.RunByID(b.Ctx, run.ID, nil)
		if err != nil {
			t.Error(err)
		}
		done <- finished
	}()
	<-bl.Started
	return run, done
}

func TestRunnerTimeout(t *testing.T) {
	t.Parallel()
	b := setup(t, "task \"slow\" {\n  timeout = \"5s\"\n"+`  activity "exec" {
    command = "true"
  }
}`)
	_, done := b.startBlocked(t, "slow", enginetest.NewBlocker())
	b.Clock.Advance(5 * time.Second)
	run := <-done
	if run.State != state.RunFailed || run.Error != "timed out after 5s" {
		t.Fatalf("run %s: %q", run.State, run.Error)
	}
	a := run.Activities[0]
	if a.State != state.RunFailed || a.Output["error"] != "stopped: the task timed out after 5s" {
		t.Errorf("activity %s: %q", a.State, a.Output)
	}
	if !run.Deadline.Equal(enginetest.Start.Add(5 * time.Second)) {
		t.Errorf("deadline %s", run.Deadline)
	}
}

func TestRunnerCancel(t *testing.T) {
	t.Parallel()
	b := setup(t, enginetest.ExecTask(`command = "true"`))
	run, done := b.startBlocked(t, "job", enginetest.NewBlocker())
	if _, err := b.Store.RunCancel(b.Ctx, run.ID, "alice", b.Clock.Now()); err != nil {
		t.Fatal(err)
	}
	b.Clock.Advance(DefaultHeartbeatInterval) // the next heartbeat learns of it
	finished := <-done
	if finished.State != state.RunCancelled || finished.Activities[0].State != state.RunCancelled {
		t.Fatalf("run %s, activity %s", finished.State, finished.Activities[0].State)
	}
	stored, err := b.Store.RunGet(b.Ctx, run.ID)
	if err != nil {
		t.Fatal(err)
	}
	if stored.State != state.RunCancelled || stored.Note != "cancelled by alice" || stored.Error != "cancelled on request" {
		t.Errorf("stored %s, note %q, error %q", stored.State, stored.Note, stored.Error)
	}
	if _, err := b.Store.RunCancel(b.Ctx, run.ID, "alice", b.Clock.Now()); err == nil {
		t.Error("cancelling a finished run succeeded")
	}
}

func TestRunnerRetriesWithBackoff(t *testing.T) {
	t.Parallel()
	b := setup(t, `
task "flaky" {
  retry {
    attempts    = 2
    backoff     = "10s"
    max_backoff = "15s"
  }
  activity "exec" {
    command = "false"
  }
}`)
	r := b.runner(t, "host:1:1")
	first := b.manual(t, r, "flaky")
	if first.State != state.RunFailed {
		t.Fatalf("first run %s", first.State)
	}
	if run := b.claimAndRun(t, r); run != nil {
		t.Fatalf("the retry ran before its backoff: %+v", run)
	}
	b.Clock.Advance(10 * time.Second)
	if second := b.claimAndRun(t, r); second == nil || second.Attempt != 2 {
		t.Fatalf("second attempt: %+v", second)
	}
	b.Clock.Advance(14 * time.Second)
	if run := b.claimAndRun(t, r); run != nil {
		t.Fatal("the second retry did not wait for max_backoff")
	}
	b.Clock.Advance(time.Second)
	if third := b.claimAndRun(t, r); third == nil || third.Attempt != 3 {
		t.Fatalf("third attempt: %+v", third)
	}
	b.Clock.Advance(time.Hour)
	if run := b.claimAndRun(t, r); run != nil {
		t.Fatalf("attempts = 2 allows two retries, got a third: %+v", run)
	}
	var got []string
	for _, run := range b.Runs(t, "flaky") {
		got = append(got, fmt.Sprintf("%d %s %s attempt %d retry_of %d at +%s %s", run.ID, run.Trigger, run.State,
			run.Attempt, run.RetryOf, run.ScheduledAt.Sub(enginetest.Start), run.Note))
	}
	enginetest.EqualLines(t, got, []string{
		"1 manual failed attempt 1 retry_of 0 at +0s ",
		"2 retry failed attempt 2 retry_of 1 at +10s retry 1 of 2, 10s after run 1 failed",
		"3 retry failed attempt 3 retry_of 2 at +25s retry 2 of 2, 15s after run 2 failed",
	})
}

func TestBackoffDoublesUpToMax(t *testing.T) {
	t.Parallel()
	rt := &config.Retry{Attempts: 10, Backoff: time.Minute, MaxBackoff: time.Hour}
	var got []string
	for attempt := 1; attempt <= 8; attempt++ {
		got = append(got, config.DescribeDuration(Backoff(rt, attempt)))
	}
	enginetest.EqualLines(t, got, []string{"1m", "2m", "4m", "8m", "16m", "32m", "1h", "1h"})
}

const afterHCL = `
task "a" {
  activity "exec" {
    command = "true"
  }
}

task "x" {
  activity "exec" {
    command = "true"
  }
}

task "b" {
  after = [task.a]
  activity "exec" {
    command = "true"
  }
}

task "c" {
  after = [task.b]
  activity "exec" {
    command = "true"
  }
}

task "both" {
  after = [task.a, task.x]
  activity "exec" {
    command = "true"
  }
}
`

func TestAfterChain(t *testing.T) {
	t.Parallel()
	b := setup(t, afterHCL)
	r := b.runner(t, "host:1:1")
	b.manual(t, r, "a")
	var order []string
	for run := b.claimAndRun(t, r); run != nil; run = b.claimAndRun(t, r) {
		order = append(order, fmt.Sprintf("%s %s by %s: %s", run.Task, run.Trigger, run.TriggeredBy, run.State))
	}
	enginetest.EqualLines(t, order, []string{"b after by run 1: succeeded", "c after by run 2: succeeded"})
	if runs := b.Runs(t, "both"); len(runs) != 0 {
		t.Errorf("both ran after a alone: %+v", runs)
	}
}

func TestAfterWaitsForEveryTask(t *testing.T) {
	t.Parallel()
	b := setup(t, afterHCL)
	r := b.runner(t, "host:1:1")
	count := func() int { return len(b.Runs(t, "both")) }
	b.manual(t, r, "x")
	if count() != 0 {
		t.Fatal("both queued after x alone")
	}
	b.Clock.Advance(time.Second)
	b.manual(t, r, "a")
	if count() != 1 {
		t.Fatalf("both has %d runs after x and a", count())
	}
	b.Clock.Advance(time.Second)
	b.manual(t, r, "x") // a's success is older than both's last trigger
	if count() != 1 {
		t.Fatal("both queued again after x alone")
	}
	b.Clock.Advance(time.Second)
	b.manual(t, r, "a")
	runs := b.Runs(t, "both")
	if len(runs) != 2 || runs[1].Trigger != state.TriggerAfter {
		t.Fatalf("both runs %+v", runs)
	}
}

func TestAfterNotTriggeredByOverriddenMode(t *testing.T) {
	t.Parallel()
	b := setup(t, afterHCL)
	r := b.runner(t, "host:1:1")
	run, err := EnqueueManual(b.Ctx, b.Store, r.Catalog, "a", config.ModePreview, "tester")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := r.RunByID(b.Ctx, run.ID, nil); err != nil {
		t.Fatal(err)
	}
	if runs := b.Runs(t, "b"); len(runs) != 0 {
		t.Errorf("a preview run of a triggered b: %+v", runs)
	}
}

func TestAfterForbidRecordsSkipped(t *testing.T) {
	t.Parallel()
	b := setup(t, afterHCL)
	r := b.runner(t, "host:1:1")
	if _, err := EnqueueManual(b.Ctx, b.Store, r.Catalog, "b", "", "tester"); err != nil {
		t.Fatal(err)
	}
	b.manual(t, r, "a")
	runs := b.Runs(t, "b")
	if len(runs) != 2 || runs[1].State != state.RunSkipped || runs[1].Note != "not started: run 1 still queued (concurrency = forbid)" {
		t.Fatalf("b runs %+v", runs)
	}
}

func TestRunnerPartialAndFailureStopsTheRest(t *testing.T) {
	t.Parallel()
	b := setup(t, `
task "job" {
  activity "exec" {
    name    = "first"
    command = "true"
  }
  activity "exec" {
    name    = "second"
    command = "true"
  }
  activity "exec" {
    name    = "third"
    command = "true"
  }
}`)
	r := b.runner(t, "host:1:1")
	r.Activities = activity.Registry{config.ActivityExec: activity.Func(func(ctx context.Context, ac *activity.Context) error {
		switch ac.Activity.Name {
		case "first":
			ac.AddSuccess(2)
			ac.AddFailure("row 3", errors.New("bad email"))
			ac.AddStatistic("created", 2)
		case "second":
			return errors.New("the resource is unreachable")
		}
		return nil
	})}
	run := b.manual(t, r, "job")
	if run.State != state.RunFailed || run.Error != `activity "second" failed: the resource is unreachable` {
		t.Fatalf("run %s: %q", run.State, run.Error)
	}
	var got []string
	for _, a := range run.Activities {
		got = append(got, fmt.Sprintf("%s %s %d/%d/%d %v %v", a.Name, a.State, a.Success, a.Failure, a.Skipped, a.Errors, a.Statistics))
	}
	enginetest.EqualLines(t, got, []string{
		"first partial 2/1/0 [{row 3 bad email  }] map[created:2]",
		"second failed 0/0/0 [] map[]",
		"third skipped 0/0/0 [] map[]",
	})
}

func TestRunnerPartial(t *testing.T) {
	t.Parallel()
	b := setup(t, enginetest.ExecTask(`command = "true"`))
	r := b.runner(t, "host:1:1")
	r.Activities = activity.Registry{config.ActivityExec: activity.Func(func(ctx context.Context, ac *activity.Context) error {
		ac.AddFailure("x", errors.New("no"))
		return nil
	})}
	if run := b.manual(t, r, "job"); run.State != state.RunPartial {
		t.Errorf("run %s", run.State)
	}
}

func TestUnavailableActivityFails(t *testing.T) {
	t.Parallel()
	b := setup(t, `
resource "hr" {
  connector = "csv"
  connection {
    path       = "hr.csv"
    identifier = "id"
  }
  object_type "account" {}
}

task "job" {
  activity "async_update" {
    resource = resource.hr
    url      = "amqp://guest:guest@localhost:5672/"
    queue    = "changes"
  }
}`)
	// Every type is implemented now; a build that leaves one out (here
	// by the registry) fails its activity saying so, and runs nothing.
	r := b.runner(t, "host:1:1")
	r.Activities = activity.Registry{config.ActivityAsyncUpdate: activity.Unavailable(config.ActivityAsyncUpdate)}
	run := b.manual(t, r, "job")
	want := `activity "async_update" failed: the async_update activity is not available in this version yet`
	if run.State != state.RunFailed || run.Error != want {
		t.Errorf("run %s: %q", run.State, run.Error)
	}
}

func TestRunnerCheckpointsAndResumes(t *testing.T) {
	t.Parallel()
	b := setup(t, `
task "job" {
  activity "exec" {
    name    = "first"
    command = "true"
  }
  activity "exec" {
    name    = "second"
    command = "true"
  }
}`)
	var calls []string
	saved := make(chan struct{}, 1)
	act := activity.Func(func(ctx context.Context, ac *activity.Context) error {
		calls = append(calls, fmt.Sprintf("%s from %s", ac.Activity.Name, ac.Checkpoint()))
		if ac.Activity.Name == "first" {
			return nil
		}
		if ac.Checkpoint() != nil {
			return nil // resumed: finish the rest
		}
		if err := ac.SaveCheckpoint(ctx, json.RawMessage(`{"row":500}`)); err != nil {
			return err
		}
		saved <- struct{}{}
		<-ctx.Done()
		return ctx.Err()
	})
	r := b.runner(t, "host:1:1")
	r.Activities = activity.Registry{config.ActivityExec: act}
	run, err := EnqueueManual(b.Ctx, b.Store, r.Catalog, "job", "", "tester")
	if err != nil {
		t.Fatal(err)
	}
	ctx, stop := context.WithCancelCause(b.Ctx)
	done := make(chan *state.Run)
	go func() {
		finished, err := r.RunByID(ctx, run.ID, nil)
		if err != nil {
			t.Error(err)
		}
		done <- finished
	}()
	<-saved
	stop(ErrShutdown)
	interrupted := <-done
	if interrupted.State != state.RunInterrupted {
		t.Fatalf("run %s: %s", interrupted.State, interrupted.Error)
	}
	recovery := b.claimAndRun(t, r)
	if recovery == nil || recovery.Trigger != state.TriggerRecovery || recovery.RetryOf != run.ID || recovery.Attempt != 1 {
		t.Fatalf("recovery run %+v", recovery)
	}
	if recovery.State != state.RunSucceeded || recovery.Activities[0].Output["resumed"] != "finished in run 1 before it was interrupted" {
		t.Errorf("recovery %s, first activity %+v", recovery.State, recovery.Activities[0])
	}
	enginetest.EqualLines(t, calls, []string{"first from ", "second from ", `second from {"row":500}`})
}

func TestRunnerLosesARecoveredRun(t *testing.T) {
	t.Parallel()
	b := setup(t, enginetest.ExecTask(`command = "true"`))
	bl := enginetest.NewBlocker()
	r := b.runner(t, "host:1:run")
	r.Activities = activity.Registry{config.ActivityExec: bl}
	run, err := EnqueueManual(b.Ctx, b.Store, r.Catalog, "job", "", "tester")
	if err != nil {
		t.Fatal(err)
	}
	errs := make(chan error, 1)
	go func() {
		_, err := r.RunByID(b.Ctx, run.ID, nil)
		errs <- err
	}()
	<-bl.Started
	// Another node believes this worker dead and interrupts the run.
	if _, err := b.Store.RunRecover(b.Ctx, b.Clock.Now(), b.Clock.Now().Add(time.Second), nil); err != nil {
		t.Fatal(err)
	}
	b.Clock.Advance(DefaultHeartbeatInterval)
	if err := <-errs; !errors.Is(err, ErrLostRun) {
		t.Fatalf("Execute returned %v, want ErrLostRun", err)
	}
	if stored, _ := b.Store.RunGet(b.Ctx, run.ID); stored.State != state.RunInterrupted {
		t.Errorf("stored run %s", stored.State)
	}
}

func TestEnqueueManualRefuses(t *testing.T) {
	t.Parallel()
	b := setup(t, afterHCL+`
task "off" {
  enabled = false
  activity "exec" {
    command = "true"
  }
}
`)
	cat := b.Catalog(t)
	if err := b.Store.TaskSuspend(b.Ctx, "x", "HR freeze", "alice"); err != nil {
		t.Fatal(err)
	}
	first, err := EnqueueManual(b.Ctx, b.Store, cat, "a", "", "tester")
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		task, mode string
		is         error
		want       string
	}{
		{"nope", "", catalog.ErrUnknownTask, `there is no task "nope"`},
		{"x", "", catalog.ErrNotRunnable, "task x is suspended (by alice: HR freeze) since 2025-03-28T12:00:00Z; resume it with syncline tasks resume x"},
		{"off", "", catalog.ErrNotRunnable, "task off is disabled (enabled = false at "},
		{"a", "", ErrTaskBusy, fmt.Sprintf("task a already has run %d queued, and its concurrency is forbid; wait for it to finish, or cancel it with syncline runs cancel %d", first.ID, first.ID)},
		{"b", "fast", nil, `unknown mode "fast"; the modes are full, preview, dry_run`},
	}
	for _, tt := range tests {
		_, err := EnqueueManual(b.Ctx, b.Store, cat, tt.task, config.Mode(tt.mode), "tester")
		if err == nil || !strings.Contains(err.Error(), tt.want) || (tt.is != nil && !errors.Is(err, tt.is)) {
			t.Errorf("%s: %v\nwant %s", tt.task, err, tt.want)
		}
	}
	runs, _ := b.Store.RunList(b.Ctx, state.RunFilter{})
	if len(runs) != 1 {
		t.Errorf("refusals stored runs: %d", len(runs))
	}
}

func TestEnqueueManualReplaceCancels(t *testing.T) {
	t.Parallel()
	b := setup(t, strings.Replace(enginetest.ConcurrencyHCL, "POLICY", "replace", 1))
	cat := b.Catalog(t)
	first, err := EnqueueManual(b.Ctx, b.Store, cat, "job", "", "alice")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := EnqueueManual(b.Ctx, b.Store, cat, "job", "", "bob"); err != nil {
		t.Fatal(err)
	}
	stored, _ := b.Store.RunGet(b.Ctx, first.ID)
	if stored.State != state.RunCancelled || !strings.Contains(stored.Note, "bob") {
		t.Errorf("replaced run %s: %q", stored.State, stored.Note)
	}
}

func TestRunnerReportsProgress(t *testing.T) {
	t.Parallel()
	b := setup(t, `
task "job" {
  activity "exec" {
    name    = "first"
    command = "true"
  }
  activity "exec" {
    name    = "second"
    command = "true"
  }
}`)
	r := b.runner(t, "host:1:run")
	run, err := EnqueueManual(b.Ctx, b.Store, r.Catalog, "job", "", "tester")
	if err != nil {
		t.Fatal(err)
	}
	var seen []string
	final, err := r.RunByID(b.Ctx, run.ID, func(p *state.Run) {
		var acts []string
		for _, a := range p.Activities {
			acts = append(acts, string(a.State))
		}
		line := fmt.Sprintf("%s %s", p.State, strings.Join(acts, ","))
		if len(seen) == 0 || seen[len(seen)-1] != line {
			seen = append(seen, line)
		}
	})
	if err != nil || final.State != state.RunSucceeded {
		t.Fatalf("run %v: %v", final, err)
	}
	enginetest.EqualLines(t, seen, []string{
		"running running,queued",
		"running succeeded,queued",
		"running succeeded,running",
		"succeeded succeeded,succeeded",
	})
	stored, _ := b.Store.RunGet(b.Ctx, run.ID)
	if stored.Activities[1].State != state.RunSucceeded || stored.Activities[0].Output["exit_code"] != "0" {
		t.Errorf("stored activities %+v", stored.Activities)
	}
}
