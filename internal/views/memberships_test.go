package views

import (
	"bytes"
	"testing"

	"github.com/syncline/syncline/state"
)

func TestWriteMembershipChange(t *testing.T) {
	t.Parallel()
	dn := "uid=jiri.novacek,ou=people,dc=example,dc=org"
	change := func(op string, before, after []string, errText string) state.RunChange {
		return state.RunChange{Object: "membership", Op: op, User: "jiri.novacek", Resource: "app", Kind: "entitlement",
			Intent: "department", Identifier: "engineering", Error: errText,
			Attributes: []state.AttributeChange{{Name: "member", Before: before, After: after}}}
	}
	evil := change("add", nil, []string{dn}, "")
	evil.Identifier = "eng\x1b[31m"
	tests := []struct {
		name string
		c    state.RunChange
		want string
	}{
		{"add", change("add", nil, []string{dn}, ""),
			"  + member app/engineering <- jiri.novacek  (member \"" + dn + "\")\n"},
		{"remove", change("remove", []string{dn}, nil, ""),
			"  - member app/engineering <- jiri.novacek  (member \"" + dn + "\")\n"},
		{"tolerate", change("tolerate", nil, []string{dn}, ""),
			"  ~ member app/engineering <- jiri.novacek  (tolerated: not given by the association, kept; member \"" + dn + "\")\n"},
		{"failed", change("remove", []string{dn}, nil, "object class violation"),
			"  x member app/engineering <- jiri.novacek  (member \"" + dn + "\")\n      remove failed: object class violation\n"},
		{"escaped", evil,
			"  + member app/eng\\x1b[31m <- jiri.novacek  (member \"" + dn + "\")\n"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			var b bytes.Buffer
			writeChange(&b, tt.c)
			if b.String() != tt.want {
				t.Errorf("got\n%q\nwant\n%q", b.String(), tt.want)
			}
		})
	}
}

func TestMembershipTally(t *testing.T) {
	t.Parallel()
	tally := ChangeTally{}
	for _, op := range []string{"add", "add", "remove", "tolerate"} {
		tally.Add(state.RunChange{Object: "membership", Op: op})
	}
	tally.Add(state.RunChange{Object: "account", Op: "create"})
	var b bytes.Buffer
	writeChangeSummary(&b, tally, true)
	want := "  accounts:    1 created\n  memberships: 2 added, 1 removed, 1 tolerated\n"
	if b.String() != want {
		t.Errorf("got\n%s\nwant\n%s", b.String(), want)
	}
	if got := membershipWords(map[string]int64{"memberships.add": 3, "memberships.remove": 1}); got != "3 added, 1 removed" {
		t.Errorf("membershipWords = %q", got)
	}
}
