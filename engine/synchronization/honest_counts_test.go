package synchronization_test

import (
	"database/sql"
	"path/filepath"
	"strings"
	"testing"

	"github.com/syncline/syncline/state"
)

// TestCountsComeFromWhatWasDone: an import that provisions to a table
// that does not exist adds its users but creates no account — the
// statistics say 0 created and 3 failed, and the run's changes list each
// account as failed with the resource's reason. Once the table exists, a
// reconciliation carries out the queued creates and counts and lists them
// as its own changes, named by their owners.
func TestCountsComeFromWhatWasDone(t *testing.T) {
	t.Parallel()
	noTable := strings.Replace(appResource(sqliteApp, ""), "create_table = true", "create_table = false", 1)
	b := setup(t, map[string]string{"hr.csv": hrCSV, "main.hcl": hrResource("") + noTable + tasks("")})
	app := filepath.Join(b.dir, "app.db")
	b.write(t, map[string]string{"app.db": ""}) // a database without the table

	run := b.run(t, "hr-import", "")
	if run.State != state.RunPartial {
		t.Fatalf("import %s, want partial\n%s", run.State, describe(run))
	}
	for name, want := range map[string]int64{"users.add": 4, "accounts.create": 0, "operations.create": 0, "accounts.failed": 3} {
		if got := stat(run, name); got != want {
			t.Errorf("%s = %d, want %d\n%s", name, got, want, describe(run))
		}
	}
	cs, _, err := b.store.RunChanges(b.ctx, run.ID, 0, 100)
	if err != nil {
		t.Fatal(err)
	}
	failed := 0
	for _, c := range cs {
		if c.Object != "account" {
			continue
		}
		if c.Op != "create" || c.Error == "" || !strings.Contains(c.Error, "accounts") {
			t.Errorf("account change %+v, want a failed create naming the missing table", c)
		}
		failed++
	}
	if failed != 3 {
		t.Errorf("%d account changes, want 3 failed creates", failed)
	}

	sqliteExec(t, app, "CREATE TABLE accounts (login TEXT PRIMARY KEY, full_name TEXT, email TEXT)")
	again := b.run(t, "app-reconcile", "")
	mustSucceed(t, again)
	for name, want := range map[string]int64{"accounts.create": 3, "operations.create": 3} {
		if got := stat(again, name); got != want {
			t.Errorf("reconciliation: %s = %d, want %d\n%s", name, got, want, describe(again))
		}
	}
	want := []string{
		"account create alice app/alice email:[]→[alice@hr.example] full_name:[]→[Alice Archer] login:[]→[alice]",
		"account create bob app/bob email:[]→[bob@hr.example] full_name:[]→[Bob Baker] login:[]→[bob]",
		"account create carol app/carol email:[]→[carol@hr.example] full_name:[]→[Carol Cooper] login:[]→[carol]",
	}
	if d := diffLines(want, b.changes(t, again.ID)); d != "" {
		t.Errorf("reconciliation's changes:\n%s", d)
	}
	if rows := sqliteRows(t, app, "SELECT login FROM accounts"); len(rows) != 3 {
		t.Errorf("rows %v, want 3", rows)
	}
}

// sqliteExec runs one statement on a SQLite file.
func sqliteExec(t testing.TB, path, stmt string) {
	t.Helper()
	db, err := sql.Open("sqlite", path)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	if _, err := db.Exec(stmt); err != nil {
		t.Fatal(err)
	}
}
