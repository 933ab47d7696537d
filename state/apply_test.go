package state

import (
	"encoding/json"
	"errors"
	"strings"
	"testing"
	"time"
)

func TestApplyUpsertsMovesAndDeletes(t *testing.T) {
	t.Parallel()
	b := setup(t)

	res := b.apply(t, ApplyRequest{Who: "alice", Revision: "r1",
		Upserts: []*Definition{def("resource", "hr", "h1"), def("task", "import", "h2")}})
	if !res.Changed || res.Serial != 1 || res.Lineage == "" {
		t.Fatalf("first apply = %+v", res)
	}
	snap := b.snapshot(t)
	hr := snap.Definitions["resource.hr"]
	if len(snap.Definitions) != 2 || hr == nil || hr.Revision != "r1" || !hr.UpdatedAt.Equal(b.clock.Now()) ||
		hr.Spec["description"] != `"hr h1"` {
		t.Fatalf("after first apply: %+v (resource.hr = %+v)", snap, hr)
	}

	b.clock.Advance(time.Hour)
	req := b.request(t)
	req.Moves = []Move{{From: "task.import", To: "task.hr-import"}}
	req.Upserts = []*Definition{def("resource", "hr", "h1-changed")}
	res = b.apply(t, req)
	if !res.Changed || res.Serial != 2 {
		t.Fatalf("second apply = %+v", res)
	}
	snap = b.snapshot(t)
	moved := snap.Definitions["task.hr-import"]
	if snap.Definitions["task.import"] != nil || moved == nil || moved.Name != "hr-import" || moved.Hash != "h2" {
		t.Fatalf("after move: %+v", snap.Definitions)
	}
	if got := snap.Definitions["resource.hr"]; got.Hash != "h1-changed" || !got.UpdatedAt.Equal(b.clock.Now()) {
		t.Fatalf("after update: resource.hr = %+v", got)
	}

	req = b.request(t)
	req.Deletes = []string{"task.hr-import"}
	if res = b.apply(t, req); !res.Changed || res.Serial != 3 {
		t.Fatalf("third apply = %+v", res)
	}
	if snap = b.snapshot(t); len(snap.Definitions) != 1 {
		t.Fatalf("after delete: %+v", snap.Definitions)
	}
}

func TestApplyWithoutChangeKeepsSerialAndHistory(t *testing.T) {
	t.Parallel()
	b := setup(t)
	first := def("task", "a", "h1")
	b.apply(t, ApplyRequest{Upserts: []*Definition{first}, Revision: "r1"})
	history, _ := b.store.ApplyHistory(b.ctx, 0)

	b.clock.Advance(time.Minute)
	same := def("task", "a", "h1")
	same.SourceFile, same.SourceLine = "moved.hcl", 42
	req := b.request(t)
	req.Revision = "r2"
	req.Upserts = []*Definition{same}
	res := b.apply(t, req)

	if res.Changed || res.Serial != 1 {
		t.Fatalf("no-op apply = %+v; want unchanged serial 1", res)
	}
	got := b.snapshot(t).Definitions["task.a"]
	if got.SourceFile != "moved.hcl" || got.SourceLine != 42 {
		t.Errorf("source = %s:%d; want the new position stored", got.SourceFile, got.SourceLine)
	}
	if got.Revision != "r1" || got.UpdatedAt.Equal(b.clock.Now()) {
		t.Errorf("revision %q, updated %v; want those of the apply that changed it", got.Revision, got.UpdatedAt)
	}
	if after, _ := b.store.ApplyHistory(b.ctx, 0); len(after) != len(history) {
		t.Errorf("history grew from %d to %d records", len(history), len(after))
	}
}

func TestApplyRefusesConflicts(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name string
		edit func(*ApplyRequest)
		want string
	}{
		{"move from a missing address", func(r *ApplyRequest) {
			r.Moves = []Move{{From: "task.nope", To: "task.c"}}
		}, "cannot move task.nope: it is not in the state"},
		{"move onto a stored address", func(r *ApplyRequest) {
			r.Moves = []Move{{From: "task.a", To: "task.b"}}
		}, "cannot move task.a: task.b is already in the state"},
		{"delete a missing address", func(r *ApplyRequest) {
			r.Deletes = []string{"task.a", "task.nope"}
		}, "cannot delete task.nope: it is not in the state"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			b := setup(t)
			b.apply(t, ApplyRequest{Upserts: []*Definition{def("task", "a", "1"), def("task", "b", "2")}})
			before := b.dump(t)
			req := b.request(t)
			req.Upserts = []*Definition{def("task", "new", "3")}
			tt.edit(&req)

			_, err := b.store.Apply(b.ctx, req)

			var conflict *ConflictError
			if !errors.As(err, &conflict) || !strings.Contains(err.Error(), tt.want) {
				t.Fatalf("err = %v; want a ConflictError %q", err, tt.want)
			}
			if after := b.dump(t); after != before {
				t.Errorf("state changed:\n%s\nwas:\n%s", after, before)
			}
		})
	}
}

