package main

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/syncline/syncline/state"
	"github.com/syncline/syncline/state/statetest"
)

// fullNodesEnv, set to 1, runs TestServeNodesShareAPostgresState at
// issue 20's size: 200 tasks firing every second for 20 seconds (about
// 4,000 runs; see docs/scaling.md for what it measured). Without it the
// test runs 20 tasks until each has run four times.
const fullNodesEnv = "SYNCLINE_TEST_NODES_FULL"

// TestServeNodesShareAPostgresState: three serve processes on one
// PostgreSQL state run tasks that fire every second. Every fire produces
// one run, every run is executed once (each execution appends a line to
// its task's file: the lines equal the succeeded runs), and the nodes
// share the work.
func TestServeNodesShareAPostgresState(t *testing.T) {
	t.Parallel()
	if testing.Short() {
		t.Skip("runs three serve processes for several seconds")
	}
	tasks, fires, lasts := 20, 4, time.Duration(0)
	var flags []string
	if os.Getenv(fullNodesEnv) == "1" {
		tasks, fires, lasts = 200, 0, 20*time.Second
		if w := os.Getenv("SYNCLINE_TEST_NODES_WORKERS"); w != "" {
			flags = []string{"-workers", w}
		}
	}
	location := statetest.Location(t)
	dir := t.TempDir()
	var cfg strings.Builder
	cfg.WriteString("schedule \"tick\" {\n  every = \"1s\"\n}\n")
	for i := range tasks {
		fmt.Fprintf(&cfg, "task \"t%03d\" {\n  schedule = schedule.tick\n  activity \"exec\" {\n    command = \"sh\"\n    args    = [\"-c\", \"echo ran >> ran-t%03d.log\"]\n  }\n}\n", i, i)
	}
	writeFiles(t, dir, map[string]string{"main.hcl": cfg.String()})
	if res := runCLI(t, "", "apply", "-auto-approve", "-state", location, dir); res.code != 0 {
		t.Fatalf("apply: exit %d\n%s%s", res.code, res.stdout, res.stderr)
	}

	nodes := startNodes(t, dir, location, 3, flags...)
	st := readState(t, location)
	ctx := context.Background()
	succeeded := func() int {
		t.Helper()
		runs, err := st.RunList(ctx, state.RunFilter{State: []state.RunState{state.RunSucceeded}})
		if err != nil {
			t.Fatal(err)
		}
		return len(runs)
	}
	began := time.Now()
	if lasts > 0 {
		<-time.After(lasts) // the scenario's length, not a wait for something
	} else {
		pollUntil(t, 2*time.Minute, fmt.Sprintf("%d runs succeeded", tasks*fires), func() bool { return succeeded() >= tasks*fires })
	}
	for _, n := range nodes {
		n.stop(t)
	}
	ran := time.Since(began)

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
			workers[nodeOf(r.ClaimedBy)]++
		} else if r.State != state.RunQueued && r.State != state.RunSkipped {
			t.Errorf("run %d of %s ended %s: %s", r.ID, r.Task, r.State, r.Error)
		}
	}
	for f, n := range perFire {
		if n > 1 {
			t.Errorf("the fire of task.%s at %s produced %d runs", f.task, f.at.Format(time.RFC3339Nano), n)
		}
	}
	for i := range tasks {
		task := fmt.Sprintf("t%03d", i)
		if lines := countLines(t, filepath.Join(dir, "ran-"+task+".log")); lines != perTask[task] {
			t.Errorf("task.%s was executed %d times for %d succeeded runs", task, lines, perTask[task])
		}
	}
	total := 0
	for _, n := range workers {
		total += n
	}
	t.Logf("%d tasks for %s: %d runs, %d fires, %d succeeded (%.1f/s); by node (host:pid): %v",
		tasks, ran.Round(time.Millisecond), len(all), len(perFire), total, float64(total)/ran.Seconds(), workers)
	if len(workers) < 2 {
		t.Errorf("one node ran every run: %v", workers)
	}
}

