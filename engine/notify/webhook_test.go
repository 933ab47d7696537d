package notify

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"

	"github.com/syncline/syncline/state"
)

// receiver is a real HTTP server on loopback that records what it gets
// and answers with status.
type receiver struct {
	*httptest.Server
	mu     sync.Mutex
	got    []received
	status int
}

type received struct {
	header http.Header
	body   []byte
}

func newReceiver(t *testing.T, status int) *receiver {
	t.Helper()
	r := &receiver{status: status}
	r.Server = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, req *http.Request) {
		body, _ := io.ReadAll(req.Body)
		r.mu.Lock()
		r.got = append(r.got, received{req.Header.Clone(), body})
		status := r.status
		r.mu.Unlock()
		w.WriteHeader(status)
	}))
	t.Cleanup(r.Close)
	return r
}

func (r *receiver) received() []received {
	r.mu.Lock()
	defer r.mu.Unlock()
	return append([]received(nil), r.got...)
}

func (r *receiver) answer(status int) {
	r.mu.Lock()
	r.status = status
	r.mu.Unlock()
}

func hookTask(notify string) string {
	return `
syncline {
  public_url = "https://syncline.example.com/"
}
task "nightly" {
  description = "Nightly HR import"
  owner       = "iam-team"
  activity "exec" {
    command = "true"
  }
  notify {
` + notify + `
  }
}
`
}

// TestWebhookDelivered: a failed run's notification is POSTed as the
// documented JSON, signed with the secret, with its key; the URL, given
// by env(), is never shown.
func TestWebhookDelivered(t *testing.T) {
	t.Parallel()
	rcv := newReceiver(t, http.StatusAccepted)
	b := setup(t, hookTask(`on = ["failed", "partial"]
    webhook = env("HOOK_URL")
    secret  = env("HOOK_SECRET")`), "HOOK_URL="+rcv.URL+"/hook/T0KEN", "HOOK_SECRET=s3cret")
	run := b.endRun(t, "nightly", state.RunPartial, "", importResults())
	ds := b.deliver(t)
	if len(ds) != 1 || ds[0].Err != nil || ds[0].Status != "202 Accepted" || ds[0].Target != "webhook (sensitive URL)" {
		t.Fatalf("deliveries: %+v", ds)
	}
	got := rcv.received()
	if len(got) != 1 {
		t.Fatalf("the receiver got %d requests", len(got))
	}
	h, body := got[0].header, got[0].body
	mac := hmac.New(sha256.New, []byte("s3cret"))
	mac.Write(body)
	if want := "sha256=" + hex.EncodeToString(mac.Sum(nil)); h.Get(headerSignature) != want {
		t.Errorf("signature %q, want %q", h.Get(headerSignature), want)
	}
	n := b.notifications(t, run.ID)[0]
	if h.Get(headerDelivery) != n.Key || h.Get(headerEvent) != "run.finished" || h.Get("Content-Type") != "application/json" {
		t.Errorf("headers: %v", h)
	}
	var m Message
	if err := json.Unmarshal(body, &m); err != nil {
		t.Fatal(err)
	}
	if m.Schema != "syncline.notification/1" || m.Key != n.Key || m.Task.Name != "nightly" || m.Task.Description != "Nightly HR import" ||
		m.Task.Owner != "iam-team" || strings.Join(m.Task.Activities, ",") != "exec" || m.Task.State != "active" {
		t.Errorf("task: %+v", m.Task)
	}
	if m.Run.ID != run.ID || m.Run.Outcome != "partial" || m.Run.Trigger != "schedule" || m.Run.Mode != "full" ||
		m.Run.Revision != "abc1234" || m.Run.DurationSeconds != 90 || m.Run.URL != "https://syncline.example.com/runs/1" {
		t.Errorf("run: %+v", m.Run)
	}
	if m.Changed != (Changed{Users: 4, Accounts: 3}) || m.Statistics["accounts.failed"] != 2 || m.ErrorsTotal != 2 || len(m.Errors) != 2 {
		t.Errorf("results: changed %+v, statistics %v, %d errors (%d)", m.Changed, m.Statistics, len(m.Errors), m.ErrorsTotal)
	}
	if n.State != state.NotificationDelivered || len(n.Attempts) != 1 || n.Attempts[0].Status != "202 Accepted" {
		t.Errorf("notification: %+v", n)
	}
	if again := b.deliver(t); len(again) != 0 {
		t.Errorf("delivered again: %+v", again)
	}
}

