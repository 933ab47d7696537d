package main

import (
	"bufio"
	"bytes"
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"testing"
	"time"

	_ "modernc.org/sqlite"
)

// importKillConfig imports hr.csv into users and provisions every user
// to the accounts table of app.db.
const importKillConfig = `resource "hr" {
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
      given_name      = attributes.first_name
      family_name     = attributes.last_name
      email           = attributes.email
      employee_number = attributes.emp_id
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
    provision_when = true
    correlate {
      name = attributes.login
    }
    outbound {
      login     = user.name
      full_name = "${user.given_name} ${user.family_name}"
      email     = user.email
    }
  }
}

task "hr-import" {
  activity "import" {
    resource = resource.hr
    threads  = 2
  }
}
`

// The i-th person of the generated HR file (1-based).
func hrEmpID(i int) string { return fmt.Sprintf("e%06d", i) }
func hrLogin(i int) string { return fmt.Sprintf("user%06d", i) }
func hrFullName(i int) string {
	return fmt.Sprintf("First%d Last%d", i, i)
}
func hrEmail(i int) string { return hrLogin(i) + "@hr.example" }

// writeImportKillFixture writes hr.csv with n people and main.hcl into dir.
func writeImportKillFixture(t *testing.T, dir string, n int) {
	t.Helper()
	f, err := os.Create(filepath.Join(dir, "hr.csv"))
	if err != nil {
		t.Fatal(err)
	}
	w := bufio.NewWriter(f)
	fmt.Fprintln(w, "emp_id,login,first_name,last_name,email")
	for i := 1; i <= n; i++ {
		fmt.Fprintf(w, "%s,%s,First%d,Last%d,%s\n", hrEmpID(i), hrLogin(i), i, i, hrEmail(i))
	}
	if err := w.Flush(); err != nil {
		t.Fatal(err)
	}
	if err := f.Close(); err != nil {
		t.Fatal(err)
	}
	writeFiles(t, dir, map[string]string{"main.hcl": importKillConfig})
}

// importKillDir is the test's directory, on a tmpfs. SIGKILL loses no
// page-cache data, so durability is not what the test checks, while on a
// disk the sqlite connector's transaction per created row (four fsyncs
// each) makes a 100,000-object import take minutes.
func importKillDir(t *testing.T) string {
	t.Helper()
	if d := os.Getenv("SYNCLINE_IMPORT_KILL_DIR"); d != "" {
		dir, err := os.MkdirTemp(d, "syncline-import-kill-")
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { _ = os.RemoveAll(dir) })
		return dir
	}
	if fi, err := os.Stat("/dev/shm"); err == nil && fi.IsDir() {
		if dir, err := os.MkdirTemp("/dev/shm", "syncline-import-kill-"); err == nil {
			t.Cleanup(func() { _ = os.RemoveAll(dir) })
			return dir
		}
	}
	t.Skip("needs a tmpfs (/dev/shm) or SYNCLINE_IMPORT_KILL_DIR: on a disk the import takes minutes")
	return ""
}

// child is a real syncline process started by the test.
type child struct {
	cmd  *exec.Cmd
	out  *bytes.Buffer
	done chan struct{}
	err  error // set when done is closed
}

// startSyncline starts the test binary as syncline with args.
func startSyncline(t *testing.T, args ...string) *child {
	t.Helper()
	cmd := exec.Command(os.Args[0], args...)
	cmd.Env = append(os.Environ(), runAsSyncline+"=1", "NO_COLOR=1")
	c := &child{cmd: cmd, out: &bytes.Buffer{}, done: make(chan struct{})}
	cmd.Stdout, cmd.Stderr = c.out, c.out
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	go func() { c.err = cmd.Wait(); close(c.done) }()
	t.Cleanup(func() { _ = cmd.Process.Kill(); <-c.done })
	return c
}

// wait waits for the process to end and returns its exit code; it fails
// t after timeout.
func (c *child) wait(t *testing.T, timeout time.Duration) int {
	t.Helper()
	select {
	case <-c.done:
	case <-time.After(timeout):
		_ = c.cmd.Process.Kill()
		<-c.done
		t.Fatalf("syncline %v still running after %s; killed it:\n%s", c.cmd.Args[1:], timeout, c.out)
	}
	var exit *exec.ExitError
	if errors.As(c.err, &exit) {
		return exit.ExitCode()
	}
	if c.err != nil {
		t.Fatalf("syncline %v: %v", c.cmd.Args[1:], c.err)
	}
	return 0
}

// syncline runs syncline with args as a child process to the end.
func syncline(t *testing.T, timeout time.Duration, args ...string) (int, string) {
	t.Helper()
	c := startSyncline(t, args...)
	code := c.wait(t, timeout)
	return code, c.out.String()
}

// mustSyncline is syncline that fails t unless the exit code is 0.
func mustSyncline(t *testing.T, timeout time.Duration, args ...string) string {
	t.Helper()
	code, out := syncline(t, timeout, args...)
	if code != 0 {
		t.Fatalf("syncline %v: exit %d\n%s", args, code, out)
	}
	return out
}

// openReadOnly opens an SQLite database read-only (the state store or the
// application's table) to look at it while syncline writes it.
func openReadOnly(t *testing.T, path string) *sql.DB {
	t.Helper()
	u := url.URL{Scheme: "file", Path: path, RawQuery: "mode=ro&_pragma=busy_timeout(10000)&_pragma=query_only(1)"}
	db, err := sql.Open("sqlite", u.String())
	if err != nil {
		t.Fatal(err)
	}
	db.SetMaxOpenConns(1)
	t.Cleanup(func() { _ = db.Close() })
	return db
}

// count runs a query that returns one integer.
func count(t *testing.T, db *sql.DB, query string, args ...any) int {
	t.Helper()
	var n sql.NullInt64
	if err := db.QueryRowContext(context.Background(), query, args...).Scan(&n); err != nil {
		t.Fatalf("%s: %v", query, err)
	}
	return int(n.Int64)
}

// shownRun is the part of "syncline runs show -json" the test reads.
type shownRun struct {
	ID         int64  `json:"id"`
	Trigger    string `json:"trigger"`
	State      string `json:"state"`
	Error      string `json:"error"`
	Activities []struct {
		Name       string           `json:"name"`
		State      string           `json:"state"`
		Success    int64            `json:"success"`
		Failure    int64            `json:"failure"`
		Skipped    int64            `json:"skipped"`
		Statistics map[string]int64 `json:"statistics"`
	} `json:"activities"`
}

// showRun reads run id with "syncline runs show -json".
func showRun(t *testing.T, dir string, id int64) shownRun {
	t.Helper()
	out := mustSyncline(t, 30*time.Second, "runs", "show", "-json",
		"-state", filepath.Join(dir, ".syncline", "state.db"), fmt.Sprint(id))
	var r shownRun
	if err := json.Unmarshal([]byte(out), &r); err != nil {
		t.Fatalf("runs show -json %d: %v\n%s", id, err, out)
	}
	if len(r.Activities) != 1 {
		t.Fatalf("run %d has %d activities, want 1:\n%s", id, len(r.Activities), out)
	}
	return r
}

// pollUntil calls done every interval until it returns true; it fails t
// after timeout.
func pollUntil(t *testing.T, timeout time.Duration, what string, done func() bool) {
	t.Helper()
	deadline := time.Now().Add(timeout)
	for !done() {
		if time.Now().After(deadline) {
			t.Fatalf("timed out after %s waiting for %s", timeout, what)
		}
		time.Sleep(20 * time.Millisecond)
	}
}
