package main

import (
	"context"
	"database/sql"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"
)

var (
	builtOnce sync.Once
	builtPath string
	builtErr  error
)

// builtSyncline builds ./cmd/syncline once per test process, so that a
// test runs the very binary a user gets from go build.
func builtSyncline(t *testing.T) string {
	t.Helper()
	if _, err := exec.LookPath("go"); err != nil {
		t.Skip("the go command is not on PATH, so the binary cannot be built")
	}
	builtOnce.Do(func() {
		dir, err := os.MkdirTemp("", "syncline-bin-")
		if err != nil {
			builtErr = err
			return
		}
		builtPath = filepath.Join(dir, "syncline")
		out, err := exec.Command("go", "build", "-o", builtPath, ".").CombinedOutput()
		if err != nil {
			builtErr = fmt.Errorf("go build: %v\n%s", err, out)
		}
	})
	if builtErr != nil {
		t.Fatal(builtErr)
	}
	return builtPath
}

// runBuilt runs the built binary in dir and returns its exit code and
// combined output.
func runBuilt(t *testing.T, bin, dir string, args ...string) (int, string) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, bin, args...)
	cmd.Dir = dir
	cmd.Env = append(os.Environ(), "NO_COLOR=1")
	out, err := cmd.CombinedOutput()
	if exit, ok := err.(*exec.ExitError); ok {
		return exit.ExitCode(), string(out)
	} else if err != nil {
		t.Fatalf("%s %v: %v\n%s", bin, args, err, out)
	}
	return 0, string(out)
}

// TestUpQuickstart is the README's quickstart command, run through the
// built binary on a copy of examples/quickstart: it creates the users and
// the application's accounts, and running it again changes nothing.
func TestUpQuickstart(t *testing.T) {
	t.Parallel()
	bin := builtSyncline(t)
	dir := copyQuickstart(t)
	parent := filepath.Dir(dir)
	name := filepath.Base(dir)

	code, out := runBuilt(t, bin, parent, "up", name)
	if code != 0 {
		t.Fatalf("syncline up: exit %d\n%s", code, out)
	}
	checkContains(t, "first up", out,
		"+   task.hr-import",
		"Running 3 tasks in this order: task.hr-export-check, task.hr-import, task.app-reconcile",
		"definitions:  7 added, 0 changed, 0 removed (state serial 1)",
		"users:        32 added",
		"accounts:     31 created",
		"task.app-reconcile    preview  succeeded",
		"would change nothing",
		"What a run did: syncline -chdir="+name+" runs show 2")

	st := openReadOnly(t, filepath.Join(dir, ".syncline", "state.db"))
	app := openReadOnly(t, filepath.Join(dir, "data", "app.db"))
	if n := count(t, st, "SELECT count(*) FROM users"); n != 32 {
		t.Errorf("users = %d, want 32 (one per HR row)", n)
	}
	if n := count(t, st, "SELECT count(*) FROM users WHERE status = 'disabled'"); n != 1 {
		t.Errorf("disabled users = %d, want 1 (the terminated employee)", n)
	}
	if n := count(t, app, "SELECT count(*) FROM accounts"); n != 31 {
		t.Errorf("application accounts = %d, want 31 (every active employee)", n)
	}
	var fullName, email string
	if err := app.QueryRow("SELECT full_name, email FROM accounts WHERE login = 'jiri.novacek'").Scan(&fullName, &email); err != nil {
		t.Fatalf("account jiri.novacek: %v", err)
	}
	if fullName != "Jiří Nováček" || email != "jiri.novacek@example.com" {
		t.Errorf("jiri.novacek = %q <%s>, want Jiří Nováček <jiri.novacek@example.com>", fullName, email)
	}
	if n := count(t, app, "SELECT count(*) FROM accounts WHERE login = 'ava.anderson'"); n != 0 {
		t.Error("the terminated employee ava.anderson has an application account")
	}

	users, accounts := dumpRows(t, st, "SELECT name, status, attributes FROM users ORDER BY name"),
		dumpRows(t, app, "SELECT login, full_name, email FROM accounts ORDER BY login")
	code, out = runBuilt(t, bin, parent, "up", name)
	if code != 0 {
		t.Fatalf("second syncline up: exit %d\n%s", code, out)
	}
	checkContains(t, "second up", out,
		"No changes: the state (serial 1) already matches the configuration.",
		"definitions:  no changes (state serial 1)",
		"users:        no changes",
		"accounts:     no changes",
		"task.hr-import        full     succeeded")
	if strings.Count(out, "changed nothing") != 1 || strings.Count(out, "would change nothing") != 1 {
		t.Errorf("second up: want the import to change nothing and the preview to find nothing:\n%s", out)
	}
	if got := dumpRows(t, st, "SELECT name, status, attributes FROM users ORDER BY name"); got != users {
		t.Errorf("the second up changed users:\nbefore %s\nafter  %s", users, got)
	}
	if got := dumpRows(t, app, "SELECT login, full_name, email FROM accounts ORDER BY login"); got != accounts {
		t.Errorf("the second up changed application accounts:\nbefore %s\nafter  %s", accounts, got)
	}
}

