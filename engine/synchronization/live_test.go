package synchronization_test

import (
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
