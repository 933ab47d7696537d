package ops_test

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/syncline/syncline/engine/ops"
	"github.com/syncline/syncline/state"
)

// savePlan plans dir against the state at location and saves the plan to
// a file, as plan -out does; it returns the file's path.
func savePlan(t *testing.T, dir, location string) string {
	t.Helper()
	snap, runtime, err := ops.ReadSnapshot(context.Background(), location)
	if err != nil {
		t.Fatal(err)
	}
	pl, err := ops.PlanConfig(load(t, dir, ops.Quiet{}), snap, runtime, false)
	if err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(t.TempDir(), "change.plan")
	if err := ops.WritePlanFile(path, pl, ops.SaveOptions{State: location}); err != nil {
		t.Fatal(err)
	}
	return path
}

// forgePlan rewrites the plan file at path with an extra change deleting
// task.other, and a MAC made by sign.
func forgePlan(t *testing.T, path string, sign func(*ops.PlanFile) string) {
	t.Helper()
	rewritePlan(t, path, sign, func(plan map[string]any) {
		plan["changes"] = append(plan["changes"].([]any), map[string]any{
			"address": "task.other", "action": "delete", "kind": "task", "name": "other",
			"attributes": []any{}, "source": "main.hcl:18", "before": nil, "after": nil,
		})
		plan["summary"].(map[string]any)["remove"] = 1
	})
}

// rewritePlan edits the plan inside the plan file at path and gives the
// file a MAC made by sign.
func rewritePlan(t *testing.T, path string, sign func(*ops.PlanFile) string, edit func(plan map[string]any)) {
	t.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	var f ops.PlanFile
	if err := json.Unmarshal(data, &f); err != nil {
		t.Fatal(err)
	}
	var plan map[string]any
	dec := json.NewDecoder(bytes.NewReader(f.Plan))
	dec.UseNumber()
	if err := dec.Decode(&plan); err != nil {
		t.Fatal(err)
	}
	edit(plan)
	if f.Plan, err = json.Marshal(plan); err != nil {
		t.Fatal(err)
	}
	f.MAC = sign(&f)
	if data, err = json.Marshal(&f); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, data, 0o600); err != nil {
		t.Fatal(err)
	}
}

// setNightlyCron sets the cron of schedule.nightly's after spec, the only
// change of the plans TestApplyPlanFile saves, to value.
func setNightlyCron(value any) func(plan map[string]any) {
	return func(plan map[string]any) {
		change := plan["changes"].([]any)[0].(map[string]any)
		change["after"].(map[string]any)["spec"].(map[string]any)["cron"] = value
	}
}

// signWithState signs a plan file with the key of the state at location,
// as only someone who can read the state can.
func signWithState(t *testing.T, location string) func(*ops.PlanFile) string {
	key := snapshot(t, location).Key
	return func(f *ops.PlanFile) string { mac, _ := f.Sign(key); return mac }
}

