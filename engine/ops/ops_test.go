package ops_test

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/hashicorp/hcl/v2"
	"github.com/syncline/syncline/config"
	"github.com/syncline/syncline/engine/ops"
	"github.com/syncline/syncline/planner"
	"github.com/syncline/syncline/state"
)

// recorder is a Reporter that records what a workflow reported and
// answers Confirm with refuse (nil approves).
type recorder struct {
	refuse    error
	diags     []hcl.Diagnostics
	plans     []*planner.Plan
	revisions []*config.Revision // the revision of each plan shown
	confirms  int
	fetched   []ops.SyncResult
	reloaded  []*config.Revision
}

var _ ops.Reporter = (*recorder)(nil)

func (r *recorder) Diagnostics(_ map[string]*hcl.File, d hcl.Diagnostics) {
	r.diags = append(r.diags, d)
}

func (r *recorder) Plan(rev *config.Revision, p *planner.Plan) error {
	r.plans = append(r.plans, p)
	r.revisions = append(r.revisions, rev)
	return nil
}

func (r *recorder) Confirm() error {
	r.confirms++
	return r.refuse
}

func (r *recorder) Fetched(res *ops.SyncResult) { r.fetched = append(r.fetched, *res) }

func (r *recorder) Reloaded(rev *config.Revision) { r.reloaded = append(r.reloaded, rev) }

// mainHCL is a configuration with a csv resource, a schedule and two
// tasks; cron is the schedule's.
func mainHCL(cron string) string {
	return `
schedule "nightly" {
  cron = "` + cron + `"
}
resource "hr" {
  connector = "csv"
  connection {
    path       = "data/hr.csv"
    identifier = "id"
  }
}
task "keep" {
  schedule = schedule.nightly
  activity "exec" {
    command = "true"
  }
}
task "other" {
  activity "exec" {
    command = "true"
  }
}
`
}

// withoutHR is mainHCL(cron) without its resource.
func withoutHR(t *testing.T, cron string) string {
	t.Helper()
	s := mainHCL(cron)
	start, end := strings.Index(s, `resource "hr"`), strings.Index(s, `task "keep"`)
	if start < 0 || end < start {
		t.Fatal("mainHCL has no resource hr")
	}
	return s[:start] + s[end:]
}

// writeConfig writes main.hcl into dir.
func writeConfig(t *testing.T, dir, hcl string) {
	t.Helper()
	if err := os.WriteFile(filepath.Join(dir, "main.hcl"), []byte(hcl), 0o644); err != nil {
		t.Fatal(err)
	}
}

// load loads dir strictly, reporting to r.
func load(t *testing.T, dir string, r ops.Reporter) *ops.Loaded {
	t.Helper()
	l, err := ops.Loader{}.LoadStrict(ops.DirSource(dir), nil, nil, r)
	if err != nil {
		t.Fatalf("loading %s: %v", dir, err)
	}
	return l
}

// applyDir plans and applies dir to the state at location, approving.
func applyDir(t *testing.T, dir, location string) *ops.ApplyResult {
	t.Helper()
	res, err := ops.PlanAndApply(context.Background(), load(t, dir, ops.Quiet{}), ops.ApplyOptions{Location: location}, ops.Quiet{})
	if err != nil {
		t.Fatalf("apply: %v", err)
	}
	return res
}

// snapshot reads the state at location.
func snapshot(t *testing.T, location string) *state.Snapshot {
	t.Helper()
	snap, _, err := ops.ReadSnapshot(context.Background(), location)
	if err != nil {
		t.Fatal(err)
	}
	return snap
}

