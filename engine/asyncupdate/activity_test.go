package asyncupdate_test

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/syncline/syncline/engine/asyncupdate/amqptest"
	"github.com/syncline/syncline/engine/connector/connectortest"
	"github.com/syncline/syncline/engine/internal/enginetest"
	"github.com/syncline/syncline/engine/runner"
	"github.com/syncline/syncline/state"
)

const hrCSV = `emp_id,login,email,state
e1,alice,alice@hr.example,active
e2,bob,bob@hr.example,active
e3,carol,carol@hr.example,active
`

// config is an HR csv resource and two tasks: hr-import, and hr-async
// consuming q with extra settings.
func config(url, q, extra string) string {
	return `
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
      email           = attributes.email
      employee_number = attributes.emp_id
      status          = attributes.state == "terminated" ? "disabled" : "active"
    }
    reactions {
      unmatched = "add_focus"
      deleted   = "inactivate_focus"
    }
  }
}
task "hr-import" {
  activity "import" {
    resource = resource.hr
  }
}
task "hr-async" {
  activity "async_update" {
    resource = resource.hr
    url      = "` + url + `"
    queue    = "` + q + `"
` + extra + `
  }
}
`
}

func setup(t testing.TB, hcl string) *enginetest.Bundle {
	t.Helper()
	b := enginetest.Setup(t, hcl)
	if err := os.WriteFile(filepath.Join(b.Dir, "hr.csv"), []byte(hrCSV), 0o644); err != nil {
		t.Fatal(err)
	}
	return b
}

func run(t testing.TB, b *enginetest.Bundle, task string) *state.Run {
	t.Helper()
	r, err := runner.EnqueueManual(b.Ctx, b.Store, b.Catalog(t), task, "", "tester")
	if err != nil {
		t.Fatal(err)
	}
	done, err := runner.RunForeground(b.Ctx, b.Store, b.Catalog(t), r.ID, "test:1:1", nil)
	if err != nil {
		t.Fatal(err)
	}
	return done
}

func users(t *testing.T, b *enginetest.Bundle) map[string]string {
	t.Helper()
	out := map[string]string{}
	for _, name := range []string{"alice", "bob", "carol", "erin"} {
		u, err := b.Store.UserGet(b.Ctx, name)
		if err != nil {
			t.Fatal(err)
		}
		if u != nil {
			out[name] = string(u.Status) + " " + u.Attributes["email"]
		}
	}
	return out
}

func describe(r *state.Run) string {
	var s strings.Builder
	for _, a := range r.Activities {
		s.WriteString(a.Name + " " + string(a.State) + "\n")
		for _, e := range a.Errors {
			s.WriteString("  " + e.Item + ": " + e.Message + "\n")
		}
	}
	return string(r.State) + " " + r.Error + "\n" + s.String()
}

// TestMessagesChangeUsers: a create, a modification (of one attribute:
// the others stay as last seen) and a delete reach the users through the
// object type's mappings and reactions; every message is acknowledged.
func TestMessagesChangeUsers(t *testing.T) {
	t.Parallel()
	url, ch := amqptest.Broker(t)
	q := amqptest.Queue(t, ch, "hr-changes")
	b := setup(t, config(url, q, "max_messages = 3"))
	if r := run(t, b, "hr-import"); r.State != state.RunSucceeded {
		t.Fatal(describe(r))
	}
	amqptest.Publish(t, ch, q,
		`{"operation": "create", "identifier": "e5", "attributes": {"emp_id": "e5", "login": "erin", "email": "erin@hr.example", "state": "active"}}`,
		`{"operation": "modify", "identifier": "e1", "attributes": {"email": "alice@new.example"}}`,
		`{"op": "delete", "id": "e2"}`)
	r := run(t, b, "hr-async")
	if r.State != state.RunSucceeded || r.Activities[0].Output["messages"] != "3" {
		t.Fatalf("async run: %s", describe(r))
	}
	want := map[string]string{"alice": "active alice@new.example", "bob": "disabled bob@hr.example", "carol": "active carol@hr.example", "erin": "active erin@hr.example"}
	if got := users(t, b); !equal(got, want) {
		t.Errorf("users %v, want %v", got, want)
	}
	if n := amqptest.Depth(t, ch, q); n != 0 {
		t.Errorf("%d messages left in the queue: every processed one must be acknowledged", n)
	}
}

