package main

import (
	"bytes"
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"syscall"
	"testing"
	"time"

	"github.com/syncline/syncline/state"
)

const killConfig = `task "tick" {
  schedule {
    every = "2s"
  }
  activity "exec" {
    command = "sh"
    args    = ["-c", "echo start >> ticks.log; sleep 2; echo done >> ticks.log"]
  }
}
`

// startServe starts a real "syncline serve" process on dir.
func startServe(t *testing.T, dir string) (*exec.Cmd, *bytes.Buffer) {
	t.Helper()
	cmd := exec.Command(os.Args[0], "serve", "-poll", "200ms", "-grace", "10s", dir)
	cmd.Env = append(os.Environ(), runAsSyncline+"=1")
	var out bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &out
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = cmd.Process.Kill(); _ = cmd.Wait() })
	return cmd, &out
}

// waitForRun polls the store until pick finds a run, or fails after timeout.
func waitForRun(t *testing.T, st *state.Store, timeout time.Duration, what string, pick func([]state.Run) *state.Run) *state.Run {
	t.Helper()
	deadline := time.Now().Add(timeout)
	for time.Now().Before(deadline) {
		runs, err := st.RunList(context.Background(), state.RunFilter{Task: "tick"})
		if err != nil {
			t.Fatal(err)
		}
		if r := pick(runs); r != nil {
			return r
		}
		time.Sleep(100 * time.Millisecond)
	}
	t.Fatalf("timed out after %s waiting for %s", timeout, what)
	return nil
}

// TestServeSurvivesSIGKILL kills a real serve process in the middle of a
// run, restarts it, and checks that the run is marked interrupted, re-run to
// completion, and that no fire time produced two runs.
func TestServeSurvivesSIGKILL(t *testing.T) {
	if testing.Short() {
		t.Skip("starts real serve processes")
	}
	t.Parallel()
	dir := t.TempDir()
	writeFiles(t, dir, map[string]string{"main.hcl": killConfig})
	if res := runCLI(t, "", "apply", "-auto-approve", dir); res.code != 0 {
		t.Fatalf("apply: %s%s", res.stdout, res.stderr)
	}
	st, err := state.Open(context.Background(), filepath.Join(dir, ".syncline", "state.db"), state.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()

	first, out := startServe(t, dir)
	victim := waitForRun(t, st, 20*time.Second, "a running run", func(runs []state.Run) *state.Run {
		for i := range runs {
			if runs[i].State == state.RunRunning {
				return &runs[i]
			}
		}
		return nil
	})
	if err := first.Process.Signal(syscall.SIGKILL); err != nil {
		t.Fatal(err)
	}
	_ = first.Wait()

	second, out2 := startServe(t, dir)
	waitForRun(t, st, 30*time.Second, "the interrupted run re-run to completion", func(runs []state.Run) *state.Run {
		for i := range runs {
			if runs[i].RetryOf == victim.ID && runs[i].State == state.RunSucceeded {
				return &runs[i]
			}
		}
		return nil
	})
	if r, _ := st.RunGet(context.Background(), victim.ID); r.State != state.RunInterrupted {
		t.Errorf("killed run %d is %s, want interrupted", victim.ID, r.State)
	}
	if err := second.Process.Signal(syscall.SIGTERM); err != nil {
		t.Fatal(err)
	}
	if err := second.Wait(); err != nil {
		t.Errorf("serve after SIGTERM: %v\n%s", err, out2)
	}
	checkNoDuplicateFires(t, st)
	_ = out
}

// checkNoDuplicateFires fails when two scheduled runs share a fire time.
func checkNoDuplicateFires(t *testing.T, st *state.Store) {
	t.Helper()
	runs, err := st.RunList(context.Background(), state.RunFilter{Task: "tick"})
	if err != nil {
		t.Fatal(err)
	}
	seen := map[time.Time]int64{}
	for _, r := range runs {
		if r.Trigger != state.TriggerSchedule {
			continue
		}
		if prev, dup := seen[r.ScheduledAt]; dup {
			t.Errorf("runs %d and %d were both fired for %s", prev, r.ID, r.ScheduledAt)
		}
		seen[r.ScheduledAt] = r.ID
	}
	if len(seen) < 2 {
		t.Errorf("only %d scheduled runs; the every schedule did not keep firing", len(seen))
	}
}
