package main

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/syncline/syncline/engine/asyncupdate/amqptest"
	"github.com/syncline/syncline/state"
	"github.com/syncline/syncline/state/statetest"
)

const nodesAsyncConfig = `
resource "hr" {
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
      employee_number = attributes.emp_id
    }
    reactions {
      unmatched = "add_focus"
    }
  }
}
task "hr-events" {
  activity "async_update" {
    resource = resource.hr
    url      = "%s"
    queue    = "%s"
  }
}
`

// TestServeNodesShareAConsumer: three serve processes on one PostgreSQL
// state keep one async_update consumer: one node consumes at a time. The
// consuming node is killed (SIGKILL); another takes the consumer over
// and applies the messages published meanwhile, each once. The nodes
// queue one consumer run between them, not one each.
func TestServeNodesShareAConsumer(t *testing.T) {
	t.Parallel()
	if testing.Short() {
		t.Skip("runs three serve processes")
	}
	url, ch := amqptest.Broker(t)
	q := amqptest.Queue(t, ch, "hr-nodes")
	location := statetest.Location(t)
	dir := t.TempDir()
	writeFiles(t, dir, map[string]string{"hr.csv": "emp_id,login\n", "main.hcl": fmt.Sprintf(nodesAsyncConfig, url, q)})
	if res := runCLI(t, "", "apply", "-auto-approve", "-state", location, dir); res.code != 0 {
		t.Fatalf("apply: exit %d\n%s%s", res.code, res.stdout, res.stderr)
	}
	nodes := startNodes(t, dir, location, 3)
	st := readState(t, location)
	ctx := context.Background()
	// running is the consumer's running run; it fails the test when more
	// than one is running.
	running := func() *state.Run {
		t.Helper()
		runs, err := st.RunList(ctx, state.RunFilter{Task: "hr-events", State: []state.RunState{state.RunRunning}})
		if err != nil {
			t.Fatal(err)
		}
		if len(runs) > 1 {
			t.Fatalf("%d consumer runs are running at once: %+v", len(runs), runs)
		}
		if len(runs) == 0 {
			return nil
		}
		return &runs[0]
	}
	users := func() int {
		t.Helper()
		c, err := st.RepositoryCounts(ctx)
		if err != nil {
			t.Fatal(err)
		}
		return c.Users
	}
	message := func(i int) string {
		return fmt.Sprintf(`{"operation": "create", "identifier": "e%03d", "attributes": {"emp_id": "e%03d", "login": "u%03d"}}`, i, i, i)
	}
	var first *state.Run
	pollUntil(t, time.Minute, "a node to consume", func() bool { first = running(); return first != nil })
	amqptest.Publish(t, ch, q, message(0))
	pollUntil(t, time.Minute, "the first message's user", func() bool { running(); return users() == 1 })

	victim := nodeHolding(t, nodes, first.ClaimedBy)
	if err := victim.cmd.Process.Kill(); err != nil {
		t.Fatal(err)
	}
	_ = victim.cmd.Wait()
	victim.killed = true
	const n = 100
	for i := 1; i < n; i++ {
		amqptest.Publish(t, ch, q, message(i))
	}
	var second *state.Run
	pollUntil(t, time.Minute, "another node to consume every message", func() bool {
		second = running()
		return second != nil && second.ID != first.ID && users() == n && amqptest.Depth(t, ch, q) == 0
	})
	// One consumer run was queued between the three nodes, and one
	// recovery run when its node died: no run is left waiting. Counted
	// before the nodes stop: a node stopping cancels its consumer, and a
	// node still up then rightly starts another.
	all, err := st.RunList(ctx, state.RunFilter{Task: "hr-events"})
	if err != nil {
		t.Fatal(err)
	}
	for _, node := range nodes {
		node.stop(t)
	}

	if nodeOf(second.ClaimedBy) == nodeOf(first.ClaimedBy) {
		t.Errorf("the killed node %s still consumes", first.ClaimedBy)
	}
	got, err := st.RunGet(ctx, first.ID)
	if err != nil {
		t.Fatal(err)
	}
	if got.State != state.RunInterrupted {
		t.Errorf("the killed node's consumer run ended %s: %s", got.State, got.Error)
	}
	for i := range n {
		u, err := st.UserGet(ctx, fmt.Sprintf("u%03d", i))
		if err != nil || u == nil {
			t.Errorf("user u%03d: %v, %v", i, u, err)
		}
	}
	if len(all) != 2 || all[0].ID != second.ID || second.Trigger != state.TriggerRecovery || second.RetryOf != first.ID {
		for _, r := range all {
			t.Logf("run %d %s by %s (%s): %s %s", r.ID, r.Trigger, r.TriggeredBy, r.ClaimedBy, r.State, r.Error)
		}
		t.Errorf("task.hr-events has %d runs, want the first consumer run and its recovery", len(all))
	}
}
