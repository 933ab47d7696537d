package engine

import (
	"context"
	"errors"
	"sync/atomic"
	"testing"
	"time"

	"github.com/syncline/syncline/config"
	"github.com/syncline/syncline/engine/activity"
	"github.com/syncline/syncline/engine/runner"
	"github.com/syncline/syncline/state"
)

// TestServerStartsARetryWhenItIsDue: with a poll interval of an hour, a
// retry whose ten-second backoff ends starts at that very moment of the
// fake clock — the workers are woken by the due timer, not the poll.
func TestServerStartsARetryWhenItIsDue(t *testing.T) {
	t.Parallel()
	b := setup(t, `
task "flaky" {
  retry {
    attempts = 1
    backoff  = "10s"
  }
  activity "exec" {
    command = "true"
  }
}`)
	var calls atomic.Int32
	flaky := activity.Func(func(context.Context, *activity.Context) error {
		if calls.Add(1) == 1 {
			return errors.New("the first attempt fails")
		}
		return nil
	})
	// One worker, so that its idle signals say when it sleeps: at start,
	// and again after the failed run, before the clock moves on.
	srv := b.startServer(t, ServerConfig{PollInterval: time.Hour, Workers: 1,
		Activities: activity.Registry{config.ActivityExec: flaky}})
	waitSignal(t, &srv.signals.idle, "the worker idle at start", nil)
	if _, err := runner.EnqueueManual(b.Ctx, b.Store, srv.Catalog(), "flaky", "", "tester"); err != nil {
		t.Fatal(err)
	}
	srv.notify()
	failed := waitSignal(t, &srv.signals.runFinished, "the failed run", nil)
	if failed.State != state.RunFailed {
		t.Fatalf("first run %s: %s", failed.State, failed.Error)
	}
	waitSignal(t, &srv.signals.idle, "the worker idle after the failure", nil)
	due := failed.FinishedAt.Add(10 * time.Second)
	waitSignal(t, &srv.signals.dueArmed, "the due timer set for the retry", func(at time.Time) bool { return at.Equal(due) })
	b.Clock.Advance(due.Sub(b.Clock.Now()))
	retry := waitSignal(t, &srv.signals.runFinished, "the retry", nil)
	if retry.Trigger != state.TriggerRetry || retry.State != state.RunSucceeded {
		t.Fatalf("retry %s %s: %s", retry.Trigger, retry.State, retry.Error)
	}
	if !retry.StartedAt.Equal(retry.ScheduledAt) {
		t.Errorf("the retry due at %s started at %s", retry.ScheduledAt, retry.StartedAt)
	}
}
