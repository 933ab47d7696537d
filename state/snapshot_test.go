package state

import (
	"maps"
	"reflect"
	"testing"
)

// A held definition of the same hash lends the snapshot its spec; one of
// another hash, or none, leaves the stored spec to be decoded. Everything
// else comes from the store either way.
func TestSnapshotReusing(t *testing.T) {
	t.Parallel()
	b := setup(t)
	req := b.request(t)
	req.Upserts = []*Definition{def("task", "same", "h1"), def("task", "changed", "h2"), def("task", "alone", "h3")}
	b.apply(t, req)
	want := b.snapshot(t)

	held := map[string]*Definition{
		"task.same":    {Kind: "task", Name: "same", Hash: "h1", Spec: maps.Clone(want.Definitions["task.same"].Spec)},
		"task.changed": {Kind: "task", Name: "changed", Hash: "h9", Spec: map[string]string{"description": `"new"`}},
	}
	got, err := b.store.SnapshotReusing(b.ctx, held)
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(got, want) {
		t.Fatalf("SnapshotReusing = %+v, Snapshot = %+v", got, want)
	}
	if reflect.ValueOf(got.Definitions["task.same"].Spec).UnsafePointer() != reflect.ValueOf(held["task.same"].Spec).UnsafePointer() {
		t.Error("the unchanged definition's spec was decoded, not shared")
	}
	key, err := b.store.SecretKey(b.ctx)
	if err != nil || !reflect.DeepEqual(key, want.Key) {
		t.Errorf("SecretKey = %x, %v; the snapshot's is %x", key, err, want.Key)
	}
}

// SnapshotCounts is the snapshot without its definitions; DefinitionsOfKind
// is Definitions of one kind.
func TestSnapshotCountsAndDefinitionsOfKind(t *testing.T) {
	t.Parallel()
	b := setup(t)
	req := b.request(t)
	req.Upserts = []*Definition{def("task", "t1", "h1"), def("resource", "r1", "h2"), def("schedule", "s1", "h3")}
	b.apply(t, req)
	want := b.snapshot(t)

	counts, err := b.store.SnapshotCounts(b.ctx)
	if err != nil {
		t.Fatal(err)
	}
	want.Definitions = nil
	if !reflect.DeepEqual(counts, want) {
		t.Errorf("SnapshotCounts = %+v, want %+v", counts, want)
	}
	all, err := b.store.Definitions(b.ctx)
	if err != nil {
		t.Fatal(err)
	}
	resources, err := b.store.DefinitionsOfKind(b.ctx, "resource")
	if err != nil {
		t.Fatal(err)
	}
	if len(resources) != 1 || !reflect.DeepEqual(resources["resource.r1"], all["resource.r1"]) {
		t.Errorf("DefinitionsOfKind(resource) = %+v, want resource.r1 as Definitions reads it", resources)
	}
	if none, err := b.store.DefinitionsOfKind(b.ctx, "moved"); err != nil || len(none) != 0 {
		t.Errorf("DefinitionsOfKind(moved) = %+v, %v; want none", none, err)
	}
}
