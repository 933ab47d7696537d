package planner

import (
	"bytes"
	"flag"
	"path/filepath"
	"strings"
	"testing"

	"github.com/syncline/syncline/internal/plantest"
	"github.com/syncline/syncline/state"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata/ from the current output")

// scenarioPlan computes the plan of a golden scenario (see
// plantest.Scenarios).
func scenarioPlan(t *testing.T, s plantest.Scenario) *Plan {
	snap := &state.Snapshot{}
	if s.Before != nil {
		snap = storedFrom(t, s.Before, secretVar)
		snap.Lineage = plantest.Lineage
		snap.ShadowCounts = s.Shadows
	}
	cfg := loadConfig(t, s.After(t), s.PlanVars()...)
	desired, err := Desired(cfg, s.Revision, testKey)
	if err != nil {
		t.Fatal(err)
	}
	opts := Options{AllowDestroy: s.AllowDestroy, Revision: s.Revision, Moves: MovesFromConfig(cfg)}
	return mustCompute(t, desired, snap, opts)
}

// TestRenderJSONGolden keeps the JSON encoding of every golden scenario
// (plantest.Scenarios) in testdata/*.json.golden; the text and Markdown
// views of the same scenarios are golden in internal/views/testdata.
func TestRenderJSONGolden(t *testing.T) {
	t.Parallel()
	for _, s := range plantest.Scenarios() {
		t.Run(s.Name, func(t *testing.T) {
			t.Parallel()
			p := scenarioPlan(t, s)
			var buf bytes.Buffer
			if err := RenderJSON(&buf, p); err != nil {
				t.Fatal(err)
			}
			if strings.Contains(buf.String(), testSecret) {
				t.Error("the JSON encoding holds the secret")
			}
			checkGolden(t, filepath.Join("testdata", s.Name+".json.golden"), buf.Bytes())
		})
	}
}

func checkGolden(t *testing.T, path string, got []byte) {
	t.Helper()
	plantest.CheckGolden(t, path, got, *update, "go test ./planner -run TestRenderJSONGolden -update")
}

func TestRenderJSONRoundTrip(t *testing.T) {
	t.Parallel()
	p := scenarioPlan(t, plantest.ScenarioNamed("update"))
	var buf bytes.Buffer
	if err := RenderJSON(&buf, p); err != nil {
		t.Fatal(err)
	}
	back, err := DecodeJSON(buf.Bytes())
	if err != nil {
		t.Fatal(err)
	}
	var again bytes.Buffer
	if err := RenderJSON(&again, back); err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(buf.Bytes(), again.Bytes()) {
		t.Error("a plan read back from JSON renders differently")
	}
	if _, err := DecodeJSON([]byte(`{"format_version": "2"}`)); err == nil {
		t.Error("a plan of format version 2 was accepted")
	}
}