// dumpRows renders every row a query returns, for comparing before and
// after.
func dumpRows(t *testing.T, db *sql.DB, query string) string {
	t.Helper()
	rows, err := db.Query(query)
	if err != nil {
		t.Fatalf("%s: %v", query, err)
	}
	defer rows.Close()
	cols, _ := rows.Columns()
	var b strings.Builder
	for rows.Next() {
		vals := make([]sql.NullString, len(cols))
		ptrs := make([]any, len(cols))
		for i := range vals {
			ptrs[i] = &vals[i]
		}
		if err := rows.Scan(ptrs...); err != nil {
			t.Fatal(err)
		}
		fmt.Fprintln(&b, vals)
	}
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
	return b.String()
}

// upTasksConfig has four exec tasks: a fails, b runs after a, c succeeds,
// d is disabled.
const upTasksConfig = `
task "a" {
  activity "exec" {
    command = "sh"
    args    = ["-c", "echo a ran >> ran.log; exit 3"]
  }
}

task "b" {
  after = [task.a]
  activity "exec" {
    command = "sh"
    args    = ["-c", "echo b ran >> ran.log"]
  }
}

task "c" {
  activity "exec" {
    command = "sh"
    args    = ["-c", "echo c ran >> ran.log"]
  }
}

task "d" {
  enabled = false
  activity "exec" {
    command = "sh"
    args    = ["-c", "echo d ran >> ran.log"]
  }
}
`

// TestUpSkipsAfterFailure runs tasks in dependency order: a task whose
// after task failed is skipped, a disabled task never runs, and a failed
// run makes up exit 1.
func TestUpSkipsAfterFailure(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	writeFiles(t, dir, map[string]string{"tasks.hcl": upTasksConfig})
	res := runCLI(t, "", "-no-color", "up", dir)
	if res.code != 1 {
		t.Fatalf("exit %d, want 1 (task a fails)\n%s%s", res.code, res.stdout, res.stderr)
	}
	checkContains(t, "output", res.stdout,
		"Running 3 tasks in this order: task.a, task.b, task.c",
		"task.b skipped: task.a did not succeed, and this task runs after it.",
		"task.a  full  failed",
		"task.c  full  succeeded")
	if got := readFile(t, filepath.Join(dir, "ran.log")); got != "a ran\nc ran\n" {
		t.Errorf("ran.log = %q, want a and c only", got)
	}
}

// TestUpBadInput: what up cannot work with is refused with a clear error,
// and a configuration that does not load creates no state.
func TestUpBadInput(t *testing.T) {
	t.Parallel()
	file := filepath.Join(t.TempDir(), "file.hcl")
	writeFiles(t, filepath.Dir(file), map[string]string{"file.hcl": "task \"x\" {}\n"})
	broken := t.TempDir()
	writeFiles(t, broken, map[string]string{"tasks.hcl": "task \"a\" {\n  activity \"exec\" {\n    comand = \"true\"\n  }\n}\n"})
	unknown := t.TempDir()
	writeFiles(t, unknown, map[string]string{"tasks.hcl": "task \"a\" {\n  after = [task.nope]\n  activity \"exec\" { command = \"true\" }\n}\n"})

	tests := []struct {
		name string
		args []string
		want string
		dir  string // must hold no state afterwards
	}{
		{"missing directory", []string{"up", filepath.Join(broken, "nope")}, "is not one", ""},
		{"a file, not a directory", []string{"up", file}, "up needs a configuration directory", ""},
		{"two directories", []string{"up", broken, unknown}, "too many arguments", ""},
		{"unknown flag", []string{"up", "-wacth", broken}, "-wacth", ""},
		{"misspelled attribute", []string{"up", broken}, `Did you mean "command"?`, broken},
		{"unknown after task", []string{"up", unknown}, "task.nope", unknown},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			res := runCLI(t, "", append([]string{"-no-color"}, tt.args...)...)
			if res.code == 0 {
				t.Fatalf("exit 0, want an error\n%s", res.stdout)
			}
			checkContains(t, "stderr", res.stderr, tt.want)
			if tt.dir != "" {
				if _, err := os.Stat(filepath.Join(tt.dir, ".syncline")); !os.IsNotExist(err) {
					t.Errorf("a configuration that does not load left state behind: %v", err)
				}
			}
		})
	}
}