// TestWebhookOnlyForItsOutcomes: a run that ends otherwise sends nothing.
func TestWebhookOnlyForItsOutcomes(t *testing.T) {
	t.Parallel()
	rcv := newReceiver(t, http.StatusOK)
	b := setup(t, hookTask(`webhook = "`+rcv.URL+`"`))
	b.endRun(t, "nightly", state.RunSucceeded, "", nil)
	if ds := b.deliver(t); len(ds) != 0 || len(rcv.received()) != 0 {
		t.Errorf("a succeeded run notified a block listening for failed: %+v", ds)
	}
}

// TestWebhookRetriedThenDelivered: a receiver answering 500 gets the
// notification again after the backoff, with the same key; each attempt
// is recorded.
func TestWebhookRetriedThenDelivered(t *testing.T) {
	t.Parallel()
	rcv := newReceiver(t, http.StatusInternalServerError)
	b := setup(t, hookTask(`webhook = "`+rcv.URL+`"`))
	run := b.endRun(t, "nightly", state.RunFailed, "the resource was unreachable", nil)
	ds := b.deliver(t)
	if len(ds) != 1 || ds[0].Err == nil || !strings.Contains(ds[0].Err.Error(), "500") || ds[0].Next != b.clock.Now().Add(retryBase) {
		t.Fatalf("first attempt: %+v", ds)
	}
	if early := b.deliver(t); len(early) != 0 {
		t.Errorf("tried again before the backoff: %+v", early)
	}
	rcv.answer(http.StatusNoContent)
	b.clock.Advance(retryBase)
	if ds := b.deliver(t); len(ds) != 1 || ds[0].Err != nil {
		t.Fatalf("second attempt: %+v", ds)
	}
	got := rcv.received()
	if len(got) != 2 || got[0].header.Get(headerDelivery) != got[1].header.Get(headerDelivery) {
		t.Errorf("the receiver got %d requests; keys must repeat", len(got))
	}
	n := b.notifications(t, run.ID)[0]
	if n.State != state.NotificationDelivered || len(n.Attempts) != 2 || n.Attempts[0].Status != "500 Internal Server Error" {
		t.Errorf("notification: %+v", n)
	}
}

// TestWebhookGivenUp: an unreachable receiver is retried with backoff
// until give_up_after, then the notification is recorded failed; no error
// shows the URL's token.
func TestWebhookGivenUp(t *testing.T) {
	t.Parallel()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := ln.Addr().String()
	ln.Close() // nothing listens there now
	b := setup(t, hookTask(`webhook = "http://`+addr+`/hooks/T0KEN"
    give_up_after = "1m"`))
	run := b.endRun(t, "nightly", state.RunFailed, "", nil)
	var all []Delivery
	for range 10 {
		all = append(all, b.deliver(t)...)
		b.clock.Advance(retryBase)
	}
	if len(all) != 3 || !all[2].GaveUp || all[0].GaveUp {
		t.Fatalf("deliveries: %+v", all)
	}
	n := b.notifications(t, run.ID)[0]
	if n.State != state.NotificationFailed || len(n.Attempts) != 3 {
		t.Errorf("notification: %+v", n)
	}
	for _, a := range n.Attempts {
		if strings.Contains(a.Error, "T0KEN") || !strings.Contains(a.Error, "posting to the webhook") {
			t.Errorf("attempt error %q", a.Error)
		}
	}
}

// TestWebhookRedirectElsewhere: a receiver that redirects to another host
// does not get the notification sent on there.
func TestWebhookRedirectElsewhere(t *testing.T) {
	t.Parallel()
	other := newReceiver(t, http.StatusOK)
	redirect := httptest.NewServer(http.RedirectHandler(strings.Replace(other.URL, "127.0.0.1", "localhost", 1)+"/stolen", http.StatusTemporaryRedirect))
	t.Cleanup(redirect.Close)
	b := setup(t, hookTask(`webhook = "`+redirect.URL+`"`))
	b.endRun(t, "nightly", state.RunFailed, "", nil)
	ds := b.deliver(t)
	if len(ds) != 1 || ds[0].Err == nil || !strings.Contains(ds[0].Err.Error(), "another host") {
		t.Fatalf("deliveries: %+v", ds)
	}
	if len(other.received()) != 0 {
		t.Error("the notification followed a redirect to another host")
	}
}

