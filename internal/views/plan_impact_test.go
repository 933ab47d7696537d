package views

import (
	"bytes"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"github.com/syncline/syncline/internal/plantest"
	"github.com/syncline/syncline/planner"
	"github.com/syncline/syncline/state"
)

// impactFixture is an impact of every kind the views show: accounts
// deleted, modified (one with a write-only password), created, renamed;
// memberships added, removed and tolerated;
// users modified; a situation change; an error; a threshold exceeded; an
// identifier that tries to forge markup.
func impactFixture() *planner.Impact {
	b := planner.NewImpactBuilder(2)
	app := planner.ImpactSource{Resource: "app", Kind: "account", Intent: "default"}
	hr := planner.ImpactSource{Resource: "hr", Kind: "account", Intent: "default"}
	acct := func(op, user, id string, attrs ...state.AttributeChange) state.RunChange {
		return state.RunChange{Object: "account", Op: op, User: user, Resource: "app", Kind: "account", Intent: "default",
			Identifier: id, Attributes: attrs}
	}
	change := func(name string, after string) state.AttributeChange {
		return state.AttributeChange{Name: name, After: []string{after}}
	}
	for _, u := range []string{"bob", "erin", "frank"} {
		b.Change(app, acct("delete", u, u))
	}
	b.Change(app, acct("modify", "mallory", "evil`| <b>x</b>\n- [ ] forged", change("email", "m@x")))
	b.Change(app, acct("modify", "alice", "alice", state.AttributeChange{Name: "email", Before: []string{"alice@hr.example"}, After: []string{"alice@corp.example"}},
		state.AttributeChange{Name: "password", Before: []string{"(write-only)"}, After: []string{"(write-only)"}}))
	b.Change(app, acct("modify", "carol", "carol", state.AttributeChange{Name: "email", Before: []string{"carol@hr.example"},
		After: []string{"carol@corp.example"}}, state.AttributeChange{Name: "groups", Before: nil, After: []string{"staff", "vpn"}}))
	b.Change(app, acct("create", "dave", "dave", change("login", "dave")))
	rename := acct("rename", "gina", "gina.old")
	rename.NewIdentifier = "gina"
	b.Change(app, rename)
	b.Change(hr, state.RunChange{Object: "user", Op: "modify", User: "alice", Resource: "hr", Kind: "account", Intent: "default",
		Identifier: "e1", Attributes: []state.AttributeChange{{Name: "email", Before: []string{"alice@hr.example"}, After: []string{"alice@corp.example"}}}})
	member := func(op, user, group string, attr state.AttributeChange) state.RunChange {
		return state.RunChange{Object: "membership", Op: op, User: user, Resource: "app", Kind: "entitlement", Intent: "department",
			Identifier: group, Attributes: []state.AttributeChange{attr}}
	}
	b.Change(hr, member("add", "jiri.novacek", "engineering", state.AttributeChange{Name: "member", After: []string{"jiri.novacek"}}))
	b.Change(hr, member("remove", "jiri.novacek", "sales", state.AttributeChange{Name: "member", Before: []string{"jiri.novacek"}}))
	b.Change(app, member("remove", "bob", "sales", state.AttributeChange{Name: "member", Before: []string{"bob"}}))
	b.Change(app, member("tolerate", "alice", "admins", state.AttributeChange{Name: "member", After: []string{"alice"}}))
	b.Situation(planner.ImpactSource{Resource: "legacy", Kind: "account", Intent: "default"}, "l1", "alice", "unmatched", "linked")
	b.Error(hr, "e9", "", "inbound mapping name: the name is empty; every user needs one")
	b.Unmanaged("old", "", "", 12)
	b.Evaluated(4, 9)
	b.Note("the state .syncline/state.db (serial 3) does not hold the base revision's definitions (1 differs: resource.app)")
	imp := b.Impact(nil)
	imp.Thresholds = []planner.ThresholdExceeded{{Task: "app-reconcile", Activity: "reconciliation", Resource: "app",
		Kind: "account", Intent: "default", What: "deletions", Limit: 2, Count: 3}, {Task: "hr-import", Activity: "import",
		Resource: "hr", Kind: "account", Intent: "default", What: "membership_removals", Limit: 1, Count: 2}}
	return imp
}

func impactPlan(t *testing.T) *planner.Plan {
	p := scenarioPlan(t, plantest.ScenarioNamed("update"))
	p.Impact = impactFixture()
	return p
}

func TestRenderImpactGolden(t *testing.T) {
	t.Parallel()
	p := impactPlan(t)
	views := map[string]func(*bytes.Buffer) error{
		"txt":  func(b *bytes.Buffer) error { return RenderText(b, p, TextOptions{}) },
		"md":   func(b *bytes.Buffer) error { return RenderMarkdown(b, p) },
		"json": func(b *bytes.Buffer) error { return planner.RenderJSON(b, p) },
	}
	for ext, render := range views {
		var buf bytes.Buffer
		if err := render(&buf); err != nil {
			t.Fatal(err)
		}
		out := buf.String()
		for _, secret := range []string{plantest.Secret, "(write-only)"} {
			if strings.Contains(out, secret) {
				t.Errorf("the %s view holds %q", ext, secret)
			}
		}
		if ext == "md" {
			// The identifier shows only inside a code span, where GitHub
			// renders HTML and list markers literally.
			for _, line := range strings.Split(out, "\n") {
				if strings.Contains(line, "<b>") && !strings.HasPrefix(line, "- ``app/") {
					t.Errorf("the Markdown view lets an identifier forge markup: %q", line)
				}
			}
		}
		if ext == "txt" && strings.Contains(out, "\n- [ ] forged") {
			t.Errorf("the text view lets an identifier forge a line")
		}
		checkGolden(t, filepath.Join("testdata", "impact."+ext+".golden"), buf.Bytes())
	}
}

// TestImpactJSONRoundTrip: a saved plan's impact reads back as it was.
func TestImpactJSONRoundTrip(t *testing.T) {
	t.Parallel()
	p := impactPlan(t)
	var buf bytes.Buffer
	if err := planner.RenderJSON(&buf, p); err != nil {
		t.Fatal(err)
	}
	back, err := planner.DecodeJSON(buf.Bytes())
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(back.Impact, p.Impact) {
		t.Errorf("impact read back differs:\n%+v\n%+v", back.Impact, p.Impact)
	}
}

// TestImpactMarkdownFitsTheLimit: the samples are cut, the counts kept.
func TestImpactMarkdownFitsTheLimit(t *testing.T) {
	t.Parallel()
	p := impactPlan(t)
	var full bytes.Buffer
	if err := RenderMarkdown(&full, p); err != nil {
		t.Fatal(err)
	}
	limit := strings.Index(full.String(), "<details><summary>Accounts modified") + 200
	var cut bytes.Buffer
	if err := RenderMarkdownWith(&cut, p, MarkdownOptions{MaxLength: limit}); err != nil {
		t.Fatal(err)
	}
	out := cut.String()
	if n := len([]rune(out)); n > limit {
		t.Errorf("%d characters, limit %d", n, limit)
	}
	for _, want := range []string{"#### Identity impact: 3 accounts deleted", "task.app-reconcile", "more kinds of change"} {
		if !strings.Contains(out, want) {
			t.Errorf("the cut comment lacks %q:\n%s", want, out)
		}
	}
}
