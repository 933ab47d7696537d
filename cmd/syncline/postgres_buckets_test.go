package main

import (
	"context"
	"fmt"
	"os"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/syncline/syncline/state"
	"github.com/syncline/syncline/state/statetest"
)

// bucketAccountsEnv sets how many accounts TestBucketedReconciliationOnNodes
// reconciles; issue 20 asks for 200,000, CI runs 20,000.
const bucketAccountsEnv = "SYNCLINE_BUCKET_ACCOUNTS"

// TestBucketedReconciliationOnNodes: three serve nodes on one PostgreSQL
// state share a reconciliation of N accounts split into 8 buckets. A node
// holding a bucket (not the one running the run) is SIGKILLed halfway;
// its bucket is claimed again once its lease runs out and redone. Every
// account ends as one user with one shadow, and the run counts every
// account once.
func TestBucketedReconciliationOnNodes(t *testing.T) {
	t.Parallel()
	if testing.Short() {
		t.Skip("runs three serve processes over a reconciliation of 20,000 accounts")
	}
	accounts := 20_000
	if v := os.Getenv(bucketAccountsEnv); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 100 {
			t.Fatalf("%s=%q: want a number of at least 100", bucketAccountsEnv, v)
		}
		accounts = n
	}
	location, dir := bucketScenario(t, accounts)
	var nodes []*nodeProcess
	for range 3 {
		cmd, out := startServeOn(t, dir, location)
		nodes = append(nodes, &nodeProcess{cmd: cmd, out: out})
	}
	if res := runCLI(t, "", "run", "-detach", "-state", location, "reconcile", dir); res.code != 0 {
		t.Fatalf("run -detach: exit %d\n%s%s", res.code, res.stdout, res.stderr)
	}
	st, err := state.Open(context.Background(), location, state.Options{ReadOnly: true})
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	ctx := context.Background()
	started := time.Now()

	run, victim, bucket := killAHelperHalfway(t, st, nodes)
	final := waitForRunEnd(t, st, run, 10*time.Minute)
	t.Logf("%d accounts in 8 buckets on 3 nodes, one killed: run %s in %s", accounts, final.State, time.Since(started).Round(time.Millisecond))
	if final.State != state.RunSucceeded {
		t.Fatalf("run %d %s: %s\n%+v", final.ID, final.State, final.Error, final.Activities)
	}
	objects := final.Activities[0].Stages[1]
	if objects.Total != int64(accounts) || objects.Success != int64(accounts) || objects.Failure != 0 {
		t.Errorf("resource_objects counted total %d, %d ok, %d failed; want every one of %d accounts once",
			objects.Total, objects.Success, objects.Failure, accounts)
	}
	users := map[string]int{}
	if err := st.UsersEach(ctx, func(u *state.User) error { users[u.Attributes["employee_number"]]++; return nil }); err != nil {
		t.Fatal(err)
	}
	if len(users) != accounts {
		t.Errorf("%d distinct users, want %d", len(users), accounts)
	}
	for id, n := range users {
		if n != 1 {
			t.Errorf("account %s has %d users", id, n)
		}
	}
	if n, err := st.ShadowCount(ctx, "hr", "account", "default"); err != nil || n != accounts {
		t.Errorf("%d shadows (%v), want %d", n, err, accounts)
	}
	bs, err := st.Buckets(ctx, run.ID, "reconciliation")
	if err != nil {
		t.Fatal(err)
	}
	claimers := map[string]bool{}
	for _, b := range bs {
		claimers[processOf(b.ClaimedBy)] = true
		if b.State != state.BucketDone {
			t.Errorf("bucket %d is %s", b.Index, b.State)
		}
	}
	if b := bs[bucket]; b.Attempts < 2 || processOf(b.ClaimedBy) == victim {
		t.Errorf("the killed node's bucket %d: %d attempts, finished by %s", bucket, b.Attempts, b.ClaimedBy)
	}
	if len(claimers) < 2 {
		t.Errorf("one process did every bucket: %v", claimers)
	}
	for i, n := range nodes {
		if n.cmd.ProcessState != nil {
			continue // the killed one
		}
		if err := n.cmd.Process.Signal(syscall.SIGTERM); err != nil {
			t.Fatal(err)
		}
		if err := n.cmd.Wait(); err != nil {
			t.Errorf("node %d after SIGTERM: %v\n%s", i, err, n.out)
		}
	}
}

// killAHelperHalfway waits until the reconciliation's run is running, a
// bucket is done and a node that is not running the run is seen claiming
// another, SIGKILLs that node, and returns the run, the killed process
// ("host:pid") and its bucket.
//
// The claim must be seen happening (the bucket open or another's at the
// poll before): the nodes claim their first buckets together and so
// finish them together, and a node killed as the first of them is done
// is often killed with its own bucket's finish already sent — committed
// after its death, so nothing is left to redo. A bucket claimed a moment
// ago has all its work ahead.
func killAHelperHalfway(t *testing.T, st *state.Store, nodes []*nodeProcess) (*state.Run, string, int) {
	t.Helper()
	ctx := context.Background()
	deadline := time.Now().Add(5 * time.Minute)
	seen := map[int]string{} // a bucket's claimer at the last poll ("" when unclaimed)
	for ; time.Now().Before(deadline); time.Sleep(20 * time.Millisecond) {
		runs, err := st.RunList(ctx, state.RunFilter{Task: "reconcile"})
		if err != nil || len(runs) != 1 || runs[0].State != state.RunRunning {
			continue
		}
		run := runs[0]
		bs, err := st.Buckets(ctx, run.ID, "reconciliation")
		if err != nil {
			t.Fatal(err)
		}
		done := 0
		for _, b := range bs {
			if b.State == state.BucketDone {
				done++
			}
		}
		before := seen
		seen = map[int]string{}
		for _, b := range bs {
			if b.State == state.BucketClaimed {
				seen[b.Index] = b.ClaimedBy
			} else {
				seen[b.Index] = ""
			}
		}
		for _, b := range bs {
			p := processOf(b.ClaimedBy)
			was, polled := before[b.Index]
			if done == 0 || b.State != state.BucketClaimed || p == processOf(run.ClaimedBy) || !polled || was == b.ClaimedBy {
				continue
			}
			for _, n := range nodes {
				if strings.HasSuffix(p, fmt.Sprintf(":%d", n.cmd.Process.Pid)) {
					if err := n.cmd.Process.Kill(); err != nil {
						t.Fatal(err)
					}
					_ = n.cmd.Wait()
					t.Logf("killed %s holding bucket %d with %d of %d done", p, b.Index, done, len(bs))
					return &run, p, b.Index
				}
			}
		}
	}
	t.Fatal("no node other than the run's was seen claiming a bucket while another was done")
	return nil, "", 0
}

