package state

import (
	"fmt"
	"testing"
)

// TestSyncPlans: the same plan seen again moves the newest row's LastAt;
// another revision, serial or change list adds a row; only the newest
// keptSyncPlans stay.
func TestSyncPlans(t *testing.T) {
	t.Parallel()
	b := setup(t)
	plan := func(rev string, serial int64, changes string) {
		t.Helper()
		p := SyncPlan{Repository: "/srv/iam.git", Branch: "main", Revision: rev, Serial: serial, Changes: []byte(changes)}
		if err := b.store.SyncRecordPlan(b.ctx, p); err != nil {
			t.Fatal(err)
		}
		b.clock.Advance(1)
	}
	one := `[{"address":"task.a","action":"create"}]`
	plan("aaa", 1, one)
	plan("aaa", 1, one)
	plan("aaa", 2, one) // another serial: the state moved
	plan("bbb", 2, "")  // no change list: an empty one
	got, err := b.store.SyncPlans(b.ctx, 0)
	if err != nil {
		t.Fatal(err)
	}
	want := []string{"bbb 2 []", "aaa 2 " + one, "aaa 1 " + one}
	if len(got) != len(want) {
		t.Fatalf("%d plans, want %d: %+v", len(got), len(want), got)
	}
	for i, p := range got {
		if s := fmt.Sprintf("%s %d %s", p.Revision, p.Serial, p.Changes); s != want[i] {
			t.Errorf("plan %d = %s, want %s", i, s, want[i])
		}
	}
	if !got[2].LastAt.After(got[2].FirstAt) {
		t.Errorf("a plan seen again keeps its first time: %v .. %v", got[2].FirstAt, got[2].LastAt)
	}
	for i := range keptSyncPlans + 3 {
		plan(fmt.Sprintf("r%d", i), 3, one)
	}
	all, err := b.store.SyncPlans(b.ctx, 1)
	if err != nil {
		t.Fatal(err)
	}
	kept, err := b.store.SyncPlans(b.ctx, 0)
	if err != nil {
		t.Fatal(err)
	}
	if len(kept) != keptSyncPlans || len(all) != 1 || all[0].Revision != fmt.Sprintf("r%d", keptSyncPlans+2) {
		t.Errorf("kept %d plans, newest %+v", len(kept), all)
	}
}
