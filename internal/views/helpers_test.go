package views

import (
	"testing"

	"github.com/syncline/syncline/internal/plantest"
	"github.com/syncline/syncline/planner"
	"github.com/syncline/syncline/state"
)

// The fixtures are the planner's, from internal/plantest.
var (
	baseFiles = plantest.BaseFiles
	secretVar = plantest.SecretVar
)

// mustDesired loads files and returns their desired definitions.
func mustDesired(t *testing.T, files map[string]string, vars ...string) map[string]*state.Definition {
	t.Helper()
	defs, err := planner.Desired(plantest.LoadConfig(t, files, vars...), "rev1", plantest.Key)
	if err != nil {
		t.Fatalf("Desired: %v", err)
	}
	return defs
}

// storedFrom is the snapshot an apply of files would leave behind.
func storedFrom(t *testing.T, files map[string]string, vars ...string) *state.Snapshot {
	t.Helper()
	return plantest.SnapshotOf(mustDesired(t, files, vars...), 7)
}

// mustCompute computes a plan at plantest.Now.
func mustCompute(t *testing.T, desired map[string]*state.Definition, snap *state.Snapshot, opts planner.Options) *planner.Plan {
	t.Helper()
	opts.Now = plantest.Now
	p, err := planner.Compute(desired, snap, opts)
	if err != nil {
		t.Fatalf("Compute: %v", err)
	}
	return p
}

// scenarioPlan computes the plan of a golden scenario, as the planner's
// tests do.
func scenarioPlan(t *testing.T, s plantest.Scenario) *planner.Plan {
	t.Helper()
	snap := &state.Snapshot{}
	if s.Before != nil {
		snap = storedFrom(t, s.Before, secretVar)
		snap.Lineage = plantest.Lineage
		snap.ShadowCounts = s.Shadows
	}
	cfg := plantest.LoadConfig(t, s.After(t), s.PlanVars()...)
	desired, err := planner.Desired(cfg, s.Revision, plantest.Key)
	if err != nil {
		t.Fatal(err)
	}
	opts := planner.Options{AllowDestroy: s.AllowDestroy, Revision: s.Revision, Moves: planner.MovesFromConfig(cfg)}
	return mustCompute(t, desired, snap, opts)
}
