package main

import (
	"bytes"
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/syncline/syncline/state"
	"github.com/syncline/syncline/state/statetest"
)

// TestQuickstartOnPostgresState runs the README's quickstart with a
// PostgreSQL state of its own (a fresh schema): plan -out and apply of the
// saved plan, run, up, show, runs, then serve running a queued run. The URL carries a password
// parameter (the test server trusts its clients, so it is never asked
// for) that no output may show, and no state file appears.
func TestQuickstartOnPostgresState(t *testing.T) {
	t.Parallel()
	dir := copyQuickstart(t)
	location := statetest.Location(t) + "&password=S3cr3t-pw"
	cli := func(args ...string) string {
		t.Helper()
		res := runCLI(t, "", append([]string{"-no-color"}, args...)...)
		if res.code != 0 {
			t.Fatalf("%s: exit %d\n%s%s", args[0], res.code, res.stdout, res.stderr)
		}
		if strings.Contains(res.stdout+res.stderr, "S3cr3t-pw") {
			t.Errorf("%s shows the password:\n%s%s", args[0], res.stdout, res.stderr)
		}
		return res.stdout
	}
	planFile := filepath.Join(t.TempDir(), "quickstart.plan")
	checkContains(t, "plan", cli("plan", "-out", planFile, "-state", location, dir), "Plan: 7 to add")
	if saved := readFile(t, planFile); strings.Contains(saved, "S3cr3t-pw") || !strings.Contains(saved, "search_path=") {
		t.Errorf("the saved plan records the state as:\n%s", saved)
	}
	// The plan file names the state without its password: the test
	// server trusts its clients, so apply connects without one.
	checkContains(t, "apply", cli("apply", planFile), "Apply complete! 7 added")
	checkContains(t, "run", cli("run", "-state", location, "hr-import", dir), "Run 1 succeeded", "32 ok")
	checkContains(t, "up", cli("up", "-state", location, dir), "definitions:  no changes (state serial 1)")
	checkContains(t, "plan with impact", cli("plan", "-state", location, dir), "Identity impact (evaluated over 32 users", "No user or resource object would change")
	checkContains(t, "show", cli("show", "-state", location, dir), "State:   postgres://", "password=xxxxx", "Serial:  1")
	checkContains(t, "runs", cli("runs", "-state", location, dir), "hr-import", "succeeded")
	if _, err := os.Stat(filepath.Join(dir, ".syncline", "state.db")); err == nil {
		t.Error("a PostgreSQL state left a state file")
	}

	cli("run", "-detach", "-state", location, "hr-export-check", dir)
	serve, out := startServeOn(t, dir, location)
	st, err := state.Open(context.Background(), location, state.Options{ReadOnly: true})
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	deadline := time.Now().Add(30 * time.Second)
	for {
		runs, err := st.RunList(context.Background(), state.RunFilter{Task: "hr-export-check"})
		if err != nil {
			t.Fatal(err)
		}
		if len(runs) > 0 && runs[0].State == state.RunSucceeded {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("serve did not run the queued run: %+v", runs)
		}
		time.Sleep(100 * time.Millisecond)
	}
	_ = serve.Process.Kill()
	_ = serve.Wait()
	checkContains(t, "serve", out.String(), "postgres://")
	if strings.Contains(out.String(), "S3cr3t-pw") {
		t.Errorf("serve shows the password:\n%s", out)
	}
}

// startServeOn starts a real "syncline serve" on dir with the state at
// location; it is killed when t ends. Read its output only once it ended.
func startServeOn(t *testing.T, dir, location string) (*exec.Cmd, *bytes.Buffer) {
	t.Helper()
	cmd := exec.Command(os.Args[0], "serve", "-poll", "200ms", "-state", location, dir)
	cmd.Env = append(os.Environ(), runAsSyncline+"=1")
	var out bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &out
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = cmd.Process.Kill(); _ = cmd.Wait() })
	return cmd, &out
}

// TestStateMigrateBothWays moves the quickstart's state from its file to
// PostgreSQL and back to a new file, and is refused a target that holds
// a state.
func TestStateMigrateBothWays(t *testing.T) {
	t.Parallel()
	dir := copyQuickstart(t)
	pg := statetest.Location(t)
	if res := runCLI(t, "", "up", dir); res.code != 0 {
		t.Fatalf("up: exit %d\n%s%s", res.code, res.stdout, res.stderr)
	}
	show := func(location string) string {
		t.Helper()
		res := runCLI(t, "", "-no-color", "show", "-state", location, dir)
		if res.code != 0 {
			t.Fatalf("show: exit %d\n%s%s", res.code, res.stdout, res.stderr)
		}
		_, rest, _ := strings.Cut(res.stdout, "Lineage:")
		return rest // from the lineage on: the same in every copy
	}
	want := show(filepath.Join(dir, ".syncline", "state.db"))

	res := runCLI(t, "", "state", "migrate", "-to", pg, dir)
	if res.code != 0 {
		t.Fatalf("migrate to PostgreSQL: exit %d\n%s%s", res.code, res.stdout, res.stderr)
	}
	checkContains(t, "migrate", res.stdout, "runs ", "users ", "checked against the old")
	if got := show(pg); got != want {
		t.Errorf("on PostgreSQL:\n%s\nwant:\n%s", got, want)
	}
	back := filepath.Join(t.TempDir(), "back.db")
	if res := runCLI(t, "", "state", "migrate", "-state", pg, "-to", back, dir); res.code != 0 {
		t.Fatalf("migrate back: exit %d\n%s%s", res.code, res.stdout, res.stderr)
	}
	if got := show(back); got != want {
		t.Errorf("back in a file:\n%s\nwant:\n%s", got, want)
	}
	res = runCLI(t, "", "state", "migrate", "-to", pg, dir)
	if res.code != 1 || !strings.Contains(res.stderr, "is not empty") {
		t.Errorf("migrate into a non-empty state: exit %d\n%s%s", res.code, res.stdout, res.stderr)
	}
}
