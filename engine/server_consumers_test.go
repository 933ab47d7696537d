package engine

import (
	"context"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/syncline/syncline/engine/asyncupdate/amqptest"
	"github.com/syncline/syncline/state"
)

// TestServeKeepsAConsumerRunning: a task that consumes a queue and has no
// schedule runs as soon as serve starts and keeps consuming: a message
// published later changes its user; suspending the task stops the run,
// resuming it starts another.
func TestServeKeepsAConsumerRunning(t *testing.T) {
	t.Parallel()
	url, ch := amqptest.Broker(t)
	q := amqptest.Queue(t, ch, "hr-events")
	b := setup(t, `
resource "hr" {
  connector = "csv"
  connection {
    path       = "hr.csv"
    identifier = "emp_id"
  }
  object_type "account" {
    correlate {
      employee_number = attributes.emp_id
    }
    inbound {
      name            = attributes.login
      employee_number = attributes.emp_id
    }
    reactions {
      unmatched = "add_focus"
    }
  }
}
task "hr-events" {
  activity "async_update" {
    resource = resource.hr
    url      = "`+url+`"
    queue    = "`+q+`"
  }
}
`)
	if err := os.WriteFile(filepath.Join(b.Dir, "hr.csv"), []byte("emp_id,login\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	srv := b.startServer(t, ServerConfig{})
	running := waitUntil(t, "the consumer's run", func() *state.Run {
		for _, r := range b.Runs(t, "hr-events") {
			if r.State == state.RunRunning {
				return &r
			}
		}
		return nil
	})
	if running.TriggeredBy != ConsumerBy {
		t.Errorf("the consumer's run was triggered by %q", running.TriggeredBy)
	}
	amqptest.Publish(t, ch, q, `{"operation": "create", "identifier": "e1", "attributes": {"emp_id": "e1", "login": "ada"}}`)
	waitUntil(t, "the message's user", func() *state.User {
		u, err := b.Store.UserGet(b.Ctx, "ada")
		if err != nil {
			t.Fatal(err)
		}
		return u
	})

	if err := b.Store.TaskSuspend(b.Ctx, "hr-events", "maintenance", "tester"); err != nil {
		t.Fatal(err)
	}
	b.Clock.Advance(DefaultPollInterval) // the poll asks the run to stop
	waitUntil(t, "the cancel request", func() *state.Run {
		r, err := b.Store.RunGet(b.Ctx, running.ID)
		if err != nil {
			t.Fatal(err)
		}
		if r.CancelRequested {
			return r
		}
		return nil
	})
	b.Clock.Advance(10 * time.Second) // its heartbeat learns of it
	done := waitSignal(t, &srv.signals.runFinished, "the consumer's end", func(r *state.Run) bool { return r.ID == running.ID })
	if done.State != state.RunCancelled {
		t.Errorf("the suspended consumer's run ended %s: %s", done.State, done.Error)
	}
	if err := b.Store.TaskResume(b.Ctx, "hr-events", "tester"); err != nil {
		t.Fatal(err)
	}
	b.Clock.Advance(DefaultPollInterval)
	waitUntil(t, "a new consumer run", func() *state.Run {
		for _, r := range b.Runs(t, "hr-events") {
			if r.ID != running.ID && (r.State == state.RunRunning || r.State == state.RunQueued) {
				return &r
			}
		}
		return nil
	})
	// The consumer never ends on its own: stop without a grace period
	// (the grace period waits on the test's clock).
	if err := srv.stop(context.Background(), false); err != nil {
		t.Fatal(err)
	}
}

// waitUntil polls found until it returns something, failing the test after
// a generous real-time bound (never reached when the server works).
func waitUntil[T any](t *testing.T, what string, found func() *T) *T {
	t.Helper()
	deadline := time.Now().Add(20 * time.Second)
	for {
		if v := found(); v != nil {
			return v
		}
		if time.Now().After(deadline) {
			t.Fatalf("timed out waiting for %s", what)
		}
		time.Sleep(5 * time.Millisecond)
	}
}
