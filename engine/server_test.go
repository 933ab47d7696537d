package engine

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"strings"
	"testing"
	"time"

	"github.com/syncline/syncline/config"
	"github.com/syncline/syncline/engine/activity"
	"github.com/syncline/syncline/engine/internal/enginetest"
	"github.com/syncline/syncline/engine/runner"
	"github.com/syncline/syncline/engine/scheduler"
	"github.com/syncline/syncline/internal/testsignal"
	"github.com/syncline/syncline/state"
)

// waitSignal returns the next value of a test signal that satisfies ok,
// failing the test after a generous real-time bound (never reached when
// the server works).
func waitSignal[T any](t *testing.T, s *testsignal.Signal[T], what string, ok func(T) bool) T {
	t.Helper()
	deadline := time.After(20 * time.Second)
	for {
		select {
		case v := <-s.C():
			if ok == nil || ok(v) {
				return v
			}
		case <-deadline:
			t.Fatalf("timed out waiting for %s", what)
		}
	}
}

// startServer starts a server on the bundle with test signals on.
func (b *bundle) startServer(t *testing.T, cfg ServerConfig) *Server {
	t.Helper()
	cfg.Store, cfg.Dir, cfg.Clock = b.Store, b.Dir, b.Clock
	if cfg.WorkerID == "" {
		cfg.WorkerID = "test-host:1"
	}
	srv, err := NewServer(cfg)
	if err != nil {
		t.Fatal(err)
	}
	srv.signals.init()
	if err := srv.Start(b.Ctx); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = srv.Stop(context.Background()) })
	return srv
}

const serveHCL = `
task "beat" {
  schedule {
    every = "2s"
  }
  activity "exec" {
    command = "sh"
    args    = ["-c", "echo beat"]
  }
}
`

func TestServerRunsAnEveryTaskRepeatedly(t *testing.T) {
	t.Parallel()
	b := setup(t, serveHCL)
	srv := b.startServer(t, ServerConfig{})
	waitSignal(t, &srv.signals.tick, "the first tick", nil)
	for i := 1; i <= 3; i++ {
		b.Clock.Advance(2 * time.Second)
		run := waitSignal(t, &srv.signals.runFinished, fmt.Sprintf("run %d", i), nil)
		if run.State != state.RunSucceeded || run.Activities[0].Output["stdout_tail"] != "beat\n" {
			t.Fatalf("run %d: %s %q", i, run.State, run.Error)
		}
		waitSignal(t, &srv.signals.tick, "a tick after the run", nil)
	}
	if err := srv.Stop(b.Ctx); err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, r := range b.Runs(t, "beat") {
		got = append(got, fmt.Sprintf("%s %s at +%s by %s", r.Trigger, r.State, r.ScheduledAt.Sub(enginetest.Start), r.ClaimedBy[:len("test-host:1:")]))
	}
	enginetest.EqualLines(t, got, []string{
		"schedule succeeded at +2s by test-host:1:",
		"schedule succeeded at +4s by test-host:1:",
		"schedule succeeded at +6s by test-host:1:",
	})
}

func TestServerRecoversARunWhoseWorkerDied(t *testing.T) {
	t.Parallel()
	b := setup(t, `
task "job" {
  activity "exec" {
    name    = "first"
    command = "sh"
    args    = ["-c", "echo first"]
  }
  activity "exec" {
    name    = "second"
    command = "sh"
    args    = ["-c", "echo second"]
  }
}`)
	// A syncline run that claimed the run, finished "first", and was killed.
	gone := exec.Command("true")
	if err := gone.Run(); err != nil {
		t.Fatal(err)
	}
	host, _ := os.Hostname()
	dead := fmt.Sprintf("%s:%d:run", host, gone.Process.Pid)
	run, err := runner.EnqueueManual(b.Ctx, b.Store, b.Catalog(t), "job", "", "tester")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := b.Store.RunClaimByID(b.Ctx, run.ID, dead, b.Clock.Now()); err != nil {
		t.Fatal(err)
	}
	ckpt := json.RawMessage(fmt.Sprintf(`{"done":[{"name":"first","state":"succeeded","run":%d}]}`, run.ID))
	if err := b.Store.RunSaveProgress(b.Ctx, run.ID, dead, nil, ckpt); err != nil {
		t.Fatal(err)
	}

	srv := b.startServer(t, ServerConfig{WorkerID: runner.WorkerPrefix()})
	recovery := waitSignal(t, &srv.signals.runFinished, "the recovery run", nil)
	if recovery.Trigger != state.TriggerRecovery || recovery.RetryOf != run.ID || recovery.State != state.RunSucceeded {
		t.Fatalf("recovery run %+v", recovery)
	}
	if out := recovery.Activities[0].Output; out["resumed"] == "" || out["stdout_tail"] != "" {
		t.Errorf("first activity ran again: %q", out)
	}
	if out := recovery.Activities[1].Output; out["stdout_tail"] != "second\n" {
		t.Errorf("second activity: %q", out)
	}
	stored, err := b.Store.RunGet(b.Ctx, run.ID)
	if err != nil {
		t.Fatal(err)
	}
	if stored.State != state.RunInterrupted || !strings.Contains(stored.Error, dead) {
		t.Errorf("the dead run is %s: %q", stored.State, stored.Error)
	}
}