// TestWebhookTimeout: a receiver that does not answer within timeout is a
// failed attempt, retried later.
func TestWebhookTimeout(t *testing.T) {
	t.Parallel()
	release := make(chan struct{})
	slow := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		select {
		case <-r.Context().Done():
		case <-release:
		}
	}))
	t.Cleanup(func() { close(release); slow.Close() })
	b := setup(t, hookTask(`webhook = "`+slow.URL+`"
    timeout = "200ms"`))
	b.endRun(t, "nightly", state.RunFailed, "", nil)
	ds := b.deliver(t)
	if len(ds) != 1 || ds[0].Err == nil || !strings.Contains(ds[0].Err.Error(), "did not answer within 200ms") || ds[0].GaveUp {
		t.Fatalf("deliveries: %+v", ds)
	}
}

// TestSlackFormat: format = "slack" posts {"text": …}.
func TestSlackFormat(t *testing.T) {
	t.Parallel()
	rcv := newReceiver(t, http.StatusOK)
	b := setup(t, hookTask(`webhook = "`+rcv.URL+`"
    format  = "slack"`))
	b.endRun(t, "nightly", state.RunFailed, "stopped after 2 object errors", importResults())
	b.deliver(t)
	got := rcv.received()
	var body map[string]string
	if len(got) != 1 || json.Unmarshal(got[0].body, &body) != nil || len(body) != 1 {
		t.Fatalf("received %v", got)
	}
	for _, want := range []string{"task *nightly* failed (run 1, schedule)", "stopped after 2 object errors", "• app/carol", "<https://syncline.example.com/runs/1|Open run 1>"} {
		if !strings.Contains(body["text"], want) {
			t.Errorf("text %q lacks %q", body["text"], want)
		}
	}
}

// TestDeadDispatcherRedelivers: a dispatcher that claimed a notification
// and died before recording it leaves it, once its lease is over, to the
// next, which sends it with the same key.
func TestDeadDispatcherRedelivers(t *testing.T) {
	t.Parallel()
	rcv := newReceiver(t, http.StatusOK)
	b := setup(t, hookTask(`webhook = "`+rcv.URL+`"`))
	run := b.endRun(t, "nightly", state.RunFailed, "", nil)
	if claimed, err := b.store.NotificationsDue(b.ctx, "dead:1", b.clock.Now(), b.d.lease(), 10); err != nil || len(claimed) != 1 {
		t.Fatalf("claim: %v %v", claimed, err)
	}
	if ds := b.deliver(t); len(ds) != 0 {
		t.Fatalf("delivered a notification another dispatcher holds: %+v", ds)
	}
	b.clock.Advance(b.d.lease())
	if ds := b.deliver(t); len(ds) != 1 || ds[0].Err != nil {
		t.Fatalf("after the lease: %+v", ds)
	}
	if n := b.notifications(t, run.ID)[0]; n.State != state.NotificationDelivered || rcv.received()[0].header.Get(headerDelivery) != n.Key {
		t.Errorf("notification: %+v", n)
	}
}

// TestRemovedNotifyBlockGivesUp: a notification whose block is gone from
// the configuration is given up at once, saying why.
func TestRemovedNotifyBlockGivesUp(t *testing.T) {
	t.Parallel()
	rcv := newReceiver(t, http.StatusOK)
	b := setup(t, hookTask(`webhook = "`+rcv.URL+`"`))
	run := b.endRun(t, "nightly", state.RunFailed, "", nil)
	b.cfg.Tasks["nightly"].Notify = nil
	ds := b.deliver(t)
	if len(ds) != 1 || !ds[0].GaveUp || !strings.Contains(ds[0].Err.Error(), "no longer has notify block 1") {
		t.Fatalf("deliveries: %+v", ds)
	}
	if n := b.notifications(t, run.ID)[0]; n.State != state.NotificationFailed {
		t.Errorf("notification: %+v", n)
	}
}
