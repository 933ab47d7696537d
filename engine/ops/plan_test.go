package ops_test

import (
	"context"
	"path/filepath"
	"reflect"
	"testing"
	"time"

	"github.com/syncline/syncline/engine/ops"
	"github.com/syncline/syncline/internal/clock"
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