// TestServeNodeKilledMidRunIsRecovered: three serve processes on one
// PostgreSQL state; the node running a long run is killed (SIGKILL).
// Another node marks the run interrupted and queues its recovery run,
// which a surviving node executes to success, once: the killed node's
// command (left running as an orphan) is ended before it starts.
func TestServeNodeKilledMidRunIsRecovered(t *testing.T) {
	t.Parallel()
	if testing.Short() {
		t.Skip("runs three serve processes")
	}
	location := statetest.Location(t)
	dir := t.TempDir()
	// The command notes each start, then waits for the test's release
	// file before noting that it ran to the end.
	const script = `echo start >> started.log; while [ ! -e release ]; do sleep 0.05; done; echo ran >> ran.log`
	writeFiles(t, dir, map[string]string{"main.hcl": "task \"slow\" {\n  activity \"exec\" {\n    command = \"sh\"\n    args    = [\"-c\", " + strconv.Quote(script) + "]\n  }\n}\n"})
	if res := runCLI(t, "", "apply", "-auto-approve", "-state", location, dir); res.code != 0 {
		t.Fatalf("apply: exit %d\n%s%s", res.code, res.stdout, res.stderr)
	}
	nodes := startNodes(t, dir, location, 3)
	st := readState(t, location)
	ctx := context.Background()
	if res := runCLI(t, "", "run", "-detach", "-state", location, "slow", dir); res.code != 0 {
		t.Fatalf("run -detach: exit %d\n%s%s", res.code, res.stdout, res.stderr)
	}
	runs := func() []state.Run {
		t.Helper()
		rs, err := st.RunList(ctx, state.RunFilter{Task: "slow"})
		if err != nil {
			t.Fatal(err)
		}
		return rs // newest first
	}
	started := filepath.Join(dir, "started.log")
	pollUntil(t, time.Minute, "the run to start its command", func() bool { return countLines(t, started) == 1 })
	first := runs()[0]
	victim := nodeHolding(t, nodes, first.ClaimedBy)
	if err := victim.cmd.Process.Kill(); err != nil {
		t.Fatal(err)
	}
	_ = victim.cmd.Wait()
	victim.killed = true

	pollUntil(t, time.Minute, "the recovery run to start its command", func() bool { return countLines(t, started) == 2 })
	writeFiles(t, dir, map[string]string{"release": ""})
	pollUntil(t, time.Minute, "the recovery run to succeed", func() bool { return runs()[0].State == state.RunSucceeded })
	for _, n := range nodes {
		n.stop(t)
	}

	got := runs()
	if len(got) != 2 {
		t.Fatalf("task.slow has %d runs, want the killed one and its recovery: %+v", len(got), got)
	}
	interrupted, recovery := got[1], got[0]
	if interrupted.ID != first.ID || interrupted.State != state.RunInterrupted || !strings.Contains(interrupted.Error, first.ClaimedBy) {
		t.Errorf("the killed node's run is %s: %s", interrupted.State, interrupted.Error)
	}
	if recovery.Trigger != state.TriggerRecovery || recovery.RetryOf != first.ID {
		t.Errorf("the second run is %s of run %d, want a recovery of run %d", recovery.Trigger, recovery.RetryOf, first.ID)
	}
	if nodeOf(recovery.ClaimedBy) == nodeOf(first.ClaimedBy) {
		t.Errorf("the recovery run was claimed by the killed node %s", recovery.ClaimedBy)
	}
	if n := countLines(t, filepath.Join(dir, "ran.log")); n != 1 {
		t.Errorf("the command ran to its end %d times, want once", n)
	}
}

type nodeProcess struct {
	cmd    *exec.Cmd
	out    *bytes.Buffer
	killed bool // by the test, with SIGKILL
}

// startNodes starts n serve processes on location, each with flags
// added to its command line.
func startNodes(t *testing.T, dir, location string, n int, flags ...string) []*nodeProcess {
	t.Helper()
	var nodes []*nodeProcess
	for range n {
		args := append([]string{"serve", "-poll", "200ms", "-state", location}, flags...)
		cmd := exec.Command(os.Args[0], append(args, dir)...)
		cmd.Env = append(os.Environ(), runAsSyncline+"=1")
		var out bytes.Buffer
		cmd.Stdout, cmd.Stderr = &out, &out
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { _ = cmd.Process.Kill(); _ = cmd.Wait() })
		nodes = append(nodes, &nodeProcess{cmd: cmd, out: &out})
	}
	return nodes
}

// stop ends a node that was not killed with SIGTERM and checks that it
// exits cleanly.
func (n *nodeProcess) stop(t *testing.T) {
	t.Helper()
	if n.killed {
		return
	}
	if err := n.cmd.Process.Signal(syscall.SIGTERM); err != nil {
		t.Fatal(err)
	}
	if err := n.cmd.Wait(); err != nil {
		t.Errorf("node %d after SIGTERM: %v\n%s", n.cmd.Process.Pid, err, n.out)
	}
	n.killed = true
}

// nodeHolding is the node whose workers include worker ("host:pid:n").
func nodeHolding(t *testing.T, nodes []*nodeProcess, worker string) *nodeProcess {
	t.Helper()
	for _, n := range nodes {
		if strings.HasSuffix(nodeOf(worker), ":"+strconv.Itoa(n.cmd.Process.Pid)) {
			return n
		}
	}
	t.Fatalf("no node runs worker %s", worker)
	return nil
}

// nodeOf is the process part of a worker ID: "host:pid".
func nodeOf(worker string) string {
	host, rest, _ := strings.Cut(worker, ":")
	pid, _, _ := strings.Cut(rest, ":")
	return host + ":" + pid
}

// readState opens the state at location for the test to read.
func readState(t *testing.T, location string) *state.Store {
	t.Helper()
	st, err := state.Open(context.Background(), location, state.Options{ReadOnly: true})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	return st
}

// countLines is how many lines the file at path has; 0 when it does not
// exist yet.
func countLines(t *testing.T, path string) int {
	t.Helper()
	data, err := os.ReadFile(path)
	if errors.Is(err, fs.ErrNotExist) {
		return 0
	}
	if err != nil {
		t.Fatal(err)
	}
	return strings.Count(string(data), "\n")
}
