package planner

import (
	"maps"
	"strings"
	"testing/fstest"
	"time"

	"github.com/syncline/syncline/config"
	"github.com/syncline/syncline/state"
)

// tb is what the helpers need from a test: *testing.T, *testing.B and
// *rapid.T all have it.
type tb interface {
	Helper()
	Fatalf(format string, args ...any)
}

// testNow is the plan time of every test: a Friday, two days before
// Europe/Prague moves its clocks forward (Sunday 29 March 2026, 02:00 CET
// becomes 03:00 CEST).
var testNow = time.Date(2026, 3, 27, 12, 0, 0, 0, time.UTC)

// testKey stands for a state's secret key in every test, so fingerprints
// are the same from run to run.
var testKey = state.SecretKey("planner-tests-secret-key-32bytes")

// loadConfig loads HCL files from memory the way LoadDir loads a
// directory, so expressions keep their source bytes. vars are -var
// arguments.
func loadConfig(t tb, files map[string]string, vars ...string) *config.Config {
	t.Helper()
	fsys := fstest.MapFS{}
	for name, src := range files {
		fsys[name] = &fstest.MapFile{Data: []byte(src)}
	}
	cfg, diags := config.LoadFS(fsys, "cfg", config.LoadOptions{Vars: vars})
	if diags.HasErrors() {
		t.Fatalf("loading the configuration: %s", diags.Error())
	}
	return cfg
}

// mustDesired loads files and returns their desired definitions.
func mustDesired(t tb, files map[string]string, vars ...string) map[string]*state.Definition {
	t.Helper()
	defs, err := Desired(loadConfig(t, files, vars...), "rev1", testKey)
	if err != nil {
		t.Fatalf("Desired: %v", err)
	}
	return defs
}

// snapshotOf is a stored snapshot holding copies of defs.
func snapshotOf(defs map[string]*state.Definition, serial int64) *state.Snapshot {
	s := &state.Snapshot{Lineage: "lineage-1", Serial: serial, Definitions: map[string]*state.Definition{}, ShadowCounts: map[string]int{}}
	for addr, d := range defs {
		s.Definitions[addr] = cloneDefinition(d)
	}
	return s
}

func cloneDefinition(d *state.Definition) *state.Definition {
	c := *d
	c.Spec = maps.Clone(d.Spec)
	return &c
}

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