// TestUpWatch runs syncline up -watch as a real process: a changed HR row
// re-runs the import (and the reconciliation after it), a changed schedule
// is applied and runs nothing, and Ctrl-C ends it with exit 0.
func TestUpWatch(t *testing.T) {
	t.Parallel()
	dir := copyQuickstart(t)
	c := startWatcher(t, "up", "-watch", dir)
	waitOutput(t, c, "Watching", 1)

	hr := filepath.Join(dir, "data", "hr.csv")
	data := readFile(t, hr)
	writeFiles(t, dir, map[string]string{"data/hr.csv": strings.Replace(data, "jiri.novacek@hr.example.com,active", "jiri.novacek@hr.example.com,terminated", 1)})
	waitOutput(t, c, "What a run did", 2)
	round := lastRound(c)
	checkContains(t, "round after the HR change", round,
		"Running 2 tasks in this order: task.hr-import, task.app-reconcile",
		"users:        1 disabled",
		"accounts:     1 deleted")

	sched := readFile(t, filepath.Join(dir, "schedules.hcl"))
	writeFiles(t, dir, map[string]string{"schedules.hcl": strings.Replace(sched, `"0 2 * * *"`, `"0 3 * * *"`, 1)})
	// The summary, with the serial, is the round's last output; "No task
	// depends" comes before it.
	waitOutput(t, c, "(state serial 2)", 1)
	checkContains(t, "round after the schedule change", lastRound(c), "~   schedule.nightly", "No task depends on what changed")

	if err := c.cmd.Process.Signal(syscall.SIGINT); err != nil {
		t.Fatal(err)
	}
	select {
	case err := <-c.done:
		if err != nil {
			t.Fatalf("after Ctrl-C: %v\n%s", err, c.out)
		}
	case <-time.After(30 * time.Second):
		t.Fatalf("still running 30s after Ctrl-C\n%s", c.out)
	}
	if rounds := strings.Count(c.out.String(), "────"); rounds != 4 {
		t.Errorf("%d round separators, want 2 rounds (4 rules): a run's own writes must not start a round\n%s", rounds, c.out)
	}
}

// waitOutput waits until the child's output holds want at least n times.
func waitOutput(t *testing.T, c *watcher, want string, n int) {
	t.Helper()
	deadline := time.Now().Add(60 * time.Second)
	for strings.Count(c.out.String(), want) < n {
		select {
		case err := <-c.done:
			t.Fatalf("syncline ended early (%v):\n%s", err, c.out)
		case <-time.After(20 * time.Millisecond):
		}
		if time.Now().After(deadline) {
			t.Fatalf("waited 60s for %d× %q in the output:\n%s", n, want, c.out)
		}
	}
}

// lastRound is the output since the last round separator.
func lastRound(c *watcher) string {
	out := c.out.String()
	parts := strings.Split(out, "────")
	return parts[len(parts)-1]
}

// watcher is syncline up -watch as a real process.
type watcher struct {
	cmd  *exec.Cmd
	out  *syncBuffer
	done chan error
}

func startWatcher(t *testing.T, args ...string) *watcher {
	t.Helper()
	cmd := exec.Command(os.Args[0], args...)
	cmd.Env = append(os.Environ(), runAsSyncline+"=1", "NO_COLOR=1")
	w := &watcher{cmd: cmd, out: &syncBuffer{}, done: make(chan error, 1)}
	cmd.Stdout, cmd.Stderr = w.out, w.out
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	go func() { w.done <- cmd.Wait() }()
	t.Cleanup(func() { _ = cmd.Process.Kill() })
	return w
}
