package planner

import (
	"encoding/json"
	"errors"
	"slices"
	"strings"
	"testing"

	"github.com/syncline/syncline/internal/plantest"
	"github.com/syncline/syncline/state"
)

func TestApplyRequest(t *testing.T) {
	t.Parallel()
	s := plantest.ScenarioNamed("update") // moves, updates, deletes
	p := scenarioPlan(t, s)
	desired := mustDesired(t, s.After(t), s.Vars...)
	req := p.ApplyRequest(desired, "alice")
	if req.Lineage != p.Lineage || req.Serial != 7 || req.Who != "alice" || req.Revision != "3f9c2e1" {
		t.Errorf("request header: %+v", req)
	}
	if want := []state.Move{{From: "task.nightly-report", To: "task.users-report"}}; !slices.Equal(req.Moves, want) {
		t.Errorf("moves = %v", req.Moves)
	}
	if want := []string{"resource.legacy", "task.cleanup"}; !slices.Equal(req.Deletes, want) {
		t.Errorf("deletes = %v", req.Deletes)
	}
	var upserts []string
	for _, d := range req.Upserts {
		upserts = append(upserts, d.Address())
		if d != desired[d.Address()] {
			t.Errorf("%s is not the desired definition", d.Address())
		}
	}
	if want := []string{"resource.app", "schedule.nightly", "task.app-reconcile", "task.users-report"}; !slices.Equal(upserts, want) {
		t.Errorf("upserts = %v", upserts)
	}
	var changes []map[string]any
	if err := json.Unmarshal(req.Changes, &changes); err != nil {
		t.Fatal(err)
	}
	if len(changes) != len(p.Changes) || changes[0]["before"] != nil || changes[0]["after"] != nil {
		t.Errorf("changes kept in the history: %s", req.Changes)
	}
	if strings.Contains(string(req.Changes), "sensitive sha256") {
		t.Error("the history's change list holds a fingerprint")
	}

	saved := p.ApplyRequest(nil, "alice") // a plan read from a file has no desired map
	if len(saved.Upserts) != len(req.Upserts) || saved.Upserts[0].Hash != req.Upserts[0].Hash {
		t.Errorf("upserts from the plan's own definitions differ: %v", saved.Upserts)
	}
}

func TestVerify(t *testing.T) {
	t.Parallel()
	desired := mustDesired(t, baseFiles, secretVar)
	p := mustCompute(t, desired, nil, Options{})
	if err := p.Verify(desired); err != nil {
		t.Fatalf("Verify with the same definitions: %v", err)
	}
	rotated := mustDesired(t, baseFiles, "app_dsn=rotated")
	err := p.Verify(rotated)
	var stale *StaleError
	if !errors.As(err, &stale) || !slices.Equal(stale.Addresses, []string{"resource.app"}) {
		t.Errorf("Verify after a secret changed: %v", err)
	}
	delete(desired, "task.hr-import")
	if err := p.Verify(desired); err == nil || !strings.Contains(err.Error(), "task.hr-import") {
		t.Errorf("Verify after a definition went away: %v", err)
	}
}
