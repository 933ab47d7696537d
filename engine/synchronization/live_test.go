package synchronization_test

import (
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/syncline/syncline/state"
)

// attributeList is where a change's attribute list starts.
var attributeList = regexp.MustCompile(` [a-z_]+:\[`)

// liveTasks adds a live_sync task on hr to the scenario's tasks.
func liveTasks(extra string) string {
	return tasks("") + `
task "hr-live" {
  activity "live_sync" {
    resource   = resource.hr
    batch_size = 2
` + extra + `
  }
}
`
}

func token(t *testing.T, b *bundle) *state.SyncToken {
	t.Helper()
	tok, err := b.store.SyncToken(b.ctx, "hr-live", "live_sync", "hr", "account", "default")
	if err != nil {
		t.Fatal(err)
	}
	return tok
}

// TestLiveSyncFollowsTheExport: the first live sync starts from now (its
// token stored, nothing taken); the next takes what changed in the file
// since — a modification, a new person, a termination, a removed row —
// through the same situations and reactions as an import, provisioning
// included; preview takes them without moving the token; a run with
// nothing new changes nothing.
func TestLiveSyncFollowsTheExport(t *testing.T) {
	t.Parallel()
	b := setup(t, map[string]string{"hr.csv": hrCSV, "main.hcl": hrResource("") + appResource(sqliteApp, "") + liveTasks("")})
	mustSucceed(t, b.run(t, "hr-import", ""))
	first := b.run(t, "hr-live", "")
	mustSucceed(t, first)
	tok := token(t, b)
	if tok == nil || tok.Token == "" || first.Activities[0].Output["start"] != "changes from now" {
		t.Fatalf("first live sync: token %+v, output %v", tok, first.Activities[0].Output)
	}
	changed := strings.NewReplacer(
		"e1,alice,Alice,Archer,alice@hr.example,active", "e1,alice,Alice,Archer,alice@new.example,active",
		"e3,carol,Carol,Cooper,carol@hr.example,active\n", "",
		"e2,bob,Bob,Baker,bob@hr.example,active", "e2,bob,Bob,Baker,bob@hr.example,terminated",
	).Replace(hrCSV) + "e5,erin,Erin,Evans,erin@hr.example,active\n"
	b.write(t, map[string]string{"hr.csv": changed})

	preview := b.run(t, "hr-live", "preview")
	mustSucceed(t, preview)
	if got := token(t, b); got.Token != tok.Token {
		t.Errorf("preview moved the token: %+v", got)
	}
	if len(b.changes(t, preview.ID)) == 0 {
		t.Errorf("preview recorded no would-be change\n%s", describe(preview))
	}

	run := b.run(t, "hr-live", "")
	mustSucceed(t, run)
	want := []string{
		"account create erin app/erin",
		"account delete bob app/bob",
		"account delete carol app/carol",
		"account modify alice app/alice",
		"user add erin",
		"user disable bob",
		"user disable carol",
		"user modify alice",
		"user unlink carol", // its row is gone: deleted situation
	}
	got := b.changes(t, run.ID)
	for i := range got {
		if loc := attributeList.FindStringIndex(got[i]); loc != nil {
			got[i] = got[i][:loc[0]] // the attribute lists are what imports test
		}
	}
	if d := diffLines(want, got); d != "" {
		t.Errorf("changes:\n%s\n%s", d, describe(run))
	}
	moved := token(t, b)
	if moved.Token == tok.Token || moved.RunID != run.ID || moved.Changes != 4 {
		t.Errorf("token after the run: %+v (before %+v)", moved, tok)
	}
	if out := run.Activities[0].Output; out["changes"] != "4" || out["token_from"] == "" {
		t.Errorf("output %v", out)
	}
	again := b.run(t, "hr-live", "")
	mustSucceed(t, again)
	if cs := b.changes(t, again.ID); len(cs) != 0 {
		t.Errorf("a live sync with nothing new changed %v", cs)
	}
}

// TestLiveSyncStartsWithAFullPass: start = "full" synchronizes every
// object first.
func TestLiveSyncStartsWithAFullPass(t *testing.T) {
	t.Parallel()
	b := setup(t, map[string]string{"hr.csv": hrCSV, "main.hcl": hrResource("") + appResource(sqliteApp, "") + liveTasks(`start = "full"`)})
	run := b.run(t, "hr-live", "")
	mustSucceed(t, run)
	if n := len(b.users(t)); n != 4 {
		t.Errorf("%d users after the full start, want 4\n%s", n, describe(run))
	}
	if token(t, b) == nil {
		t.Error("no token after the full start")
	}
}