// TestFailingMessageStops: by default the activity stops at a message it
// cannot process and leaves it, and what follows, in the queue.
func TestFailingMessageStops(t *testing.T) {
	t.Parallel()
	url, ch := amqptest.Broker(t)
	q := amqptest.Queue(t, ch, "hr-changes")
	b := setup(t, config(url, q, "max_messages = 3\nprefetch = 1"))
	amqptest.Publish(t, ch, q,
		`{"operation": "create", "identifier": "e5", "attributes": {"emp_id": "e5", "login": "erin", "email": "erin@hr.example", "state": "active"}}`,
		`{"operation": "create", "identifier"`,
		`{"operation": "create", "identifier": "e3", "attributes": {"emp_id": "e3", "login": "carol", "email": "c@x", "state": "active"}}`)
	r := run(t, b, "hr-async")
	if r.State != state.RunFailed || !strings.Contains(r.Error, "stopped at the first object error") {
		t.Fatalf("async run: %s", describe(r))
	}
	if got := users(t, b); len(got) != 1 || got["erin"] == "" {
		t.Errorf("users %v, want erin only", got)
	}
	if n := amqptest.Depth(t, ch, q); n != 2 {
		t.Errorf("%d messages left in the queue, want the failing one and the one after it", n)
	}
}

// TestFailingMessageIsDeadLettered: with errors { action = "continue" } a
// failing message goes to the dead-letter queue with its error, and the
// stream goes on.
func TestFailingMessageIsDeadLettered(t *testing.T) {
	t.Parallel()
	url, ch := amqptest.Broker(t)
	q := amqptest.Queue(t, ch, "hr-changes")
	dlq := amqptest.Queue(t, ch, "hr-changes-dlq")
	b := setup(t, config(url, q, "max_messages = 3\ndead_letter_queue = \""+dlq+"\"\nerrors {\n action = \"continue\"\n}"))
	amqptest.Publish(t, ch, q,
		`{"operation": "create", "identifier": "e5", "attributes": {"emp_id": "e5", "login": "erin", "email": "erin@hr.example", "state": "active"}}`,
		`{"operation": "explode", "identifier": "e9"}`,
		`{"operation": "create", "identifier": "e3", "attributes": {"emp_id": "e3", "login": "carol", "email": "carol@hr.example", "state": "active"}}`)
	r := run(t, b, "hr-async")
	if r.State != state.RunPartial {
		t.Fatalf("async run: %s", describe(r))
	}
	if got := users(t, b); len(got) != 2 {
		t.Errorf("users %v, want erin and carol", got)
	}
	if n := amqptest.Depth(t, ch, q); n != 0 {
		t.Errorf("%d messages left in the queue", n)
	}
	d, ok, err := ch.Get(dlq, true)
	if err != nil || !ok {
		t.Fatalf("dead-letter queue: %v %v", ok, err)
	}
	if !strings.Contains(string(d.Body), "explode") || !strings.Contains(d.Headers["x-syncline-error"].(string), `unknown operation "explode"`) {
		t.Errorf("dead letter %s with headers %v", d.Body, d.Headers)
	}
}

// TestNotificationReadsTheObject: a notification names an object, which
// is read from the resource.
func TestNotificationReadsTheObject(t *testing.T) {
	t.Parallel()
	url, ch := amqptest.Broker(t)
	q := amqptest.Queue(t, ch, "hr-notify")
	b := setup(t, config(url, q, "max_messages = 1\nmessage_format = \"notification\""))
	amqptest.Publish(t, ch, q, `{"identifier": "e3"}`)
	r := run(t, b, "hr-async")
	if r.State != state.RunSucceeded {
		t.Fatalf("async run: %s", describe(r))
	}
	if got := users(t, b); got["carol"] != "active carol@hr.example" || len(got) != 1 {
		t.Errorf("users %v, want carol as the file has her", got)
	}
}

func equal(a, b map[string]string) bool {
	if len(a) != len(b) {
		return false
	}
	for k, v := range a {
		if b[k] != v {
			return false
		}
	}
	return true
}

