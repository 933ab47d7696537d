package synchronization_test

import (
	"database/sql"
	"path/filepath"
	"strings"
	"testing"

	"github.com/syncline/syncline/state"
)

// changedHR: Bob's family name changes, Carol leaves, Alice's row is gone,
// Erin joins.
const changedHR = `emp_id,login,first_name,last_name,email,state
e2,bob,Bob,Brown,bob@hr.example,active
e3,carol,Carol,Cooper,carol@hr.example,terminated
e4,dave,Dave,Dawson,dave@hr.example,terminated
e5,erin,Erin,Evans,erin@hr.example,active
`

var changedHRChanges = []string{
	"account create erin app/erin email:[]→[erin@hr.example] full_name:[]→[Erin Evans] login:[]→[erin]",
	"account delete alice app/alice",
	"account delete carol app/carol",
	"account modify bob app/bob full_name:[Bob Baker]→[Bob Brown]",
	"user add erin email:[]→[erin@hr.example] employee_number:[]→[e5] family_name:[]→[Evans] given_name:[]→[Erin] name:[]→[erin] status:[]→[active]",
	"user disable alice status:[active]→[disabled]",
	"user disable carol status:[active]→[disabled]",
	"user modify bob family_name:[Baker]→[Brown]",
	"user unlink alice",
}

func TestReconciliationFollowsTheSource(t *testing.T) {
	t.Parallel()
	b := hrToApp(t)
	mustSucceed(t, b.run(t, "hr-import", ""))
	b.write(t, map[string]string{"hr.csv": changedHR})

	run := b.run(t, "hr-reconcile", "")
	mustSucceed(t, run)
	if d := diffLines(changedHRChanges, b.changes(t, run.ID)); d != "" {
		t.Errorf("changes:\n%s", d)
	}
	want := []string{
		"login=bob full_name=Bob Brown email=bob@hr.example",
		"login=erin full_name=Erin Evans email=erin@hr.example",
	}
	if d := diffLines(want, sqliteRows(t, filepath.Join(b.dir, "app.db"), "SELECT login, full_name, email FROM accounts")); d != "" {
		t.Errorf("accounts:\n%s", d)
	}
	if u := b.user(t, "alice"); u == nil || u.Status != state.UserDisabled {
		t.Errorf("alice = %+v, want disabled", u)
	}
	stages := run.Activities[0].Stages
	if len(stages) != 3 || stages[2].Name != "remaining_shadows" || stages[2].Statistics["situation.deleted"] != 1 {
		t.Errorf("stages: %+v", stages)
	}

	// Nothing changed since: a second reconciliation is a no-op.
	before := b.dump(t)
	again := b.run(t, "hr-reconcile", "")
	mustSucceed(t, again)
	if cs := b.changes(t, again.ID); len(cs) != 0 {
		t.Errorf("second reconciliation changed %v", cs)
	}
	if after := b.dump(t); after != before {
		t.Errorf("second reconciliation wrote to the repository:\n%s\n---\n%s", before, after)
	}
}

func TestPreviewWritesNothing(t *testing.T) {
	t.Parallel()
	b := hrToApp(t)
	mustSucceed(t, b.run(t, "hr-import", ""))
	b.write(t, map[string]string{"hr.csv": changedHR})
	app := filepath.Join(b.dir, "app.db")
	before, appBefore := b.dump(t), fileBytes(t, app)

	run := b.run(t, "hr-reconcile", "preview")
	mustSucceed(t, run)
	if after := b.dump(t); after != before {
		t.Errorf("preview wrote to the repository:\n%s\n---\n%s", before, after)
	}
	if fileBytes(t, app) != appBefore {
		t.Error("preview wrote to the application table")
	}
	// Preview tells what a full run would do, except what only follows
	// from earlier changes of the same run.
	if d := diffLines(changedHRChanges, b.changes(t, run.ID)); d != "" {
		t.Errorf("preview changes:\n%s", d)
	}

	full := b.run(t, "hr-reconcile", "full")
	mustSucceed(t, full)
	if d := diffLines(changedHRChanges, b.changes(t, full.ID)); d != "" {
		t.Errorf("the full run did other than the preview said:\n%s", d)
	}
}