func TestServerStopInterruptsAfterGrace(t *testing.T) {
	t.Parallel()
	b := setup(t, enginetest.ExecTask(`command = "true"`))
	bl := enginetest.NewBlocker()
	srv := b.startServer(t, ServerConfig{Activities: activity.Registry{config.ActivityExec: bl}, GracePeriod: 10 * time.Second})
	run, err := runner.EnqueueManual(b.Ctx, b.Store, srv.Catalog(), "job", "", "tester")
	if err != nil {
		t.Fatal(err)
	}
	b.Clock.Advance(DefaultPollInterval) // a run queued by another process is found by polling
	<-bl.Started
	stopped := make(chan error)
	go func() { stopped <- srv.Stop(b.Ctx) }()
	waitSignal(t, &srv.signals.stopping, "the grace period", nil)
	b.Clock.Advance(10 * time.Second)
	if err := <-stopped; err != nil {
		t.Fatal(err)
	}
	runs := b.Runs(t, "job")
	if len(runs) != 2 || runs[0].ID != run.ID || runs[0].State != state.RunInterrupted {
		t.Fatalf("runs %+v", runs)
	}
	if r := runs[1]; r.Trigger != state.TriggerRecovery || r.State != state.RunQueued || r.RetryOf != run.ID {
		t.Errorf("recovery run %+v", r)
	}
}

func TestServerStopLetsARunFinish(t *testing.T) {
	t.Parallel()
	b := setup(t, enginetest.ExecTask(`command = "true"`))
	started, release := make(chan struct{}), make(chan struct{})
	act := activity.Func(func(ctx context.Context, ac *activity.Context) error {
		close(started)
		<-release
		return nil
	})
	srv := b.startServer(t, ServerConfig{Activities: activity.Registry{config.ActivityExec: act}})
	if _, err := runner.EnqueueManual(b.Ctx, b.Store, srv.Catalog(), "job", "", "tester"); err != nil {
		t.Fatal(err)
	}
	b.Clock.Advance(DefaultPollInterval)
	<-started
	stopped := make(chan error)
	go func() { stopped <- srv.Stop(b.Ctx) }()
	waitSignal(t, &srv.signals.stopping, "the grace period", nil)
	close(release)
	if err := <-stopped; err != nil {
		t.Fatal(err)
	}
	if runs := b.Runs(t, "job"); len(runs) != 1 || runs[0].State != state.RunSucceeded {
		t.Fatalf("runs %+v", runs)
	}
}

func TestServerPicksUpAnApply(t *testing.T) {
	t.Parallel()
	b := setup(t, enginetest.ExecTask(`command = "true"`))
	srv := b.startServer(t, ServerConfig{})
	waitSignal(t, &srv.signals.tick, "the first tick", nil)
	b.Write(t, enginetest.ExecTask(`command = "true"`)+serveHCL)
	b.Apply(t) // by another process
	serial := b.Catalog(t).Serial()
	b.Clock.Advance(DefaultPollInterval)
	waitSignal(t, &srv.signals.reloaded, "the reload", func(s int64) bool { return s == serial })
	waitSignal(t, &srv.signals.tick, "a tick with the new task", func(r scheduler.TickResult) bool {
		return len(r.Decisions) == 1 && r.Decisions[0].Task == "beat" && r.Decisions[0].Kind == scheduler.DecideRecompute
	})
	if err := srv.Catalog().Check("beat"); err != nil {
		t.Fatal(err)
	}
}

func TestNewServerValidates(t *testing.T) {
	t.Parallel()
	_, err := NewServer(ServerConfig{Workers: -1, PollInterval: -time.Second})
	want := []string{"a state store is required", "a configuration directory is required",
		"workers must be between 1 and 1024, not -1", "the poll interval must not be negative"}
	for _, w := range want {
		if err == nil || !strings.Contains(err.Error(), w) {
			t.Errorf("error %v does not say %q", err, w)
		}
	}
}