// TestConnectionDropsMidStream: the broker connection drops while the
// activity consumes a stream; it connects again, the broker sends again
// what was not acknowledged, and every message takes effect once.
func TestConnectionDropsMidStream(t *testing.T) {
	t.Parallel()
	url, ch := amqptest.Broker(t)
	q := amqptest.Queue(t, ch, "hr-stream")
	addr := strings.TrimSuffix(strings.SplitN(strings.TrimPrefix(url, "amqp://"), "@", 2)[1], "/")
	proxy := connectortest.NewProxy(t, addr)
	through := strings.Replace(url, addr, proxy.Addr(), 1)
	b := setup(t, config(through, q, "prefetch = 1\nidle_timeout = \"2s\""))
	const n = 300
	var bodies []string
	for i := range n {
		bodies = append(bodies, fmt.Sprintf(`{"operation": "create", "identifier": "s%03d", "attributes": {"emp_id": "s%03d", "login": "user%03d", "email": "u%03d@hr.example", "state": "active"}}`, i, i, i, i))
	}
	amqptest.Publish(t, ch, q, bodies...)
	done := make(chan *state.Run, 1)
	go func() { done <- run(t, b, "hr-async") }()
	// Drop the connection once the stream is under way.
	deadline := time.Now().Add(30 * time.Second)
	for count(t, b) < 20 {
		if time.Now().After(deadline) {
			t.Fatal("the stream did not get under way")
		}
		time.Sleep(10 * time.Millisecond)
	}
	proxy.Drop()
	r := <-done
	if r.State != state.RunSucceeded {
		t.Fatalf("async run: %s", describe(r))
	}
	if got := count(t, b); got != n {
		t.Errorf("%d users, want %d", got, n)
	}
	if got := r.Activities[0].Statistics["users.add"]; got != n {
		t.Errorf("users.add = %d, want %d: each message takes effect once", got, n)
	}
	if left := amqptest.Depth(t, ch, q); left != 0 {
		t.Errorf("%d messages left in the queue", left)
	}
}

func count(t *testing.T, b *enginetest.Bundle) int {
	t.Helper()
	var n int
	err := b.Store.UsersEach(b.Ctx, func(*state.User) error { n++; return nil })
	if err != nil {
		t.Fatal(err)
	}
	return n
}

// TestThreadsKeepTheOrderOfAnIdentifier: with threads = 4, the changes of
// one person in one batch — a modification after a modification (of the
// same attribute, of another), a deletion after a creation — take effect
// in the order they were published.
func TestThreadsKeepTheOrderOfAnIdentifier(t *testing.T) {
	t.Parallel()
	url, ch := amqptest.Broker(t)
	q := amqptest.Queue(t, ch, "hr-changes")
	const n = 40
	b := setup(t, config(url, q, fmt.Sprintf("threads = 4\nprefetch = 100\nmax_messages = %d", 2*n+4)))
	if r := run(t, b, "hr-import"); r.State != state.RunSucceeded {
		t.Fatal(describe(r))
	}
	var bodies []string
	for i := range n {
		bodies = append(bodies,
			fmt.Sprintf(`{"operation": "modify", "identifier": "e1", "attributes": {"email": "alice-%d@new.example"}}`, i),
			fmt.Sprintf(`{"operation": "modify", "identifier": "e3", "attributes": {"email": "carol-%d@new.example"}}`, i))
	}
	bodies = append(bodies,
		`{"operation": "create", "identifier": "e5", "attributes": {"emp_id": "e5", "login": "erin", "email": "erin@hr.example", "state": "active"}}`,
		`{"operation": "delete", "identifier": "e5"}`,
		`{"operation": "modify", "identifier": "e2", "attributes": {"email": "bob@new.example"}}`,
		`{"operation": "modify", "identifier": "e2", "attributes": {"state": "terminated"}}`)
	amqptest.Publish(t, ch, q, bodies...)
	r := run(t, b, "hr-async")
	if r.State != state.RunSucceeded || r.Activities[0].Output["messages"] != fmt.Sprint(2*n+4) {
		t.Fatalf("async run: %s", describe(r))
	}
	want := map[string]string{"alice": fmt.Sprintf("active alice-%d@new.example", n-1), "bob": "disabled bob@new.example",
		"carol": fmt.Sprintf("active carol-%d@new.example", n-1), "erin": "disabled erin@hr.example"}
	if got := users(t, b); !equal(got, want) {
		t.Errorf("users %v, want %v", got, want)
	}
}