func TestDryRunReportsSituationsOnly(t *testing.T) {
	t.Parallel()
	b := hrToApp(t)
	mustSucceed(t, b.run(t, "hr-import", ""))
	b.write(t, map[string]string{"hr.csv": changedHR})
	before := b.dump(t)
	run := b.run(t, "hr-reconcile", "dry_run")
	mustSucceed(t, run)
	stats := run.Activities[0].Statistics
	// bob and carol changed (linked), dave unchanged (linked), erin is new,
	// alice is gone.
	for name, want := range map[string]int64{"situation.linked": 3, "situation.unmatched": 1, "situation.deleted": 1} {
		if stats[name] != want {
			t.Errorf("%s = %d, want %d\n%s", name, stats[name], want, describe(run))
		}
	}
	if b.dump(t) != before {
		t.Error("dry_run wrote to the repository")
	}
	if cs := b.changes(t, run.ID); len(cs) != 0 {
		t.Errorf("dry_run recorded changes: %v", cs)
	}
}

func TestTargetReconciliationRepairsDrift(t *testing.T) {
	t.Parallel()
	b := hrToApp(t)
	mustSucceed(t, b.run(t, "hr-import", ""))
	db, err := sql.Open("sqlite", filepath.Join(b.dir, "app.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	for _, q := range []string{
		`UPDATE accounts SET email = 'bob@evil.example' WHERE login = 'bob'`,
		`INSERT INTO accounts (login, full_name, email) VALUES ('mallory', 'Mallory', 'm@evil.example')`,
		`DELETE FROM accounts WHERE login = 'carol'`,
	} {
		if _, err := db.Exec(q); err != nil {
			t.Fatal(err)
		}
	}
	run := b.run(t, "app-reconcile", "")
	mustSucceed(t, run)
	want := []string{
		"account create carol app/carol email:[]→[carol@hr.example] full_name:[]→[Carol Cooper] login:[]→[carol]",
		"account delete  app/mallory",
		"account modify bob app/bob email:[bob@evil.example]→[bob@hr.example]",
		"user unlink carol",
	}
	if d := diffLines(want, b.changes(t, run.ID)); d != "" {
		t.Errorf("changes:\n%s\n%s", d, describe(run))
	}
	wantRows := []string{
		"login=alice full_name=Alice Archer email=alice@hr.example",
		"login=bob full_name=Bob Baker email=bob@hr.example",
		"login=carol full_name=Carol Cooper email=carol@hr.example",
	}
	if d := diffLines(wantRows, queryRows(t, db, "SELECT login, full_name, email FROM accounts")); d != "" {
		t.Errorf("accounts:\n%s", d)
	}
	again := b.run(t, "app-reconcile", "")
	mustSucceed(t, again)
	if cs := b.changes(t, again.ID); len(cs) != 0 {
		t.Errorf("second reconciliation changed %v\n%s", cs, describe(again))
	}
}

func TestRecomputeAppliesChangedOutboundMappings(t *testing.T) {
	t.Parallel()
	b := hrToApp(t)
	mustSucceed(t, b.run(t, "hr-import", ""))
	b.write(t, map[string]string{"main.hcl": hrResource("") +
		strings.Replace(appResource(sqliteApp, ""), `full_name = "${user.given_name} ${user.family_name}"`, `full_name = upper(user.family_name)`, 1) +
		tasks("")})
	b.apply(t)
	run := b.run(t, "recompute", "")
	mustSucceed(t, run)
	want := []string{
		"account modify alice app/alice full_name:[Alice Archer]→[ARCHER]",
		"account modify bob app/bob full_name:[Bob Baker]→[BAKER]",
		"account modify carol app/carol full_name:[Carol Cooper]→[COOPER]",
	}
	if d := diffLines(want, b.changes(t, run.ID)); d != "" {
		t.Errorf("changes:\n%s\n%s", d, describe(run))
	}
}