// TestLiveSyncFromATable: a sql resource tells its changes by its
// change_column; rows inserted and updated since the token are taken,
// nothing else.
func TestLiveSyncFromATable(t *testing.T) {
	t.Parallel()
	b := setup(t, map[string]string{"main.hcl": sqlSource + `
task "src-live" {
  activity "live_sync" {
    resource = resource.src
  }
}
`})
	db := filepath.Join(b.dir, "src.db")
	sqliteExec(t, db, `CREATE TABLE people (emp_id TEXT PRIMARY KEY, login TEXT, email TEXT, seq INTEGER NOT NULL);
INSERT INTO people VALUES ('e1', 'alice', 'alice@old.example', 1), ('e2', 'bob', 'bob@old.example', 2)`)
	mustSucceed(t, b.run(t, "src-live", "")) // starts from now: nothing taken
	if n := len(b.users(t)); n != 0 {
		t.Fatalf("%d users after a start from now", n)
	}
	sqliteExec(t, db, `UPDATE people SET email = 'bob@new.example', seq = 3 WHERE emp_id = 'e2';
INSERT INTO people VALUES ('e3', 'carol', 'carol@example.com', 4)`)
	run := b.run(t, "src-live", "")
	mustSucceed(t, run)
	var names []string
	for _, u := range b.users(t) {
		names = append(names, strings.Fields(u)[0])
	}
	if strings.Join(names, ",") != "bob,carol" {
		t.Errorf("users %v, want the two rows changed since the start\n%s", b.users(t), describe(run))
	}
	if got := stat(run, "users.add"); got != 2 {
		t.Errorf("users.add = %d\n%s", got, describe(run))
	}
	again := b.run(t, "src-live", "")
	mustSucceed(t, again)
	if got := stat(again, "users.add") + stat(again, "users.modify"); got != 0 {
		t.Errorf("a run with nothing new changed %d users", got)
	}
}

// TestLiveSyncStoppedKeepsItsToken: a batch a threshold stops does not
// move the token, so the next run (the threshold raised) takes the
// changes again: those applied before the stop find their objects
// unchanged, the rest are applied.
func TestLiveSyncStoppedKeepsItsToken(t *testing.T) {
	t.Parallel()
	b := setup(t, map[string]string{"hr.csv": hrCSV, "main.hcl": hrResource("") + appResource(sqliteApp, "") + liveTasks("thresholds {\n max_creations = 2\n}")})
	mustSucceed(t, b.run(t, "hr-import", ""))
	mustSucceed(t, b.run(t, "hr-live", ""))
	before := token(t, b)
	b.write(t, map[string]string{"hr.csv": hrCSV + "e5,erin,Erin,Evans,erin@hr.example,active\ne6,frank,Frank,Ford,frank@hr.example,active\n"})
	stopped := b.run(t, "hr-live", "")
	if stopped.State != state.RunFailed || !strings.Contains(stopped.Error, "max_creations") {
		t.Fatalf("live sync past the threshold: %s %q\n%s", stopped.State, stopped.Error, describe(stopped))
	}
	if got := token(t, b); got.Token != before.Token {
		t.Errorf("the stopped run moved the token: %+v", got)
	}
	if n := len(b.users(t)); n != 5 {
		t.Errorf("%d users after the stop, want 5 (erin and her account are 2 creations)", n)
	}
	b.write(t, map[string]string{"main.hcl": hrResource("") + appResource(sqliteApp, "") + liveTasks("")})
	b.apply(t)
	again := b.run(t, "hr-live", "")
	mustSucceed(t, again)
	if n := len(b.users(t)); n != 6 {
		t.Errorf("%d users after the run again, want 6\n%s", n, describe(again))
	}
	if got := stat(again, "users.add"); got != 1 {
		t.Errorf("the run again added %d users, want frank only\n%s", got, describe(again))
	}
	if got := token(t, b); got.Token == before.Token {
		t.Error("the token did not move after the run again")
	}
}

// sqlSource is a sql resource whose changes its change_column tells (a
// sequence), people correlated by emp_id.
const sqlSource = `
resource "src" {
  connector = "sql"
  connection {
    driver             = "sqlite"
    dsn                = "src.db"
    table              = "people"
    key                = "emp_id"
    columns            = ["emp_id", "login", "email"]
    change_column      = "seq"
    change_column_type = "sequence"
  }
  object_type "account" {
    correlate {
      employee_number = attributes.emp_id
    }
    inbound {
      name            = attributes.login
      email           = attributes.email
      employee_number = attributes.emp_id
    }
    reactions {
      unmatched = "add_focus"
    }
  }
}
`
