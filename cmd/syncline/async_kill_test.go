package main

import (
	"fmt"
	"path/filepath"
	"syscall"
	"testing"
	"time"

	"github.com/syncline/syncline/engine/asyncupdate/amqptest"
)

// TestAsyncUpdateKillAndServeAgain is issue 17's crash test for change
// messages: syncline serve consumes a stream of 50,000 messages with a
// long-lived async_update (each message a new person, each person an
// account); the process is killed (SIGKILL) in the middle and serve is
// started again. In the end every message has taken effect once: one
// user and one account per person, nothing pending, the queue empty.
func TestAsyncUpdateKillAndServeAgain(t *testing.T) {
	if raceEnabled {
		t.Skip("the race detector makes a 50,000-message stream take minutes; .ci/run runs this test without it")
	}
	if testing.Short() {
		t.Skip("streams 50,000 messages through real syncline processes")
	}
	url, ch := amqptest.Broker(t)
	q := amqptest.Queue(t, ch, "hr-kill")
	const n = 50_000 // the stream
	dir := importKillDir(t)
	writeFiles(t, dir, map[string]string{"hr.csv": "emp_id,login,email,state\n", "main.hcl": fmt.Sprintf(asyncKillConfig, url, q)})
	mustSyncline(t, time.Minute, "apply", "-auto-approve", dir)
	bodies := make([]string, n)
	for i := range n {
		bodies[i] = fmt.Sprintf(`{"operation": "create", "identifier": %q, "attributes": {"emp_id": %q, "login": %q, "email": %q, "state": "active"}}`,
			hrEmpID(i), hrEmpID(i), hrLogin(i), hrEmail(i))
	}
	amqptest.Publish(t, ch, q, bodies...)
	st := openReadOnly(t, filepath.Join(dir, ".syncline", "state.db"))

	first := startSyncline(t, "serve", "-poll", "200ms", dir)
	users := 0
	pollUntil(t, 2*time.Minute, "the stream to get a third of the way", func() bool {
		users = count(t, st, `SELECT count(*) FROM users`)
		return users >= n/3
	})
	if err := first.cmd.Process.Signal(syscall.SIGKILL); err != nil {
		t.Fatal(err)
	}
	<-first.done
	t.Logf("killed serve with %d users", users)
	if users >= n {
		t.Fatalf("the stream was over before the kill (%d users)", users)
	}

	second := startSyncline(t, "serve", "-poll", "200ms", dir)
	deadline := time.Now().Add(3 * time.Minute)
	for {
		depth, users := amqptest.Depth(t, ch, q), count(t, st, `SELECT count(*) FROM users`)
		done := count(t, st, `SELECT count(*) FROM shadows WHERE resource = 'app' AND pending IS NULL AND dead = 0`)
		if depth == 0 && users == n && done == n {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("after 3 minutes: %d messages in the queue, %d users, %d accounts done of %d\n%s", depth, users, done, n, second.out)
		}
		time.Sleep(50 * time.Millisecond)
	}
	if err := second.cmd.Process.Signal(syscall.SIGTERM); err != nil {
		t.Fatal(err)
	}
	if code := second.wait(t, time.Minute); code != 0 {
		t.Errorf("serve after SIGTERM: exit %d\n%s", code, second.out)
	}
	for _, c := range []struct {
		what, query string
		want        int
	}{
		{"users", `SELECT count(*) FROM users`, n},
		{"distinct user names", `SELECT count(DISTINCT name) FROM users`, n},
		{"live hr shadows", `SELECT count(*) FROM shadows WHERE resource = 'hr' AND dead = 0`, n},
		{"live app shadows", `SELECT count(*) FROM shadows WHERE resource = 'app' AND dead = 0`, n},
		{"shadows with pending operations", `SELECT count(*) FROM shadows WHERE pending IS NOT NULL`, 0},
	} {
		if got := count(t, st, c.query); got != c.want {
			t.Errorf("%s: %d, want %d", c.what, got, c.want)
		}
	}
	if rows := appAccounts(t, dir); len(rows) != n {
		t.Errorf("app.db has %d accounts, want %d", len(rows), n)
	}
}

const asyncKillConfig = `
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
    }
  }
}
resource "app" {
  connector = "sql"
  connection {
    driver       = "sqlite"
    dsn          = "app.db"
    table        = "accounts"
    key          = "login"
    columns      = ["login", "full_name", "email"]
    create_table = true
  }
  object_type "account" {
    provision_when = user.status == "active"
    correlate {
      name = attributes.login
    }
    outbound {
      login = user.name
      email = user.email
    }
  }
}
task "hr-events" {
  activity "async_update" {
    resource = resource.hr
    url      = "%s"
    queue    = "%s"
    prefetch = 500
  }
}
`
