package engine

import (
	"context"
	"net/http"
	"net/http/httptest"
	"sync"
	"testing"
	"time"

	"github.com/syncline/syncline/engine/runner"
	"github.com/syncline/syncline/state"
)

// hookReceiver is a real HTTP server on loopback that answers each POST
// with the next status of its script (the last one repeats) and sends the
// delivery key it got on got.
type hookReceiver struct {
	*httptest.Server
	mu     sync.Mutex
	script []int
	got    chan string
}

func newHookReceiver(t *testing.T, script ...int) *hookReceiver {
	t.Helper()
	r := &hookReceiver{script: script, got: make(chan string, 10)}
	r.Server = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, req *http.Request) {
		r.mu.Lock()
		status := r.script[0]
		if len(r.script) > 1 {
			r.script = r.script[1:]
		}
		r.mu.Unlock()
		w.WriteHeader(status)
		r.got <- req.Header.Get("X-Syncline-Delivery")
	}))
	t.Cleanup(r.Close)
	return r
}

func (r *hookReceiver) next(t *testing.T) string {
	t.Helper()
	select {
	case key := <-r.got:
		return key
	case <-time.After(20 * time.Second):
		t.Fatal("timed out waiting for the notification")
		return ""
	}
}

func failingTask(hook string) string {
	return `
task "nightly" {
  activity "exec" {
    command = "sh"
    args    = ["-c", "exit 3"]
  }
  notify {
    on      = ["failed"]
    webhook = "` + hook + `"
  }
}
`
}

// TestServeDeliversNotifications: a run serve executes that fails is
// notified at once.
func TestServeDeliversNotifications(t *testing.T) {
	t.Parallel()
	rcv := newHookReceiver(t, http.StatusOK)
	b := setup(t, failingTask(rcv.URL))
	if _, err := runner.EnqueueManual(b.Ctx, b.Store, b.Catalog(t), "nightly", "", "tester"); err != nil {
		t.Fatal(err)
	}
	srv := b.startServer(t, ServerConfig{})
	run := waitSignal(t, &srv.signals.runFinished, "the run", nil)
	if key := rcv.next(t); key == "" {
		t.Error("the notification carries no key")
	}
	if err := srv.Stop(b.Ctx); err != nil {
		t.Fatal(err)
	}
	ns, err := b.Store.RunNotifications(b.Ctx, run.ID)
	if err != nil || len(ns) != 1 || ns[0].State != state.NotificationDelivered {
		t.Fatalf("notifications %+v %v", ns, err)
	}
}

// TestNotificationOutlivesTheServer: a notification the receiver refused
// is delivered by the next server once its backoff is over — once, with
// the same key.
func TestNotificationOutlivesTheServer(t *testing.T) {
	t.Parallel()
	rcv := newHookReceiver(t, http.StatusServiceUnavailable, http.StatusAccepted)
	b := setup(t, failingTask(rcv.URL))
	if _, err := runner.EnqueueManual(b.Ctx, b.Store, b.Catalog(t), "nightly", "", "tester"); err != nil {
		t.Fatal(err)
	}
	first := b.startServer(t, ServerConfig{WorkerID: "first:1"})
	run := waitSignal(t, &first.signals.runFinished, "the run", nil)
	key := rcv.next(t)
	if err := first.Stop(b.Ctx); err != nil { // its dispatcher records the refusal before it stops
		t.Fatal(err)
	}
	b.Clock.Advance(time.Minute) // past the backoff
	second := b.startServer(t, ServerConfig{WorkerID: "second:1"})
	if again := rcv.next(t); again != key {
		t.Errorf("redelivered with key %q, want %q", again, key)
	}
	if err := second.Stop(context.Background()); err != nil {
		t.Fatal(err)
	}
	ns, err := b.Store.RunNotifications(b.Ctx, run.ID)
	if err != nil || len(ns) != 1 {
		t.Fatalf("notifications %+v %v", ns, err)
	}
	n := ns[0]
	if n.State != state.NotificationDelivered || len(n.Attempts) != 2 || n.Attempts[0].By != "first:1:notify" || n.Attempts[1].By != "second:1:notify" {
		t.Errorf("notification %+v", n)
	}
	select {
	case extra := <-rcv.got:
		t.Errorf("delivered a third time (%s)", extra)
	default:
	}
}
