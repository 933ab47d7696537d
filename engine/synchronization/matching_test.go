package synchronization_test

import (
	"database/sql"
	"path/filepath"
	"testing"
)

// A table whose key ignores case holds "ALICE"; syncline must match it to
// alice's account the way the database does, never create a second one.
func TestIdentifiersMatchAsTheResourceDoes(t *testing.T) {
	t.Parallel()
	b := hrToApp(t)
	path := filepath.Join(b.dir, "app.db")
	db, err := sql.Open("sqlite", path)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	for _, q := range []string{
		`CREATE TABLE accounts (login TEXT PRIMARY KEY COLLATE NOCASE, full_name TEXT, email TEXT)`,
		`INSERT INTO accounts VALUES ('ALICE', 'Old Name', 'old@example')`,
	} {
		if _, err := db.Exec(q); err != nil {
			t.Fatal(err)
		}
	}
	mustSucceed(t, b.run(t, "hr-import", ""))
	rows := queryRows(t, db, "SELECT login, full_name, email FROM accounts")
	want := []string{
		"login=ALICE full_name=Alice Archer email=alice@hr.example",
		"login=bob full_name=Bob Baker email=bob@hr.example",
		"login=carol full_name=Carol Cooper email=carol@hr.example",
	}
	if d := diffLines(want, rows); d != "" {
		t.Fatalf("accounts:\n%s", d)
	}
	run := b.run(t, "app-reconcile", "")
	mustSucceed(t, run)
	if cs := b.changes(t, run.ID); len(cs) != 0 {
		t.Errorf("reconciliation found differences: %v\n%s", cs, describe(run))
	}
	if got := stat(run, "situation.linked"); got != 3 {
		t.Errorf("situation.linked = %d, want 3\n%s", got, describe(run))
	}
}
