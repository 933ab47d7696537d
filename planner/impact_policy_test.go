package planner

import (
	"strings"
	"testing"
)

func TestImpactPolicy(t *testing.T) {
	t.Parallel()
	imp := &Impact{
		Totals: ImpactCounts{Deletions: 12, UsersDeleted: 1, Modifications: 3, Errors: 2,
			MembershipAdditions: 4, MembershipRemovals: 11, MembershipsTolerated: 5},
		Types: []TypeImpact{
			{Resource: "app", Kind: "account", Intent: "default", Counts: ImpactCounts{Deletions: 10, Modifications: 3}},
			{Resource: "ldap", Kind: "account", Intent: "default", Counts: ImpactCounts{Deletions: 2}},
			{Resource: "ldap", Kind: "entitlement", Intent: "department", Counts: ImpactCounts{MembershipAdditions: 4, MembershipRemovals: 11, MembershipsTolerated: 5}},
		},
	}
	cases := []struct {
		expr string
		want string // the conditions that held, "" for none
	}{
		{"deletions > 10", "deletions = 12 > 10"},
		{"deletions > 12", ""},
		{"deletions >= 12", "deletions = 12 >= 12"},
		{"deletions[app] > 9", "deletions[app] = 10 > 9"},
		{"deletions[resource.ldap] > 2", ""},
		{"deletions[nope] == 0", "deletions[nope] = 0 == 0"},
		{"users_deleted > 0 || deletions > 100", "users_deleted = 1 > 0"},
		{"deletions > 100 || errors != 0", "errors = 2 != 0"},
		{"changes >= 31 && errors > 1", "changes = 31 >= 31, errors = 2 > 1"},
		{"changes >= 32", ""},
		{"changes >= 16 && errors > 2", ""},
		{"membership_removals > 10", "membership_removals = 11 > 10"},
		{"membership_removals[ldap] > 10 && membership_additions[ldap] < 5", "membership_removals[ldap] = 11 > 10, membership_additions[ldap] = 4 < 5"},
		{"membership_removals[app] > 0", ""},
		{"memberships_tolerated >= 5", "memberships_tolerated = 5 >= 5"},
		{" modifications<4 ", "modifications = 3 < 4"},
		{"renames <= 0", "renames = 0 <= 0"},
	}
	for _, tc := range cases {
		p, err := ParseImpactPolicy(tc.expr)
		if err != nil {
			t.Errorf("%q: %v", tc.expr, err)
			continue
		}
		if got := strings.Join(p.Violations(imp), ", "); got != tc.want {
			t.Errorf("%q: held %q, want %q", tc.expr, got, tc.want)
		}
	}
}

func TestImpactPolicyErrors(t *testing.T) {
	t.Parallel()
	for expr, want := range map[string]string{
		"":                   "a condition is empty",
		"deletions":          "has no comparison",
		"deletions > ten":    `"ten" is not a whole number`,
		"deletions > -1":     `"-1" is not a whole number`,
		"deletes > 1":        `unknown kind "deletes"`,
		"deletions =< 1":     "unknown operator",
		"deletions[app > 1":  "KIND[RESOURCE]",
		"deletions[] > 1":    "name one resource",
		"deletions > 1 ||":   "a condition is empty",
		"deletions[a b] > 1": "name one resource",
	} {
		_, err := ParseImpactPolicy(expr)
		if err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("%q: error %v, want one saying %q", expr, err, want)
		}
	}
}
