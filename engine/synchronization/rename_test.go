package synchronization_test

import (
	"path/filepath"
	"strings"
	"testing"
)

// TestRenameFollowsTheLogin: a login changed at the source renames the
// user and their account on the target — the same row, its other columns
// kept — recorded as one rename change; a second import changes nothing.
func TestRenameFollowsTheLogin(t *testing.T) {
	t.Parallel()
	b := hrToApp(t)
	mustSucceed(t, b.run(t, "hr-import", ""))
	app := filepath.Join(b.dir, "app.db")

	b.write(t, map[string]string{"hr.csv": strings.Replace(hrCSV, "e2,bob,Bob,Baker", "e2,robert,Bob,Baker", 1)})
	run := b.run(t, "hr-import", "")
	mustSucceed(t, run)
	if got := stat(run, "accounts.rename"); got != 1 {
		t.Errorf("accounts.rename = %d, want 1\n%s", got, describe(run))
	}
	changes := strings.Join(b.changes(t, run.ID), "\n")
	if !strings.Contains(changes, "account rename robert app/bob") {
		t.Errorf("changes:\n%s\nwant an account rename of app/bob", changes)
	}
	want := []string{
		"login=alice full_name=Alice Archer email=alice@hr.example",
		"login=carol full_name=Carol Cooper email=carol@hr.example",
		"login=robert full_name=Bob Baker email=bob@hr.example",
	}
	if d := diffLines(want, sqliteRows(t, app, "SELECT login, full_name, email FROM accounts")); d != "" {
		t.Errorf("accounts:\n%s", d)
	}

	again := b.run(t, "app-reconcile", "")
	mustSucceed(t, again)
	if cs := b.changes(t, again.ID); len(cs) != 0 {
		t.Errorf("a reconciliation after the rename changed %v\n%s", cs, describe(again))
	}
}

// TestRenameCollisionIsReportedUntilResolved: a rename onto an identifier
// the target already holds fails, is the account's error, and is reported
// again by every run that reaches the account — the changes queued after
// it wait — until the other row is gone; then it is carried out.
func TestRenameCollisionIsReportedUntilResolved(t *testing.T) {
	t.Parallel()
	b := hrToApp(t)
	mustSucceed(t, b.run(t, "hr-import", ""))
	app := filepath.Join(b.dir, "app.db")
	sqliteExec(t, app, "INSERT INTO accounts (login, full_name, email) VALUES ('rob', 'Someone Else', 'rob@x')")

	renamed := strings.Replace(hrCSV, "e2,bob,Bob,Baker,bob@hr.example", "e2,rob,Bob,Baker,bob@hr.example", 1)
	b.write(t, map[string]string{"hr.csv": renamed})
	first := b.run(t, "hr-import", "")
	if !strings.Contains(describe(first), "app/bob: rename:") || !strings.Contains(describe(first), "already in use") {
		t.Errorf("first run: want the rename's collision as an error\n%s", describe(first))
	}

	// A later change of the same person: the update waits behind the
	// failed rename, and the run says so.
	b.write(t, map[string]string{"hr.csv": strings.Replace(renamed, "bob@hr.example", "rob@hr.example", 1)})
	second := b.run(t, "hr-import", "")
	if !strings.Contains(describe(second), "update waits: the rename before it failed 1 time") {
		t.Errorf("second run: want the waiting update reported\n%s", describe(second))
	}
	rec := b.run(t, "app-reconcile", "")
	if !strings.Contains(describe(rec), "app/bob: rename:") {
		t.Errorf("reconciliation: want the collision reported again\n%s", describe(rec))
	}
	if rows := sqliteRows(t, app, "SELECT login, email FROM accounts WHERE login IN ('bob', 'rob')"); len(rows) != 2 ||
		!strings.Contains(strings.Join(rows, " "), "login=rob email=rob@x") {
		t.Errorf("rows %v: want bob untouched and the other rob untouched", rows)
	}

	sqliteExec(t, app, "DELETE FROM accounts WHERE login = 'rob'")
	done := b.run(t, "app-reconcile", "")
	mustSucceed(t, done)
	want := []string{"login=rob email=rob@hr.example"}
	if d := diffLines(want, sqliteRows(t, app, "SELECT login, email FROM accounts WHERE login IN ('bob', 'rob')")); d != "" {
		t.Errorf("after the other row left:\n%s\n%s", d, describe(done))
	}
}
