package main

import (
	"bufio"
	"context"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/syncline/syncline/state"
)

// orphanConfig runs one command that writes its own start and end times
// around a sleep, under concurrency = "forbid": the first run sleeps a
// minute — far longer than serve takes to come back, so the recovery run
// always finds the sleep it left behind and must kill it — and later runs
// a second.
const orphanConfig = `task "tick" {
  concurrency = "forbid"
  activity "exec" {
    command = "sh"
    args    = ["-c", "if [ -e first.done ]; then d=1; else : > first.done; d=60; fi; echo start $$ $(date +%s%N) >> times.log; sleep $d; echo end $$ $(date +%s%N) >> times.log"]
  }
}
`

// TestServeKilledLeavesNoCommandRunning kills a real serve process while
// its exec command sleeps (a minute: the sleep outlives serve's restart), starts serve again, and checks from the
// command's own timestamps that no two runs of the forbid task overlap:
// the command died with serve, and the recovery run killed what was left
// of its process group before it started.
func TestServeKilledLeavesNoCommandRunning(t *testing.T) {
	if testing.Short() {
		t.Skip("starts real serve processes")
	}
	t.Parallel()
	dir := t.TempDir()
	writeFiles(t, dir, map[string]string{"main.hcl": orphanConfig})
	if res := runCLI(t, "", "apply", "-auto-approve", dir); res.code != 0 {
		t.Fatalf("apply: %s%s", res.stdout, res.stderr)
	}
	if res := runCLI(t, "", "run", "-detach", "tick", dir); res.code != 0 {
		t.Fatalf("run -detach: %s%s", res.stdout, res.stderr)
	}
	st, err := state.Open(context.Background(), filepath.Join(dir, ".syncline", "state.db"), state.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	log := filepath.Join(dir, "times.log")

	first, _ := startServe(t, dir)
	waitForFile(t, log, 20*time.Second, func(s string) bool { return strings.Contains(s, "start ") })
	// The command may write its start before serve has stored its process
	// group with the run: kill serve only once the group is on record.
	waitForRun(t, st, 20*time.Second, "the process group in the run's checkpoint", func(runs []state.Run) *state.Run {
		for i := range runs {
			if runs[i].State == state.RunRunning && strings.Contains(string(runs[i].Checkpoint), `"process"`) {
				return &runs[i]
			}
		}
		return nil
	})
	if err := first.Process.Signal(syscall.SIGKILL); err != nil {
		t.Fatal(err)
	}
	_ = first.Wait()

	startServe(t, dir)
	recovery := waitForRun(t, st, 30*time.Second, "the recovery run's success", func(runs []state.Run) *state.Run {
		for i := range runs {
			if runs[i].Trigger == state.TriggerRecovery && runs[i].State == state.RunSucceeded {
				return &runs[i]
			}
		}
		return nil
	})
	checkNoOverlap(t, readFile(t, log))
	if note := recovery.Activities[0].Output["orphan"]; !strings.HasPrefix(note, "killed process group ") {
		t.Errorf("the recovery run's orphan output is %q, want it to say it killed the sleep left behind", note)
	}
}

// waitForFile polls path until done accepts its contents.
func waitForFile(t *testing.T, path string, timeout time.Duration, done func(string) bool) {
	t.Helper()
	deadline := time.Now().Add(timeout)
	for time.Now().Before(deadline) {
		if b, err := os.ReadFile(path); err == nil && done(string(b)) {
			return
		}
		time.Sleep(50 * time.Millisecond)
	}
	t.Fatalf("timed out after %s waiting for %s", timeout, path)
}

// checkNoOverlap reads "start PID NANOS" and "end PID NANOS" lines and
// fails when one command started before an earlier one ended. A command
// with no end was killed: it must be the first.
func checkNoOverlap(t *testing.T, log string) {
	t.Helper()
	type interval struct{ start, end int64 }
	byPID := map[string]*interval{}
	sc := bufio.NewScanner(strings.NewReader(log))
	for sc.Scan() {
		f := strings.Fields(sc.Text())
		if len(f) != 3 {
			t.Fatalf("malformed line %q in\n%s", sc.Text(), log)
		}
		ns, err := strconv.ParseInt(f[2], 10, 64)
		if err != nil {
			t.Fatal(err)
		}
		if byPID[f[1]] == nil {
			byPID[f[1]] = &interval{}
		}
		if f[0] == "start" {
			byPID[f[1]].start = ns
		} else {
			byPID[f[1]].end = ns
		}
	}
	var all []interval
	for _, iv := range byPID {
		all = append(all, *iv)
	}
	sort.Slice(all, func(i, j int) bool { return all[i].start < all[j].start })
	if len(all) < 2 {
		t.Fatalf("want the killed command and the recovery's, got\n%s", log)
	}
	for i := 0; i+1 < len(all); i++ {
		cur, next := all[i], all[i+1]
		switch {
		case cur.end == 0 && i > 0:
			t.Errorf("a command other than the killed one never ended:\n%s", log)
		case cur.end > next.start:
			t.Errorf("commands overlap: one ran until %d, the next started at %d:\n%s", cur.end, next.start, log)
		}
	}
	if last := all[len(all)-1]; last.end == 0 {
		t.Errorf("the last command never ended:\n%s", log)
	}
}