// waitForRunEnd polls the store until run is finished.
func waitForRunEnd(t *testing.T, st *state.Store, run *state.Run, limit time.Duration) *state.Run {
	t.Helper()
	deadline := time.Now().Add(limit)
	for ; time.Now().Before(deadline); time.Sleep(50 * time.Millisecond) {
		r, err := st.RunGet(context.Background(), run.ID)
		if err != nil {
			t.Fatal(err)
		}
		if r.State != state.RunRunning && r.State != state.RunQueued {
			return r
		}
	}
	t.Fatalf("run %d did not finish in %s", run.ID, limit)
	return nil
}

// processOf is the "host:pid" of a worker or claimer ID.
func processOf(id string) string {
	host, rest, _ := strings.Cut(id, ":")
	pid, _, _ := strings.Cut(rest, ":")
	return host + ":" + pid
}

// bucketScenario applies, to a new PostgreSQL schema, a configuration
// that reconciles a CSV file of accounts in 8 buckets, and returns the
// state's location and the configuration directory.
func bucketScenario(t *testing.T, accounts int) (location, dir string) {
	t.Helper()
	location = statetest.Location(t)
	dir = t.TempDir()
	var csv strings.Builder
	csv.WriteString("id,login\n")
	for i := range accounts {
		fmt.Fprintf(&csv, "a%07d,user%07d\n", i, i)
	}
	writeFiles(t, dir, map[string]string{"accounts.csv": csv.String(), "main.hcl": `
resource "hr" {
  connector = "csv"
  connection {
    path       = "accounts.csv"
    identifier = "id"
  }
  object_type "account" {
    correlate {
      employee_number = attributes.id
    }
    inbound {
      name            = attributes.login
      employee_number = attributes.id
    }
    reactions {
      unmatched = "add_focus"
    }
  }
}

task "reconcile" {
  activity "reconciliation" {
    resource = resource.hr
    buckets  = 8
  }
}
`})
	if res := runCLI(t, "", "apply", "-auto-approve", "-state", location, dir); res.code != 0 {
		t.Fatalf("apply: exit %d\n%s%s", res.code, res.stdout, res.stderr)
	}
	return location, dir
}

// bucketScaleEnv, when set, makes TestBucketedReconciliationScaling
// measure; its value is the number of accounts.
const bucketScaleEnv = "SYNCLINE_BUCKET_SCALE"

// TestBucketedReconciliationScaling measures (it asserts no speed) a
// bucketed reconciliation of N accounts on one serve node and on two, in
// the same run, and logs each one's wall time and rate. See
// docs/performance.md.
func TestBucketedReconciliationScaling(t *testing.T) {
	v := os.Getenv(bucketScaleEnv)
	if v == "" {
		t.Skipf("a measurement: set %s=ACCOUNTS to run it", bucketScaleEnv)
	}
	accounts, err := strconv.Atoi(v)
	if err != nil || accounts < 100 {
		t.Fatalf("%s=%q: want a number of at least 100", bucketScaleEnv, v)
	}
	for _, n := range []int{1, 2, 1, 2} {
		location, dir := bucketScenario(t, accounts)
		var nodes []*nodeProcess
		for range n {
			cmd, out := startServeOn(t, dir, location)
			nodes = append(nodes, &nodeProcess{cmd: cmd, out: out})
		}
		st, err := state.Open(context.Background(), location, state.Options{ReadOnly: true})
		if err != nil {
			t.Fatal(err)
		}
		started := time.Now()
		if res := runCLI(t, "", "run", "-detach", "-state", location, "reconcile", dir); res.code != 0 {
			t.Fatalf("run -detach: exit %d\n%s%s", res.code, res.stdout, res.stderr)
		}
		runs, err := st.RunList(context.Background(), state.RunFilter{Task: "reconcile"})
		if err != nil || len(runs) != 1 {
			t.Fatalf("runs: %v, %v", runs, err)
		}
		final := waitForRunEnd(t, st, &runs[0], 30*time.Minute)
		took := time.Since(started)
		if final.State != state.RunSucceeded {
			t.Fatalf("run %s: %s", final.State, final.Error)
		}
		t.Logf("%d node(s): %d accounts in %s, %.0f accounts/s", n, accounts, took.Round(time.Millisecond), float64(accounts)/took.Seconds())
		for _, node := range nodes {
			_ = node.cmd.Process.Signal(syscall.SIGTERM)
			_ = node.cmd.Wait()
		}
		st.Close()
	}
}
