package views

import (
	"testing"

	"github.com/syncline/syncline/state"
)

// TestChangesMadeSeparatesDecidedFromCarriedOut: a run's summary line
// keeps apart what it changed, what it carried out from the queue, and
// what it left queued, and why.
func TestChangesMadeSeparatesDecidedFromCarriedOut(t *testing.T) {
	t.Parallel()
	unreachable := "create: resource \"app\": open: resource unreachable: connection refused"
	for _, tt := range []struct {
		name string
		run  state.Run
		want string
	}{
		{"an import whose target is unreachable", fullRun(state.ActivityResult{Type: "import",
			Statistics: map[string]int64{"users.add": 3, "accounts.failed": 3, "operations.pending": 3},
			Errors: []state.ItemError{{Category: "resource", Item: "app/a", Message: unreachable},
				{Category: "resource", Item: "app/b", Message: unreachable}, {Category: "resource", Item: "app/c", Message: unreachable}}}),
			"Changed users 3 added; queued 3 account creates (resource unreachable)."},
		{"a propagation of two queued creates", fullRun(state.ActivityResult{Type: "propagation",
			Statistics: map[string]int64{"accounts.create": 2, "operations.create": 2}}),
			"Carried out 2 queued creates."},
		{"an import queueing for grouping_interval", fullRun(state.ActivityResult{Type: "import",
			Statistics: map[string]int64{"users.add": 1, "operations.queued": 1}}),
			"Changed users 1 added; queued 1 account operation (grouping_interval)."},
		{"a reconciliation completing the queue and changing more", fullRun(state.ActivityResult{Type: "reconciliation",
			Statistics: map[string]int64{"accounts.create": 3, "accounts.delete": 1, "accounts.failed": 1, "operations.pending": 1},
			Errors:     []state.ItemError{{Category: "resource", Item: "app/x", Message: "update: the row is locked"}},
			Stages: []state.StageResult{{Name: "operation_completion",
				Statistics: map[string]int64{"accounts.create": 2, "accounts.failed": 1, "operations.pending": 1}}}}),
			"Changed accounts 1 created, 1 deleted; carried out 2 queued creates; queued 1 account update (failed; retried later)."},
		{"nothing", fullRun(state.ActivityResult{Type: "recompute"}), "Changed nothing."},
	} {
		if got := changesMade(&tt.run); got != tt.want {
			t.Errorf("%s:\n got %q\nwant %q", tt.name, got, tt.want)
		}
	}
}

func fullRun(act state.ActivityResult) state.Run {
	return state.Run{Mode: "full", Activities: []state.ActivityResult{act}}
}
