package planner

import (
	"bytes"
	"flag"
	"maps"
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

// TestRenderJSONRoundTrip: every golden plan reads back from its JSON with
// the same changes — specs byte-equal, so hashes and SameChanges hold —
// and renders the same JSON again.
func TestRenderJSONRoundTrip(t *testing.T) {
	t.Parallel()
	for _, s := range plantest.Scenarios() {
		t.Run(s.Name, func(t *testing.T) {
			t.Parallel()
			checkJSONRoundTrip(t, scenarioPlan(t, s))
		})
	}
}

// checkJSONRoundTrip: p survives RenderJSON and DecodeJSON unchanged.
func checkJSONRoundTrip(t tb, p *Plan) {
	t.Helper()
	var buf bytes.Buffer
	if err := RenderJSON(&buf, p); err != nil {
		t.Fatalf("RenderJSON: %v", err)
	}
	back, err := DecodeJSON(buf.Bytes())
	if err != nil {
		t.Fatalf("DecodeJSON: %v", err)
	}
	for i, c := range p.Changes {
		if diff := changeDifference(&back.Changes[i], &c); diff != "" {
			t.Fatalf("%s read back from JSON: %s", c.Address, diff)
		}
		for _, pair := range [][2]*state.Definition{{c.Before, back.Changes[i].Before}, {c.After, back.Changes[i].After}} {
			if pair[0] != nil && !maps.Equal(pair[0].Spec, pair[1].Spec) {
				t.Fatalf("%s: a spec read back from JSON differs:\n%v\n%v", c.Address, pair[0].Spec, pair[1].Spec)
			}
		}
	}
	if err := back.SameChanges(p); err != nil && len(p.Errors) == 0 { // a plan with errors is never the same
		t.Fatalf("read back from JSON: %v", err)
	}
	var again bytes.Buffer
	if err := RenderJSON(&again, back); err != nil {
		t.Fatalf("RenderJSON: %v", err)
	}
	if !bytes.Equal(buf.Bytes(), again.Bytes()) {
		t.Fatalf("a plan read back from JSON renders differently")
	}
}
