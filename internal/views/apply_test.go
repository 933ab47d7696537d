package views

import (
	"bytes"
	"testing"

	"github.com/syncline/syncline/internal/plantest"
	"github.com/syncline/syncline/planner"
	"github.com/syncline/syncline/state"
)

func TestApplyApplied(t *testing.T) {
	t.Parallel()
	for _, tt := range []struct {
		name string
		r    Applied
		on   bool
		want string
	}{
		{"directory", Applied{Summary: planner.Summary{Add: 3}, Result: state.ApplyResult{Lineage: "l-1", Serial: 1, Changed: true}}, false,
			"\nApply complete! 3 added, 0 changed, 0 removed. State serial 1 (lineage l-1).\n"},
		{"git with a move", Applied{Summary: planner.Summary{Change: 1, Remove: 1, Move: 1}, Result: state.ApplyResult{Lineage: "l-1", Serial: 4, Changed: true},
			Revision: "3f9c2e1d0b8a7f6e5d4c3b2a1f0e9d8c7b6a5f4e", Who: "Alice <alice@example.com>"}, false,
			"\nApply complete! 0 added, 1 changed, 1 removed, 1 moved. State serial 4 (lineage l-1).\nRecorded revision 3f9c2e1 by Alice <alice@example.com>.\n"},
		{"git, nothing changed", Applied{Result: state.ApplyResult{Lineage: "l-1", Serial: 4}, Revision: "3f9c2e1d", Who: "Alice"}, false,
			"\nApply complete! 0 added, 0 changed, 0 removed. State serial 4 (lineage l-1).\n"},
		{"colour", Applied{Result: state.ApplyResult{Lineage: "l-1", Serial: 2}}, true,
			"\n\x1b[1m\x1b[32mApply complete!\x1b[0m 0 added, 0 changed, 0 removed. State serial 2 (lineage l-1).\n"},
	} {
		var out bytes.Buffer
		NewApply(Streams{Stdout: &out}, Color{On: tt.on}).Applied(tt.r)
		if out.String() != tt.want {
			t.Errorf("%s:\n%q\nwant\n%q", tt.name, out.String(), tt.want)
		}
	}
}

func TestWritePlanLines(t *testing.T) {
	t.Parallel()
	var out bytes.Buffer
	WritePlanLines(&out, Color{}, scenarioPlan(t, plantest.ScenarioNamed("move")))
	if want := "  ->  task.app-reconciliation (was task.app-reconcile)\n"; out.String() != want {
		t.Errorf("move:\n%q", out.String())
	}
	out.Reset()
	WritePlanLines(&out, Color{On: true}, scenarioPlan(t, plantest.ScenarioNamed("no_changes")))
	if want := "  No changes: the state (serial 7) already matches the configuration.\n"; out.String() != want {
		t.Errorf("no changes:\n%q", out.String())
	}
}