func TestApplyPlanFile(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name string
		// prepare changes the world after the plan was saved at path
		// against the state at location; it returns the -state option.
		prepare func(t *testing.T, dir, location, path string) string
		want    string // the error; "" for an apply
		wantIs  error
	}{
		{
			name:    "a genuine plan is applied",
			prepare: func(t *testing.T, dir, location, path string) string { return "" },
		},
		{
			name: "an edited plan is refused by its MAC",
			prepare: func(t *testing.T, dir, location, path string) string {
				forgePlan(t, path, func(f *ops.PlanFile) string { return f.MAC })
				return ""
			},
			want:   "its MAC does not match its content",
			wantIs: ops.ErrForeignPlanFile,
		},
		{
			name: "a plan MACed under another key is refused",
			prepare: func(t *testing.T, dir, location, path string) string {
				forgePlan(t, path, func(f *ops.PlanFile) string { mac, _ := f.Sign(state.EphemeralKey()); return mac })
				return ""
			},
			want:   "its MAC does not match its content",
			wantIs: ops.ErrForeignPlanFile,
		},
		{
			name: "a plan forged with the state's key is refused by recomputing it",
			prepare: func(t *testing.T, dir, location, path string) string {
				key := snapshot(t, location).Key
				forgePlan(t, path, func(f *ops.PlanFile) string { mac, _ := f.Sign(key); return mac })
				return ""
			},
			want: `"task.other": the plan file says "delete", recomputed: no change`,
		},
		{
			name: "a typed value edited and signed with the state's key is refused by recomputing it",
			prepare: func(t *testing.T, dir, location, path string) string {
				rewritePlan(t, path, signWithState(t, location), setNightlyCron("0 5 * * *"))
				return ""
			},
			want: `"schedule.nightly": the plan file stores another definition`,
		},
		{
			name: "a malformed typed value is refused",
			prepare: func(t *testing.T, dir, location, path string) string {
				rewritePlan(t, path, signWithState(t, location), setNightlyCron(map[string]any{"expression": 5}))
				return ""
			},
			want: `change "schedule.nightly": after spec "cron": an expression's source must be a string`,
		},
		{
			name: "a plan file from before typed values is refused",
			prepare: func(t *testing.T, dir, location, path string) string {
				rewritePlan(t, path, signWithState(t, location), func(plan map[string]any) {
					plan["format_version"] = "1"
					setNightlyCron(`"0 3 * * *"`)(plan)
				})
				return ""
			},
			want: `plan format version "1" is not supported (this version reads "2", which gives values typed; format "1" came from an older syncline); make a new plan`,
		},
		{
			name: "a plan for another state is refused",
			prepare: func(t *testing.T, dir, location, path string) string {
				other := filepath.Join(t.TempDir(), "other.db")
				applyDir(t, dir, other)
				return other
			},
			want: "the plan was made for another state",
		},
		{
			name: "a stale plan is refused",
			prepare: func(t *testing.T, dir, location, path string) string {
				writeConfig(t, dir, mainHCL("0 4 * * *"))
				applyDir(t, dir, location)
				return ""
			},
			want: "the plan is stale: the state changed since it was made",
		},
		{
			name: "a plan whose configuration changed is refused",
			prepare: func(t *testing.T, dir, location, path string) string {
				writeConfig(t, dir, mainHCL("0 4 * * *"))
				return ""
			},
			want: "schedule.nightly",
		},
		{
			name: "a file that is not a plan is refused",
			prepare: func(t *testing.T, dir, location, path string) string {
				if err := os.WriteFile(path, []byte(`{"hello": "world"}`), 0o600); err != nil {
					t.Fatal(err)
				}
				return ""
			},
			want:   "not a Syncline plan file",
			wantIs: ops.ErrNotPlanFile,
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			dir, location := t.TempDir(), filepath.Join(t.TempDir(), "state.db")
			writeConfig(t, dir, mainHCL("0 2 * * *"))
			applyDir(t, dir, location)
			writeConfig(t, dir, mainHCL("0 3 * * *"))
			path := savePlan(t, dir, location)
			stateOpt := tt.prepare(t, dir, location, path)
			checked := location
			if stateOpt != "" {
				checked = stateOpt
			}
			before := snapshot(t, checked)
			r := &recorder{}
			res, err := ops.ApplyPlanFile(context.Background(), ops.Loader{}, ops.PlanFileOptions{Path: path, State: stateOpt}, r)
			after := snapshot(t, checked)
			if tt.want == "" {
				if err != nil {
					t.Fatalf("apply: %v", err)
				}
				if res.Applied == nil || !res.Applied.Changed || after.Serial != before.Serial+1 || res.Serial != after.Serial {
					t.Errorf("applied %+v, serial %d → %d (result %d): want the plan applied", res.Applied, before.Serial, after.Serial, res.Serial)
				}
				if got := res.Planned.Plan.Summary; got.Change != 1 || got.Add+got.Remove != 0 {
					t.Errorf("applied %+v, want the one change of the plan", got)
				}
				if r.confirms != 0 || len(r.reloaded) != 0 {
					t.Errorf("%d confirmations, %d revisions reloaded: a saved plan from a directory asks nothing", r.confirms, len(r.reloaded))
				}
				return
			}
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Fatalf("error %v: want %q", err, tt.want)
			}
			if tt.wantIs != nil && !errors.Is(err, tt.wantIs) {
				t.Errorf("error %v: want it to be %v", err, tt.wantIs)
			}
			if res != nil && res.Applied != nil {
				t.Errorf("applied %+v although refused", res.Applied)
			}
			if after.Serial != before.Serial || after.Definitions["schedule.nightly"].Hash != before.Definitions["schedule.nightly"].Hash {
				t.Errorf("the state changed (serial %d → %d) although the plan was refused", before.Serial, after.Serial)
			}
		})
	}
}
