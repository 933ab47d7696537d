package state

import (
	"fmt"
	"testing"
)

// TestSyncFailures: a failure seen again counts an attempt on the newest
// row; another one adds a row; only the newest keptSyncFailures stay.
func TestSyncFailures(t *testing.T) {
	t.Parallel()
	b := setup(t)
	fail := func(rev, msg string) {
		t.Helper()
		f := SyncFailure{Repository: "/srv/iam.git", Branch: "main", Revision: rev, Error: msg}
		if err := b.store.SyncRecordFailure(b.ctx, f); err != nil {
			t.Fatal(err)
		}
		b.clock.Advance(1)
	}
	fail("aaa", "main.hcl:3: syntax error")
	fail("aaa", "main.hcl:3: syntax error")
	fail("bbb", "main.hcl:1: nested too deep")
	fail("aaa", "main.hcl:3: syntax error") // not the newest: a new row
	got, err := b.store.SyncFailures(b.ctx, 0)
	if err != nil {
		t.Fatal(err)
	}
	want := []string{"aaa 1", "bbb 1", "aaa 2"}
	if len(got) != len(want) {
		t.Fatalf("%d failures, want %d: %+v", len(got), len(want), got)
	}
	for i, f := range got {
		if s := fmt.Sprintf("%s %d", f.Revision, f.Attempts); s != want[i] {
			t.Errorf("failure %d = %s, want %s", i, s, want[i])
		}
	}
	if !got[2].LastAt.After(got[2].FirstAt) {
		t.Errorf("a repeated failure keeps its first time: %v .. %v", got[2].FirstAt, got[2].LastAt)
	}

	for i := range keptSyncFailures + 5 {
		fail(fmt.Sprintf("r%d", i), "boom")
	}
	all, err := b.store.SyncFailures(b.ctx, 0)
	if err != nil {
		t.Fatal(err)
	}
	if len(all) != keptSyncFailures || all[0].Revision != fmt.Sprintf("r%d", keptSyncFailures+4) {
		t.Errorf("kept %d failures, newest %s", len(all), all[0].Revision)
	}
}