func TestApplyRefusesInvalidRequests(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name string
		req  ApplyRequest
		want string
	}{
		{"nil definition", ApplyRequest{Upserts: []*Definition{nil}}, "upsert 0 is nil"},
		{"no name", ApplyRequest{Upserts: []*Definition{def("task", "", "h")}}, "needs a kind and a name"},
		{"dotted kind", ApplyRequest{Upserts: []*Definition{def("task.x", "y", "h")}}, "contains a dot"},
		{"no hash", ApplyRequest{Upserts: []*Definition{def("task", "a", "")}}, "task.a has no hash"},
		{"upserted twice", ApplyRequest{Upserts: []*Definition{def("task", "a", "1"), def("task", "a", "2")}}, "upserted twice"},
		{"upserted and deleted", ApplyRequest{Upserts: []*Definition{def("task", "a", "1")}, Deletes: []string{"task.a"}}, "both upserted and deleted"},
		{"bad address", ApplyRequest{Deletes: []string{"task"}}, `"task" is not an address`},
		{"move across kinds", ApplyRequest{Moves: []Move{{From: "task.a", To: "schedule.a"}}}, "a move keeps the kind"},
		{"move onto itself", ApplyRequest{Moves: []Move{{From: "task.a", To: "task.a"}}}, "onto itself"},
		{"changes not JSON", ApplyRequest{Changes: json.RawMessage("{")}, "not valid JSON"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			b := setup(t)
			before := b.dump(t)
			_, err := b.store.Apply(b.ctx, tt.req)
			var invalid *InvalidRequestError
			if !errors.As(err, &invalid) || !strings.Contains(err.Error(), tt.want) {
				t.Fatalf("err = %v; want an InvalidRequestError %q", err, tt.want)
			}
			if after := b.dump(t); after != before {
				t.Errorf("state changed")
			}
		})
	}
}

func TestApplyChecksLineage(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name        string
		init        bool   // give the store a lineage first
		planLineage string // "{store}" is the store's lineage
		wantErr     bool
	}{
		{"new store, plan without lineage", false, "", false},
		{"new store, plan with a lineage", false, "4b1c0e9e-other", true},
		{"initialized store, plan without lineage", true, "", true},
		{"initialized store, other lineage", true, "4b1c0e9e-other", true},
		{"initialized store, same lineage", true, "{store}", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			b := setup(t)
			var stored string
			if tt.init {
				stored, _, _ = b.store.Init(b.ctx)
			}
			planLineage := strings.ReplaceAll(tt.planLineage, "{store}", stored)
			before := b.dump(t)

			res, err := b.store.Apply(b.ctx, ApplyRequest{Lineage: planLineage,
				Upserts: []*Definition{def("task", "a", "1")}})

			if !tt.wantErr {
				if err != nil || res.Lineage == "" || (stored != "" && res.Lineage != stored) {
					t.Fatalf("Apply = %+v, %v", res, err)
				}
				return
			}
			var mismatch *LineageMismatchError
			if !errors.As(err, &mismatch) || mismatch.PlanLineage != planLineage || mismatch.StateLineage != stored {
				t.Fatalf("err = %v; want a LineageMismatchError plan %q state %q", err, planLineage, stored)
			}
			if !strings.Contains(err.Error(), orNone(planLineage)) || !strings.Contains(err.Error(), orNone(stored)) {
				t.Errorf("err = %q; want it to name both lineages", err)
			}
			if b.dump(t) != before {
				t.Error("state changed")
			}
		})
	}
}

func TestApplyRefusesStalePlan(t *testing.T) {
	t.Parallel()
	b := setup(t)
	b.apply(t, ApplyRequest{Upserts: []*Definition{def("task", "a", "1")}})
	stale := b.request(t)
	next := b.request(t)
	next.Upserts = []*Definition{def("task", "a", "2")}
	b.apply(t, next)
	before := b.dump(t)

	stale.Upserts = []*Definition{def("task", "b", "1")}
	_, err := b.store.Apply(b.ctx, stale)

	var staleErr *StaleError
	if !errors.As(err, &staleErr) || staleErr.PlanSerial != 1 || staleErr.StateSerial != 2 {
		t.Fatalf("err = %v; want StaleError{1, 2}", err)
	}
	if !strings.Contains(err.Error(), "Run plan again") {
		t.Errorf("err = %q; want a hint", err)
	}
	if b.dump(t) != before {
		t.Error("state changed")
	}
}
