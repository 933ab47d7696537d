// Package changedriven tests the change-driven example as a new user runs
// it: the built syncline binary, a live sync that takes an edit of the HR
// export, and `syncline serve` consuming change messages from the local
// RabbitMQ.
package changedriven_test

import (
	"bytes"
	"database/sql"
	"maps"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/syncline/syncline/engine/asyncupdate/amqptest"
	"github.com/syncline/syncline/internal/exampletest"
	_ "modernc.org/sqlite"
)

var files = []string{"syncline.hcl", "resources.hcl", "tasks.hcl", "data/hr.csv"}

// TestLiveSync: import, a first live sync (the token of now), an edit of
// the export (a new e-mail, a termination, a new person), and the next
// live sync carries exactly those to the application.
func TestLiveSync(t *testing.T) {
	t.Parallel()
	bin := exampletest.Build(t)
	dir := exampletest.Copy(t, files...)
	run := func(args ...string) string {
		t.Helper()
		out, err := exec.Command(bin, append(args, dir)...).CombinedOutput()
		if err != nil {
			t.Fatalf("syncline %s: %v\n%s", strings.Join(args, " "), err, out)
		}
		return string(out)
	}
	run("apply", "-auto-approve")
	run("run", "hr-import")
	run("run", "hr-live")
	edited := `emp_id,login,email,state
1001,jiri.novacek,jiri.novacek@example.com,active
1002,eva.svobodova,eva.novakova@example.com,active
1003,petr.dvorak,petr.dvorak@example.com,terminated
1004,jana.mala,jana.mala@example.com,active
`
	if err := os.WriteFile(filepath.Join(dir, "data", "hr.csv"), []byte(edited), 0o644); err != nil {
		t.Fatal(err)
	}
	out := run("run", "hr-live")
	if want := "Changed users 1 added, 1 modified, 1 disabled; accounts 1 created, 1 modified, 1 deleted."; !strings.Contains(out, want) {
		t.Errorf("the live sync after the edit does not say %q:\n%s", want, out)
	}
	want := map[string]string{
		"jiri.novacek":  "jiri.novacek@example.com",
		"eva.svobodova": "eva.novakova@example.com",
		"jana.mala":     "jana.mala@example.com",
	}
	if got := accounts(t, dir); !maps.Equal(got, want) {
		t.Errorf("app accounts %v, want %v", got, want)
	}
	if out := run("run", "hr-live"); !strings.Contains(out, "Changed nothing.") {
		t.Errorf("a live sync with nothing new changed something:\n%s", out)
	}
}

// TestAsyncUpdate: serve keeps hr-events consuming; a message that changes
// an e-mail and one that adds a person reach the application.
func TestAsyncUpdate(t *testing.T) {
	t.Parallel()
	url, ch := amqptest.Broker(t)
	q := amqptest.Queue(t, ch, "hr.changes")
	bin := exampletest.Build(t)
	dir := exampletest.Copy(t, files...)
	env := append(os.Environ(), "SYNCLINE_VAR_amqp_url="+url, "SYNCLINE_VAR_queue="+q)
	for _, args := range [][]string{{"apply", "-auto-approve"}, {"run", "hr-import"}} {
		cmd := exec.Command(bin, append(args, dir)...)
		cmd.Env = env
		if out, err := cmd.CombinedOutput(); err != nil {
			t.Fatalf("syncline %s: %v\n%s", strings.Join(args, " "), err, out)
		}
	}
	var out bytes.Buffer
	serve := exec.Command(bin, "serve", "-poll", "200ms", dir)
	serve.Env, serve.Stdout, serve.Stderr = env, &out, &out
	if err := serve.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = serve.Process.Kill(); _ = serve.Wait() })
	amqptest.Publish(t, ch, q,
		`{"operation": "modify", "identifier": "1001", "attributes": {"email": "jiri@new.example"}}`,
		`{"operation": "create", "identifier": "1005", "attributes": {"emp_id": "1005", "login": "karel.cerny", "email": "karel.cerny@example.com", "state": "active"}}`)
	want := map[string]string{
		"jiri.novacek":  "jiri@new.example",
		"eva.svobodova": "eva.svobodova@example.com",
		"petr.dvorak":   "petr.dvorak@example.com",
		"karel.cerny":   "karel.cerny@example.com",
	}
	deadline := time.Now().Add(time.Minute)
	for got := accounts(t, dir); !maps.Equal(got, want); got = accounts(t, dir) {
		if time.Now().After(deadline) {
			t.Fatalf("after a minute the app accounts are %v, want %v\n%s", got, want, out.String())
		}
		time.Sleep(50 * time.Millisecond)
	}
	if err := serve.Process.Signal(syscall.SIGTERM); err != nil {
		t.Fatal(err)
	}
	if err := serve.Wait(); err != nil {
		t.Errorf("serve after SIGTERM: %v\n%s", err, out.String())
	}
	if strings.Contains(out.String(), "guest:guest") {
		t.Errorf("serve printed the broker's credentials:\n%s", out.String())
	}
}

// accounts reads data/app.db: login → e-mail.
func accounts(t *testing.T, dir string) map[string]string {
	t.Helper()
	path := filepath.Join(dir, "data", "app.db")
	if _, err := os.Stat(path); err != nil {
		return nil
	}
	db, err := sql.Open("sqlite", "file:"+path+"?mode=ro&_pragma=busy_timeout(10000)")
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	rows, err := db.Query(`SELECT login, email FROM accounts`)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	got := map[string]string{}
	for rows.Next() {
		var login, email string
		if err := rows.Scan(&login, &email); err != nil {
			t.Fatal(err)
		}
		got[login] = email
	}
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
	return got
}
