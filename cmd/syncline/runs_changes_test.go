package main

import (
	"context"
	"encoding/json"
	"fmt"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/syncline/syncline/internal/clock"
	"github.com/syncline/syncline/internal/views"

	"github.com/syncline/syncline/state"
)

// storedRun is a finished run to store for runs show to read.
type storedRun struct {
	mode       string
	final      state.RunState
	activities []state.ActivityResult
	changes    []state.RunChange
}

// storeRun makes a state store in a temporary directory holding task
// hr-import and one finished run of it (run 1), with its changes, at a
// fixed clock; it returns the store's path.
func storeRun(t *testing.T, sr storedRun) string {
	t.Helper()
	ctx := context.Background()
	start := time.Date(2025, 3, 14, 2, 0, 0, 0, time.UTC)
	path := filepath.Join(t.TempDir(), "state.db")
	st, err := state.Open(ctx, path, state.Options{Clock: clock.NewFake(start)})
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	lineage, _, err := st.Init(ctx)
	if err != nil {
		t.Fatal(err)
	}
	_, err = st.Apply(ctx, state.ApplyRequest{Lineage: lineage, Who: "alice", Upserts: []*state.Definition{
		{Kind: "task", Name: "hr-import", Hash: "h1", SourceFile: "tasks.hcl", SourceLine: 1},
	}})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := st.RunEnqueue(ctx, state.Run{Task: "hr-import", Trigger: state.TriggerManual, TriggeredBy: "alice", Mode: sr.mode}); err != nil {
		t.Fatal(err)
	}
	run, err := st.RunClaim(ctx, "host:1:1", start)
	if err != nil {
		t.Fatal(err)
	}
	if err := st.RepositoryWrite(ctx, func(r *state.RepositoryTx) error { return r.AddRunChanges(run.ID, sr.changes) }); err != nil {
		t.Fatal(err)
	}
	err = st.RunFinish(ctx, run.ID, "host:1:1", sr.final, "", sr.activities, start.Add(2*time.Second), nil)
	if err != nil {
		t.Fatal(err)
	}
	return path
}

// runsShow runs syncline runs show on the store at path and returns its
// standard output, with path replaced by STATE.
func runsShow(t *testing.T, path string, args ...string) string {
	t.Helper()
	res := runCLI(t, "", append(append([]string{"runs", "show", "-state", path}, args...), "1")...)
	if res.code != 0 {
		t.Fatalf("runs show %v: exit %d\n%s", args, res.code, res.stderr)
	}
	return strings.ReplaceAll(res.stdout, path, "STATE")
}

func previewRun() storedRun {
	return storedRun{mode: "preview", final: state.RunPartial, activities: []state.ActivityResult{importActivity()}, changes: []state.RunChange{
		userChange("add", "jiri.novacek", "e1001", "unmatched",
			attr("email", nil, "jiri.novacek@example.com"), attr("given_name", nil, "Jiří")),
		accountChange("create", "jiri.novacek", "jiri.novacek",
			attr("login", nil, "jiri.novacek"), attr("groups", nil, "staff", "vpn")),
		userChange("modify", "anna.svobodova", "e1002", "linked",
			attr("email", []string{"anna@old.example.com"}, "anna@example.com"), attr("phone", nil, "+420 123 456")),
		userChange("disable", "petr.dvorak", "e1003", "deleted", attr("status", []string{"active"}, "disabled")),
		accountChange("delete", "petr.dvorak", "petr.dvorak"),
		userChange("link", "martin.kral", "e1004", "unlinked"),
		{Activity: "hr-import", Object: "account", Op: "create", User: "martin.kral", Resource: "app", Kind: "account",
			Intent: "admin", Identifier: "adm-martin", Situation: "unlinked", Attributes: []state.AttributeChange{attr("login", nil, "adm-martin")}},
		// Hostile data: terminal escapes, newlines, invalid UTF-8, a
		// right-to-left override, a huge value and many values.
		userChange("add", "eve\x1b[31mred", "e1008\nINJECTED", "unmatched",
			attr("note", nil, "line1\nline2\x1b]0;title\x07"),
			attr("bio", nil, strings.Repeat("A", 5000)),
			attr("bad", nil, "\xff\u202eevil"),
			attr("empty", nil, ""),
			attr("groups", []string{"g1"}, "g1", "g2", "g3", "g4", "g5", "g6", "g7", "g8", "g9", "g10", "g11", "g12")),
	}}
}

