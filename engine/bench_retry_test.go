package engine

import (
	"context"
	"errors"
	"sync/atomic"
	"testing"
	"time"

	"github.com/syncline/syncline/config"
	"github.com/syncline/syncline/engine/activity"
	"github.com/syncline/syncline/engine/internal/enginetest"
	"github.com/syncline/syncline/engine/runner"
	"github.com/syncline/syncline/internal/clock"
	"github.com/syncline/syncline/state"
)

// retryBenchHCL is a task whose every other run fails and is retried one
// second later.
const retryBenchHCL = `
task "flaky" {
  retry {
    attempts    = 1
    backoff     = "1s"
    max_backoff = "1s"
  }
  activity "exec" {
    command = "true"
  }
}
`

// BenchmarkRetryLatency measures how late a retry starts: a server with
// its defaults (2 workers, 2 s poll) and the real clock runs a task whose
// run fails, and the time from the retry's due time (the failure plus
// the one-second backoff) to its claim by a worker is recorded, once per
// iteration.
func BenchmarkRetryLatency(b *testing.B) {
	bundle := enginetest.SetupAt(b, retryBenchHCL, time.Now())
	var calls atomic.Int64
	flaky := activity.Func(func(context.Context, *activity.Context) error {
		if calls.Add(1)%2 == 1 {
			return errors.New("the first attempt fails")
		}
		return nil
	})
	srv, err := NewServer(ServerConfig{Store: bundle.Store, Dir: bundle.Dir, Clock: clock.Real{}, WorkerID: "bench:1",
		Activities: activity.Registry{config.ActivityExec: flaky}})
	if err != nil {
		b.Fatal(err)
	}
	srv.signals.init()
	if err := srv.Start(bundle.Ctx); err != nil {
		b.Fatal(err)
	}
	defer func() { _ = srv.Stop(context.Background()) }()
	cat := srv.Catalog()
	var delays []time.Duration
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		if _, err := runner.EnqueueManual(bundle.Ctx, bundle.Store, cat, "flaky", "", "bench"); err != nil {
			b.Fatal(err)
		}
		srv.notify()
		retry := waitRetry(b, srv)
		delays = append(delays, retry.StartedAt.Sub(retry.ScheduledAt))
	}
	b.StopTimer()
	reportDelays(b, delays)
}

// waitRetry waits for the server to finish a retry run.
func waitRetry(b *testing.B, srv *Server) *state.Run {
	deadline := time.After(30 * time.Second)
	for {
		select {
		case r := <-srv.signals.runFinished.C():
			if r.Trigger == state.TriggerRetry {
				return r
			}
		case <-deadline:
			b.Fatal("timed out waiting for a retry to finish")
		}
	}
}
