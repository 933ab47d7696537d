package planner

import (
	"maps"
	"strings"

	"github.com/syncline/syncline/internal/plantest"
	"github.com/syncline/syncline/state"
)

// tb is what the helpers need from a test: *testing.T, *testing.B and
// *rapid.T all have it.
type tb interface {
	Helper()
	Fatalf(format string, args ...any)
}

// The plan time, the secret key and the loader are shared with the views'
// tests through internal/plantest.
var (
	testNow    = plantest.Now
	testKey    = plantest.Key
	loadConfig = plantest.LoadConfig
)

// mustDesired loads files and returns their desired definitions.
func mustDesired(t tb, files map[string]string, vars ...string) map[string]*state.Definition {
	t.Helper()
	defs, err := Desired(loadConfig(t, files, vars...), "rev1", testKey)
	if err != nil {
		t.Fatalf("Desired: %v", err)
	}
	return defs
}

var (
	snapshotOf      = plantest.SnapshotOf
	cloneDefinition = plantest.CloneDefinition
)

// applyRequest applies req to snap as the store would, in memory: moves,
// then upserts, then deletes; the serial grows when anything changed.
func applyRequest(t tb, snap *state.Snapshot, req state.ApplyRequest) *state.Snapshot {
	t.Helper()
	if req.Lineage != snap.Lineage || req.Serial != snap.Serial {
		t.Fatalf("apply request for %s/%d against state %s/%d", req.Lineage, req.Serial, snap.Lineage, snap.Serial)
	}
	out := snapshotOf(snap.Definitions, snap.Serial)
	out.Lineage, out.ShadowCounts = snap.Lineage, maps.Clone(snap.ShadowCounts)
	if out.Lineage == "" {
		out.Lineage = "lineage-new"
	}
	for _, m := range req.Moves {
		d, ok := out.Definitions[m.From]
		if _, taken := out.Definitions[m.To]; !ok || taken {
			t.Fatalf("cannot move %s to %s", m.From, m.To)
		}
		delete(out.Definitions, m.From)
		d.Name = strings.TrimPrefix(m.To, d.Kind+".")
		out.Definitions[m.To] = d
	}
	for _, d := range req.Upserts {
		out.Definitions[d.Address()] = cloneDefinition(d)
	}
	for _, addr := range req.Deletes {
		if _, ok := out.Definitions[addr]; !ok {
			t.Fatalf("cannot delete %s: not stored", addr)
		}
		delete(out.Definitions, addr)
	}
	if len(req.Moves)+len(req.Upserts)+len(req.Deletes) > 0 {
		out.Serial++
	}
	return out
}

// mustCompute computes a plan at testNow.
func mustCompute(t tb, desired map[string]*state.Definition, snap *state.Snapshot, opts Options) *Plan {
	t.Helper()
	if opts.Now.IsZero() {
		opts.Now = testNow
	}
	p, err := Compute(desired, snap, opts)
	if err != nil {
		t.Fatalf("Compute: %v", err)
	}
	return p
}