func importActivity() state.ActivityResult {
	start := time.Date(2025, 3, 14, 2, 0, 0, 0, time.UTC)
	return state.ActivityResult{
		Name: "hr-import", Type: "import", State: state.RunPartial, StartedAt: start, FinishedAt: start.Add(time.Second),
		Total: 7, Success: 6, Failure: 1,
		Statistics: map[string]int64{
			"situation.unmatched": 2, "situation.linked": 2, "situation.unlinked": 1, "situation.deleted": 1,
			"reaction.add_user": 2, "reaction.disable_user": 1, "reaction.link": 1,
			"users.add": 2, "users.modify": 1, "users.disable": 1, "users.link": 1,
			"accounts.create": 2, "accounts.delete": 1, "unchanged": 1,
		},
		Stages: []state.StageResult{
			{Name: "resource_objects", State: state.RunPartial, Total: 6, Success: 5, Failure: 1,
				Statistics: map[string]int64{"situation.unmatched": 2, "situation.linked": 2, "situation.unlinked": 1}},
			{Name: "remaining_shadows", State: state.RunSucceeded, Total: 1, Success: 1,
				Statistics: map[string]int64{"situation.deleted": 1}},
			{Name: "operation_completion", State: state.RunFailed, Total: -1, Error: "resource app: connection refused"},
		},
		Errors: []state.ItemError{
			{Item: "e1007", Message: "inbound mapping email: attribute \"mail\" has 2 values\x1b[2J", Category: "mapping", Stage: "resource_objects"},
			{Item: "e1009", Message: "no stage recorded"},
		},
	}
}

func userChange(op, user, id, situation string, attrs ...state.AttributeChange) state.RunChange {
	return state.RunChange{Activity: "hr-import", Object: "user", Op: op, User: user, Resource: "hr", Kind: "account",
		Intent: "default", Identifier: id, Situation: situation, Attributes: attrs}
}

func accountChange(op, user, id string, attrs ...state.AttributeChange) state.RunChange {
	return state.RunChange{Activity: "hr-import", Object: "account", Op: op, User: user, Resource: "app", Kind: "account",
		Intent: "default", Identifier: id, Attributes: attrs}
}

func attr(name string, before []string, after ...string) state.AttributeChange {
	return state.AttributeChange{Name: name, Before: before, After: after}
}

func TestRunsShowChangesPreviewGolden(t *testing.T) {
	t.Parallel()
	got := runsShow(t, storeRun(t, previewRun()))
	checkGolden(t, filepath.Join("testdata", "runs_show_preview.golden"), got)
	checkPrintable(t, got)
	checkContains(t, "runs show", got,
		`  + user eve\x1b[31mred  (hr e1008\nINJECTED: unmatched → add)`,
		`      note: "line1\nline2\x1b]0;title\a"`,
		`      bio: "`+strings.Repeat("A", views.ValueLimit)+`"… (5000 characters)`,
		// the store keeps JSON, which holds invalid UTF-8 as U+FFFD
		"      bad: \"\ufffd\\u202eevil\"",
		`… 2 more]`)
}

// checkPrintable fails unless out holds no control character but
// newlines, nor a right-to-left override.
func checkPrintable(t *testing.T, out string) {
	t.Helper()
	for i, r := range out {
		if (r < 0x20 && r != '\n') || r == 0x7f || r == '\u202e' {
			t.Errorf("output holds %q at byte %d", r, i)
		}
	}
}

// fullRun is a full-mode run of two activities that kept only some of its
// changes.
func fullRun() storedRun {
	recon := state.ActivityResult{Name: "app-reconciliation", Type: "reconciliation", State: state.RunSucceeded,
		Total: 2, Success: 2, Statistics: map[string]int64{"accounts.delete": 1, "accounts.link": 1, "changes.not_recorded": 3}}
	acts := []state.ActivityResult{{Name: "hr-import", Type: "import", State: state.RunSucceeded, Total: 2, Success: 2,
		Statistics: map[string]int64{"users.add": 1, "users.enable": 1, "accounts.create": 1}}, recon}
	stray := state.RunChange{Activity: "app-reconciliation", Object: "account", Op: "delete", Resource: "app", Kind: "account",
		Intent: "default", Identifier: "stray", Situation: "unmatched"}
	link := state.RunChange{Activity: "app-reconciliation", Object: "account", Op: "link", User: "anna.svobodova",
		Resource: "app", Kind: "account", Intent: "default", Identifier: "anna", Situation: "unlinked"}
	enable := state.RunChange{Activity: "hr-import", Object: "user", Op: "enable", User: "petr.dvorak",
		Attributes: []state.AttributeChange{attr("status", []string{"disabled"}, "active")}}
	return storedRun{mode: "full", final: state.RunSucceeded, activities: acts, changes: []state.RunChange{
		userChange("add", "jiri.novacek", "e1001", "unmatched", attr("email", nil, "jiri.novacek@example.com")),
		enable,
		accountChange("create", "jiri.novacek", "jiri.novacek", attr("login", nil, "jiri.novacek")),
		stray, link,
	}}
}

func TestRunsShowChangesFullGolden(t *testing.T) {
	t.Parallel()
	got := runsShow(t, storeRun(t, fullRun()))
	checkGolden(t, filepath.Join("testdata", "runs_show_full.golden"), got)
}

