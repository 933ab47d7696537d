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
