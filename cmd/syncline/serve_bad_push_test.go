package main

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/syncline/syncline/config"
	"github.com/syncline/syncline/internal/gittest"
)

// serveProcess is syncline serve -sync running in this process until stop.
type serveProcess struct {
	stdout, stderr syncBuffer
	cancel         context.CancelFunc
	done           chan int
}

func startServeInProcess(t *testing.T, args ...string) *serveProcess {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	p := &serveProcess{cancel: cancel, done: make(chan int, 1)}
	go func() {
		p.done <- run(ctx, append([]string{"syncline", "serve"}, args...), strings.NewReader(""), &p.stdout, &p.stderr)
	}()
	return p
}

// alive fails t when serve has ended.
func (p *serveProcess) alive(t *testing.T) {
	t.Helper()
	select {
	case code := <-p.done:
		t.Fatalf("serve ended (exit %d):\n%s\n%s", code, p.stdout.String(), p.stderr.String())
	default:
	}
}

func (p *serveProcess) stop(t *testing.T) {
	t.Helper()
	p.cancel()
	select {
	case <-p.done:
	case <-time.After(15 * time.Second):
		t.Error("serve did not stop")
	}
}

// TestServeSyncSurvivesABadPush: a pushed revision that does not load — a
// syntax error, a nesting bomb — is a failed sync, logged and kept in the
// state (syncline state history); serve keeps running the definitions
// applied before, a restart with the bad revision at the branch's tip
// stays up, and the next good push is applied.
func TestServeSyncSurvivesABadPush(t *testing.T) {
	if testing.Short() {
		t.Skip("runs serve for several seconds")
	}
	t.Parallel()
	out := filepath.Join(t.TempDir(), "ticks.log")
	r := gittest.New(t)
	r.Write(map[string]string{"main.hcl": followConfig(r.Dir, "1s", out, "1"), "marker.txt": "v1\n"})
	r.Commit("Good")
	dir := t.TempDir()
	writeFiles(t, dir, map[string]string{"main.hcl": strings.SplitAfter(followConfig(r.Dir, "1s", out, ""), "\n}\n")[0]})
	state := filepath.Join(t.TempDir(), "state.db")
	args := []string{"-sync", "-poll", "200ms", "-grace", "1s", "-state", state, dir}
	ticks := func() string { b, _ := os.ReadFile(out); return string(b) }
	ticksAgain := func(what, marker string) {
		t.Helper()
		if err := os.WriteFile(out, nil, 0o644); err != nil {
			t.Fatal(err)
		}
		waitUntil(t, 20*time.Second, what, func() bool { return strings.Contains(ticks(), marker) })
	}
	history := func() string { return runCLI(t, "", "state", "history", "-state", state).stdout }

	serve := startServeInProcess(t, args...)
	defer func() { serve.stop(t) }()
	waitUntil(t, 20*time.Second, "a run of the good revision", func() bool { return strings.Contains(ticks(), "v1") })

	bad := []struct{ name, hcl, says string }{
		{"syntax error", "task \"tick\" {\n  activity \"exec\" {\n", "Unclosed configuration block"},
		{"nesting bomb", "locals {\n  x = " + strings.Repeat("(", 100_000) + "1" + strings.Repeat(")", 100_000) + "\n}\n", "Nesting too deep"},
	}
	for _, b := range bad {
		r.Write(map[string]string{"main.hcl": b.hcl})
		commit := config.ShortCommit(r.Commit(b.name))
		waitUntil(t, 20*time.Second, "the failed sync of "+b.name, func() bool {
			serve.alive(t)
			return strings.Contains(serve.stderr.String(), "revision="+commit)
		})
		checkContains(t, "log", serve.stderr.String(), "sync failed; still running the definitions applied before", b.says)
		checkContains(t, "state history", history(), "Failed syncs", commit, b.says)
		ticksAgain("a run of the applied definitions after the "+b.name, "v1")
		serve.alive(t)
	}

	// A restart with the bomb at the tip stays up and keeps running.
	serve.stop(t)
	serve = startServeInProcess(t, args...)
	waitUntil(t, 20*time.Second, "the start-up sync to fail", func() bool {
		serve.alive(t)
		return strings.Contains(serve.stderr.String(), "sync failed")
	})
	ticksAgain("a run after the restart", "v1")
	if h := history(); !strings.Contains(h, "times since") {
		t.Errorf("the repeated failure is not counted:\n%s", h)
	}

	// The fix is applied.
	r.Write(map[string]string{"main.hcl": followConfig(r.Dir, "1s", out, "2"), "marker.txt": "v2\n"})
	r.Commit("Fixed")
	waitUntil(t, 20*time.Second, "a run of the fixed revision", func() bool { serve.alive(t); return strings.Contains(ticks(), "v2") })
}
