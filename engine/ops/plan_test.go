package ops_test

import (
	"context"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/syncline/syncline/config"
	"github.com/syncline/syncline/engine/ops"
	"github.com/syncline/syncline/internal/clock"
	"github.com/syncline/syncline/planner"
	"github.com/syncline/syncline/state"
)

// PlanAgainst, which lets unchanged stored definitions share the desired
// specs, plans exactly what PlanConfig plans against a snapshot read whole.
func TestPlanAgainstEqualsPlanConfig(t *testing.T) {
	t.Parallel()
	dir, location := t.TempDir(), filepath.Join(t.TempDir(), "state.db")
	writeConfig(t, dir, mainHCL("0 2 * * *"))
	applyDir(t, dir, location)
	writeConfig(t, dir, withoutHR(t, "0 3 * * *"))
	l := load(t, dir, ops.Quiet{})
	l.Clock = clock.NewFake(time.Date(2026, 12, 4, 9, 0, 0, 0, time.UTC)) // both plans are made at one time

	got, err := ops.PlanAgainst(context.Background(), l, location, false)
	if err != nil {
		t.Fatal(err)
	}
	snap, runtime, err := ops.ReadSnapshot(context.Background(), location)
	if err != nil {
		t.Fatal(err)
	}
	want, err := ops.PlanConfig(l, snap, runtime, false)
	if err != nil {
		t.Fatal(err)
	}
	if len(got.Plan.Changes) != 2 {
		t.Errorf("%d changes, want the schedule updated and the resource removed", len(got.Plan.Changes))
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("PlanAgainst = %+v\nPlanConfig = %+v", got.Plan, want.Plan)
	}
}

// A plan's Applied are the stored resource definitions, those whose spec
// it shares with the desired ones and those it decoded alike, and the
// impact evaluated from them is the one evaluated from a read of the state.
func TestPlanAppliedAreTheStoredResources(t *testing.T) {
	t.Parallel()
	dir, location := t.TempDir(), filepath.Join(t.TempDir(), "state.db")
	crm := strings.ReplaceAll(strings.ReplaceAll(mainHCL("0 2 * * *"), `resource "hr"`, `resource "crm"`), "hr.csv", "crm.csv")
	crm = crm[strings.Index(crm, `resource "crm"`):strings.Index(crm, `task "keep"`)]
	writeConfig(t, dir, mainHCL("0 2 * * *")+crm)
	applyDir(t, dir, location)
	writeConfig(t, dir, strings.ReplaceAll(mainHCL("0 2 * * *"), "hr.csv", "hr2.csv")+crm)
	l := load(t, dir, ops.Quiet{})
	ctx := context.Background()

	pl, err := ops.PlanAgainst(ctx, l, location, false)
	if err != nil {
		t.Fatal(err)
	}
	if len(pl.Plan.Changes) != 1 {
		t.Errorf("%d changes, want resource.hr's updated", len(pl.Plan.Changes))
	}
	st, err := state.Open(ctx, location, state.Options{ReadOnly: true})
	if err != nil {
		t.Fatal(err)
	}
	stored, err := st.DefinitionsOfKind(ctx, config.KindResource)
	st.Close()
	if err != nil {
		t.Fatal(err)
	}
	if len(stored) != 2 || !reflect.DeepEqual(pl.Applied, stored) {
		t.Errorf("Planned.Applied = %v\nstored = %v", pl.Applied, stored)
	}

	addShadow(t, location)
	read := &planner.Plan{}
	if err := ops.AddImpact(ctx, read, l.Config, location, ops.ImpactOptions{}); err != nil {
		t.Fatal(err)
	}
	if err := ops.AddImpact(ctx, pl.Plan, l.Config, location, ops.ImpactOptions{Applied: pl.Applied}); err != nil {
		t.Fatal(err)
	}
	if read.Impact == nil || !reflect.DeepEqual(pl.Plan.Impact, read.Impact) {
		t.Errorf("impact from Applied = %+v\nimpact read = %+v", pl.Plan.Impact, read.Impact)
	}
}
