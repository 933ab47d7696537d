package main

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/syncline/syncline/state"
	"github.com/syncline/syncline/state/statetest"
)

// TestServeNodesShareAPostgresState: three serve processes on one
// PostgreSQL state run 20 tasks that fire every second. Every fire
// produces one run, every run is executed once (each execution appends
// a line to its task's file: the lines equal the succeeded runs), and the
// nodes share the work. Issue 20's full test (200 tasks for 20 s, a node
// killed mid-run) is not written yet; this is its first part.
func TestServeNodesShareAPostgresState(t *testing.T) {
	t.Parallel()
	if testing.Short() {
		t.Skip("runs three serve processes for several seconds")
	}
	const tasks, fires = 20, 4
	location := statetest.Location(t)
	dir := t.TempDir()
	var cfg strings.Builder
	cfg.WriteString("schedule \"tick\" {\n  every = \"1s\"\n}\n")
	for i := range tasks {
		fmt.Fprintf(&cfg, "task \"t%02d\" {\n  schedule = schedule.tick\n  activity \"exec\" {\n    command = \"sh\"\n    args    = [\"-c\", \"echo ran >> ran-t%02d.log\"]\n  }\n}\n", i, i)
	}
	writeFiles(t, dir, map[string]string{"main.hcl": cfg.String()})
	if res := runCLI(t, "", "apply", "-auto-approve", "-state", location, dir); res.code != 0 {
		t.Fatalf("apply: exit %d\n%s%s", res.code, res.stdout, res.stderr)
	}

	var nodes []*nodeProcess
	for range 3 {
		cmd, out := startServeOn(t, dir, location)
		nodes = append(nodes, &nodeProcess{cmd: cmd, out: out})
	}
	st, err := state.Open(context.Background(), location, state.Options{ReadOnly: true})
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	ctx := context.Background()
	succeeded := func() []state.Run {
		t.Helper()
		runs, err := st.RunList(ctx, state.RunFilter{State: []state.RunState{state.RunSucceeded}})
		if err != nil {
			t.Fatal(err)
		}
		return runs
	}
	deadline := time.Now().Add(2 * time.Minute)
	for len(succeeded()) < tasks*fires {
		if time.Now().After(deadline) {
			t.Fatalf("after 2 minutes, %d runs succeeded, want %d", len(succeeded()), tasks*fires)
		}
		time.Sleep(100 * time.Millisecond)
	}
	for _, n := range nodes {
		if err := n.cmd.Process.Signal(syscall.SIGTERM); err != nil {
			t.Fatal(err)
		}
	}
	for i, n := range nodes {
		if err := n.cmd.Wait(); err != nil {
			t.Errorf("node %d after SIGTERM: %v\n%s", i, err, n.out)
		}
	}

	all, err := st.RunList(ctx, state.RunFilter{})
	if err != nil {
		t.Fatal(err)
	}
	type fire struct {
		task string
		at   time.Time
	}
	perFire := map[fire]int{}
	perTask := map[string]int{}
	workers := map[string]int{}
	for _, r := range all {
		if r.Trigger == state.TriggerSchedule {
			perFire[fire{r.Task, r.ScheduledAt}]++
		}
		if r.State == state.RunSucceeded {
			perTask[r.Task]++
			host, rest, _ := strings.Cut(r.ClaimedBy, ":")
			pid, _, _ := strings.Cut(rest, ":")
			workers[host+":"+pid]++ // by process: host:pid
		} else if r.State != state.RunQueued {
			t.Errorf("run %d of %s ended %s: %s", r.ID, r.Task, r.State, r.Error)
		}
	}
	for f, n := range perFire {
		if n > 1 {
			t.Errorf("the fire of task.%s at %s produced %d runs", f.task, f.at.Format(time.RFC3339Nano), n)
		}
	}
	for i := range tasks {
		task := fmt.Sprintf("t%02d", i)
		data, err := os.ReadFile(filepath.Join(dir, "ran-"+task+".log"))
		if err != nil {
			t.Fatal(err)
		}
		if lines := strings.Count(string(data), "\n"); lines != perTask[task] {
			t.Errorf("task.%s was executed %d times for %d succeeded runs", task, lines, perTask[task])
		}
	}
	t.Logf("%d runs, %d fires; succeeded runs by node (host:pid): %v", len(all), len(perFire), workers)
	if len(workers) < 2 {
		t.Errorf("one node ran every run: %v", workers)
	}
}

type nodeProcess struct {
	cmd *exec.Cmd
	out *bytes.Buffer
}
