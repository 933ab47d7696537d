package state

import (
	"errors"
	"path/filepath"
	"strings"
	"testing"

	"github.com/syncline/syncline/state/statetest"
)

// populate fills the bundle's store with a row in every table.
func (b *bundle) populate(t *testing.T) {
	t.Helper()
	b.applyNotifying(t, `["failed"]`)
	b.applyTasks(t, "hr-import")
	id := b.endRun(t, RunFailed)
	if _, err := b.store.BucketsStart(b.ctx, id, "import", 2); err != nil {
		t.Fatal(err)
	}
	b.enqueue(t, Run{Task: "hr-import", Mode: "full"})
	if err := b.store.UserIndexEnsure(b.ctx, []string{"mail"}); err != nil {
		t.Fatal(err)
	}
	users := b.addUsers(t, newUser("alice", map[string]string{"mail": "a@x"}), newUser("bob", map[string]string{"mail": "b@x"}))
	b.repo(t, func(r *RepositoryTx) error {
		sh := shadow("ldap", "alice")
		sh.Owner = users[0]
		if err := r.PutShadow(sh); err != nil {
			return err
		}
		if err := r.AddRunChanges(id, []RunChange{{Activity: "import", Object: "user", Op: "add", User: "alice"}}); err != nil {
			return err
		}
		return r.PutSyncToken(SyncToken{Task: "hr-import", Activity: "live", Resource: "ldap", Kind: "account",
			Intent: "default", Token: "t-1", RunID: id}, 3)
	})
	if err := b.store.SyncRecordFailure(b.ctx, SyncFailure{Repository: "r", Branch: "main", Revision: "abc", Error: "boom"}); err != nil {
		t.Fatal(err)
	}
	if err := b.store.SyncRecordPlan(b.ctx, SyncPlan{Repository: "r", Branch: "main", Revision: "def", Serial: 1,
		Changes: []byte(`[{"address":"task.hr-import","action":"update"}]`)}); err != nil {
		t.Fatal(err)
	}
	if _, err := b.store.LockAcquire(b.ctx, "apply", 0); err != nil {
		t.Fatal(err)
	}
}

// otherLocation is a new store's location on the other engine than this
// pass's: PostgreSQL on the SQLite pass (skipping when unreachable), a
// file on the PostgreSQL pass.
func otherLocation(t *testing.T) string {
	t.Helper()
	if testBackend == dialectPostgres {
		return filepath.Join(t.TempDir(), "copy.db")
	}
	return statetest.Location(t)
}

// dumpData is dumpStore without schema_migrations, whose times are each
// store's own.
func dumpData(t *testing.T, s *Store) string {
	t.Helper()
	d := dumpStore(t, s)
	start := strings.Index(d, "== schema_migrations\n")
	end := strings.Index(d[start+1:], "== ")
	return d[:start] + d[start+1+end:]
}

// TestCopyRoundTrip copies a store to the other engine and back, and
// finds every row as it was; the copy goes on numbering runs after the
// copied ones.
func TestCopyRoundTrip(t *testing.T) {
	t.Parallel()
	b := setup(t)
	b.populate(t)
	before := dumpData(t, b.store)

	there := otherLocation(t)
	report, err := b.store.CopyTo(b.ctx, there)
	if err != nil {
		t.Fatal(err)
	}
	if len(report.Tables) != len(copyTables) {
		t.Fatalf("report has %d tables", len(report.Tables))
	}
	for _, tb := range report.Tables {
		if tb.Rows == 0 && tb.Name != "user_indexed_attributes" {
			t.Errorf("table %s: no rows copied; populate should fill it", tb.Name)
		}
	}
	copied := b.openAt(t, there)
	if got, want := copied.snapshotOf(t), b.snapshot(t); got.Lineage != want.Lineage || got.Serial != want.Serial {
		t.Errorf("copy has lineage %s serial %d, want %s %d", got.Lineage, got.Serial, want.Lineage, want.Serial)
	}
	back := newLocation(t)
	if _, err := copied.CopyTo(b.ctx, back); err != nil {
		t.Fatal(err)
	}
	if after := dumpData(t, b.openAt(t, back)); after != before {
		t.Errorf("after a round trip:\n%s\nwant:\n%s", after, before)
	}

	r, err := copied.RunEnqueue(b.ctx, Run{Task: "hr-import", Mode: "full", Trigger: TriggerManual})
	if err != nil {
		t.Fatal(err)
	}
	if r.ID != 3 {
		t.Errorf("the copy's next run has ID %d, want 3", r.ID)
	}
}

// TestCopyRefusesNonEmptyTarget: a target with a lineage is refused and
// left as it was.
func TestCopyRefusesNonEmptyTarget(t *testing.T) {
	t.Parallel()
	b := setup(t)
	b.populate(t)
	there := otherLocation(t)
	target := b.openAt(t, there)
	if _, _, err := target.Init(b.ctx); err != nil {
		t.Fatal(err)
	}
	before := dumpData(t, target)
	_, err := b.store.CopyTo(b.ctx, there)
	var notEmpty *NotEmptyError
	if !errors.As(err, &notEmpty) || notEmpty.Table != "meta" {
		t.Fatalf("err = %v; want a NotEmptyError for meta", err)
	}
	if after := dumpData(t, target); after != before {
		t.Errorf("the refused target changed:\n%s\nwas:\n%s", after, before)
	}
}

// openAt opens another store with the bundle's clock, closed when t ends.
func (b *bundle) openAt(t *testing.T, location string) *Store {
	t.Helper()
	s, err := Open(b.ctx, location, Options{Clock: b.clock})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = s.Close() })
	return s
}

func (s *Store) snapshotOf(t *testing.T) *Snapshot {
	t.Helper()
	snap, err := s.Snapshot(t.Context())
	if err != nil {
		t.Fatal(err)
	}
	return snap
}