// addShadow stores a shadow of resource hr in the state at location, as
// an import run would.
func addShadow(t *testing.T, location string) {
	t.Helper()
	ctx := context.Background()
	st, err := state.Open(ctx, location, state.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	err = st.RepositoryWrite(ctx, func(r *state.RepositoryTx) error {
		return r.PutShadow(&state.Shadow{Resource: "hr", Kind: "account", Intent: "default", Identifier: "e1", Key: "e1",
			Attributes: map[string][]string{"id": {"e1"}}, Hash: "h", MappingHash: "m", Situation: "unlinked", SyncedAt: r.Now()})
	})
	if err != nil {
		t.Fatal(err)
	}
}

func TestPlanAndApply(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name string
		// prepare readies dir and the state at location and returns the
		// configuration to apply.
		prepare func(t *testing.T, dir, location string) string
		refuse  error
		// check looks at the outcome; before is the serial before.
		check func(t *testing.T, res *ops.ApplyResult, err error, r *recorder, before int64)
	}{
		{
			name:    "a new state is created and applied",
			prepare: func(t *testing.T, dir, location string) string { return mainHCL("0 2 * * *") },
			check: func(t *testing.T, res *ops.ApplyResult, err error, r *recorder, before int64) {
				if err != nil {
					t.Fatal(err)
				}
				if res.Applied == nil || !res.Applied.Changed || res.Planned.Plan.Summary != (planner.Summary{Add: 4}) || res.Serial <= before {
					t.Errorf("applied %+v (%+v), serial %d (before %d): want 4 added and a new serial", res.Applied, res.Planned.Plan.Summary, res.Serial, before)
				}
				if len(r.plans) != 1 || r.confirms != 1 || r.revisions[0] != nil {
					t.Errorf("reported %d plans (revision %v) and %d confirmations, want 1 of each from a directory", len(r.plans), r.revisions, r.confirms)
				}
				if res.Who == "" || res.Revision != "" {
					t.Errorf("recorded who %q, revision %q: want the user and no revision", res.Who, res.Revision)
				}
			},
		},
		{
			name: "a change is applied",
			prepare: func(t *testing.T, dir, location string) string {
				writeConfig(t, dir, mainHCL("0 2 * * *"))
				applyDir(t, dir, location)
				return mainHCL("0 3 * * *")
			},
			check: func(t *testing.T, res *ops.ApplyResult, err error, r *recorder, before int64) {
				if err != nil {
					t.Fatal(err)
				}
				if a := res.Applied; a == nil || !a.Changed || res.Planned.Plan.Summary != (planner.Summary{Change: 1}) || res.Serial != before+1 {
					t.Errorf("applied %+v (%+v), serial %d (before %d): want 1 changed, the next serial", a, res.Planned.Plan.Summary, res.Serial, before)
				}
			},
		},
		{
			name: "no changes apply nothing and ask nothing",
			prepare: func(t *testing.T, dir, location string) string {
				writeConfig(t, dir, mainHCL("0 2 * * *"))
				applyDir(t, dir, location)
				return mainHCL("0 2 * * *")
			},
			check: func(t *testing.T, res *ops.ApplyResult, err error, r *recorder, before int64) {
				if err != nil {
					t.Fatal(err)
				}
				if res.Applied != nil || res.Serial != before || res.Planned == nil || res.Planned.Plan.HasChanges() {
					t.Errorf("applied %+v, serial %d (before %d): want nothing applied", res.Applied, res.Serial, before)
				}
				if len(r.plans) != 1 || r.confirms != 0 {
					t.Errorf("reported %d plans and %d confirmations, want the plan and no question", len(r.plans), r.confirms)
				}
			},
		},
		{
			name: "a plan with errors is a PlanError",
			prepare: func(t *testing.T, dir, location string) string {
				writeConfig(t, dir, mainHCL("0 2 * * *"))
				applyDir(t, dir, location)
				addShadow(t, location)
				return withoutHR(t, "0 2 * * *")
			},
			check: func(t *testing.T, res *ops.ApplyResult, err error, r *recorder, before int64) {
				var pe *ops.PlanError
				if !errors.As(err, &pe) || !strings.Contains(err.Error(), "resource.hr has 1 shadow") {
					t.Fatalf("error %v: want a PlanError naming the shadow", err)
				}
				if res.Applied != nil || res.Planned == nil || len(res.Planned.Plan.Errors) != 1 {
					t.Errorf("applied %+v, planned %+v: want the plan with its error, nothing applied", res.Applied, res.Planned)
				}
				if len(r.plans) != 1 || r.confirms != 0 {
					t.Errorf("reported %d plans and %d confirmations, want the plan with its errors and no question", len(r.plans), r.confirms)
				}
			},
		},
		{
			name: "a refusal to confirm applies nothing",
			prepare: func(t *testing.T, dir, location string) string {
				writeConfig(t, dir, mainHCL("0 2 * * *"))
				applyDir(t, dir, location)
				return mainHCL("0 3 * * *")
			},
			refuse: errors.New("Apply cancelled."),
			check: func(t *testing.T, res *ops.ApplyResult, err error, r *recorder, before int64) {
				if err == nil || err.Error() != "Apply cancelled." {
					t.Fatalf("error %v: want the refusal", err)
				}
				if res.Applied != nil || r.confirms != 1 {
					t.Errorf("applied %+v after %d confirmations: want one question, nothing applied", res.Applied, r.confirms)
				}
			},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			dir, location := t.TempDir(), filepath.Join(t.TempDir(), "state.db")
			writeConfig(t, dir, tt.prepare(t, dir, location))
			before := snapshot(t, location).Serial
			r := &recorder{refuse: tt.refuse}
			res, err := ops.PlanAndApply(context.Background(), load(t, dir, r), ops.ApplyOptions{Location: location}, r)
			if res == nil {
				t.Fatalf("no result (error %v)", err)
			}
			tt.check(t, res, err, r, before)
			if err != nil && snapshot(t, location).Serial != before {
				t.Errorf("the state changed although the apply failed")
			}
		})
	}
}

// TestLoadStrictConfigError: a configuration that does not load is a
// ConfigError, and its diagnostics were reported.
func TestLoadStrictConfigError(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	writeConfig(t, dir, `task "broken" {`)
	r := &recorder{}
	l, err := ops.Loader{}.LoadStrict(ops.DirSource(dir), nil, nil, r)
	var ce *ops.ConfigError
	if !errors.As(err, &ce) || l != nil {
		t.Fatalf("LoadStrict = %v, %v: want a ConfigError", l, err)
	}
	if len(r.diags) != 1 || !r.diags[0].HasErrors() || ce.Diagnostics.Error() != r.diags[0].Error() {
		t.Errorf("reported %v, error %v: want the same diagnostics reported", r.diags, ce.Diagnostics)
	}
}