// manyAdds is a preview run that would add n users.
func manyAdds(n int) storedRun {
	sr := storedRun{mode: "preview", final: state.RunSucceeded, activities: []state.ActivityResult{
		{Name: "hr-import", Type: "import", State: state.RunSucceeded, Total: int64(n), Success: int64(n)},
	}}
	for i := range n {
		sr.changes = append(sr.changes, userChange("add", fmt.Sprintf("user%04d", i+1), fmt.Sprintf("e%04d", i+1), "unmatched"))
	}
	return sr
}

func TestRunsShowChangesLimit(t *testing.T) {
	t.Parallel()
	path := storeRun(t, manyAdds(2500))
	more := `(syncline runs show -changes -1 -state STATE 1)`
	tests := []struct {
		args   []string
		listed int
		last   string // the line after the changes, "" for none
	}{
		{nil, defaultChangesListed, "  … and 2400 more changes " + more},
		{[]string{"-changes", "0"}, 0, "  2500 changes not listed " + more},
		{[]string{"-changes", "3"}, 3, "  … and 2497 more changes " + more},
		{[]string{"-changes", "-1"}, 2500, ""},
		{[]string{"-changes", "2500"}, 2500, ""},
	}
	for _, tt := range tests {
		t.Run(strings.Join(tt.args, " "), func(t *testing.T) {
			t.Parallel()
			out := runsShow(t, path, tt.args...)
			// The summary counts every change, however many are listed.
			checkContains(t, "runs show", out, "\nChanges (preview: nothing was written)\n  users: 2500 to add\n")
			if got := strings.Count(out, "\n  + user "); got != tt.listed {
				t.Errorf("%d changes listed, want %d", got, tt.listed)
			}
			lines := strings.Split(strings.TrimSuffix(out, "\n"), "\n")
			last := lines[len(lines)-1]
			if tt.last == "" && !strings.HasPrefix(last, "  + user ") || tt.last != "" && last != tt.last {
				t.Errorf("last line %q, want %q", last, tt.last)
			}
		})
	}
}

func TestRunsShowChangesJSON(t *testing.T) {
	t.Parallel()
	path := storeRun(t, previewRun())
	for _, tt := range []struct {
		args   []string
		listed int
	}{{nil, 8}, {[]string{"-changes", "2"}, 2}, {[]string{"-changes", "0"}, 0}, {[]string{"-changes", "-1"}, 8}} {
		out := runsShow(t, path, append([]string{"-json"}, tt.args...)...)
		var got struct {
			Mode         string            `json:"mode"`
			Changes      []json.RawMessage `json:"changes"`
			ChangesTotal int               `json:"changes_total"`
			Activities   []struct {
				Stages []struct {
					Name  string `json:"name"`
					Error string `json:"error"`
				} `json:"stages"`
				Errors []struct {
					Category string `json:"category"`
					Stage    string `json:"stage"`
				} `json:"errors"`
			} `json:"activities"`
		}
		if err := json.Unmarshal([]byte(out), &got); err != nil {
			t.Fatalf("%v: %v\n%s", tt.args, err, out)
		}
		if got.Changes == nil || len(got.Changes) != tt.listed || got.ChangesTotal != 8 {
			t.Errorf("%v: %d changes of %d, want %d of 8", tt.args, len(got.Changes), got.ChangesTotal, tt.listed)
		}
		act := got.Activities[0]
		if len(act.Stages) != 3 || act.Stages[2].Error == "" || act.Errors[0].Category != "mapping" || act.Errors[0].Stage != "resource_objects" {
			t.Errorf("%v: stages and error categories missing: %+v", tt.args, act)
		}
	}
	out := runsShow(t, path, "-json", "-changes", "1")
	checkContains(t, "runs show -json", out, `"changes": [
    {
      "activity": "hr-import",
      "object": "user",
      "op": "add",
      "user": "jiri.novacek",
      "resource": "hr",
      "kind": "account",
      "intent": "default",
      "identifier": "e1001",
      "situation": "unmatched",
      "attributes": [
        {
          "name": "email",
          "after": [
            "jiri.novacek@example.com"
          ]
        },`, `"changes_total": 8`)
}

// A run without changes shows no Changes section and an empty list in
// JSON.
func TestRunsShowNoChanges(t *testing.T) {
	t.Parallel()
	path := storeRun(t, storedRun{mode: "full", final: state.RunSucceeded, activities: []state.ActivityResult{
		{Name: "exec", Type: "exec", State: state.RunSucceeded, Total: 1, Success: 1},
	}})
	if out := runsShow(t, path); strings.Contains(out, "Changes") {
		t.Errorf("runs show has a Changes section:\n%s", out)
	}
	checkContains(t, "runs show -json", runsShow(t, path, "-json"), `"changes": [],`, `"changes_total": 0`)
}
