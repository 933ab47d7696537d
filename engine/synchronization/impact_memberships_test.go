package synchronization_test

import (
	"database/sql"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/syncline/syncline/planner"
)

// memberCSV is hrCSV with departments: alice and carol in engineering,
// bob in sales, dave (terminated) in sales.
const memberCSV = `emp_id,login,first_name,last_name,email,department,state
e1,alice,Alice,Archer,alice@hr.example,engineering,active
e2,bob,Bob,Baker,bob@hr.example,sales,active
e3,carol,Carol,Cooper,carol@hr.example,engineering,active
e4,dave,Dave,Dawson,dave@hr.example,sales,terminated
`

// memberConfig is the membership scenario's configuration with the
// pieces a case changes: people from HR with their department, app
// accounts in an SQLite table with their groups in a membership table.
type memberConfig struct {
	department    string // the HR inbound mapping of department
	groups        string // the association's groups expression
	tolerant      string // "true" or "false"
	locals        string // the groups' locals, as HCL
	provisionWhen string
	thresholds    string
	noAssociation bool
}

func (c memberConfig) hcl() string {
	c.department = cmpOr(c.department, "attributes.department")
	c.groups = cmpOr(c.groups, "[local.groups[user.department]]")
	c.tolerant = cmpOr(c.tolerant, "false")
	c.locals = cmpOr(c.locals, `{ engineering = "engineering", sales = "sales" }`)
	hr := strings.Replace(hrResource(""), "      status ", "      department      = "+c.department+"\n      status ", 1)
	assoc := `
    association "department" {
      entitlement = "department"
      groups      = ` + c.groups + `
      tolerant    = ` + c.tolerant + `
    }`
	if c.noAssociation {
		assoc = ""
	}
	app := strings.Replace(appResource(sqliteApp, assoc), `  object_type "account" {`, `  object_type "entitlement" {
    intent = "department"
    group {
      container        = "members"
      name_attribute   = "grp"
      member_attribute = "login"
      declared         = ["engineering", "sales", "sales-team", "builders"]
    }
  }
  object_type "account" {`, 1)
	if c.provisionWhen != "" {
		app = strings.Replace(app, `provision_when = user.status == "active"`, "provision_when = "+c.provisionWhen, 1)
	}
	return "locals {\n  groups = " + c.locals + "\n}\n" + hr + app + tasks(c.thresholds)
}

func cmpOr(s, def string) string {
	if s == "" {
		return def
	}
	return s
}

// memberTasks are the runs whose changes, together, an impact on the
// scenario equals.
var memberTasks = []string{"hr-reconcile", "app-reconcile", "recompute"}

// memberSynced sets up the scenario, with the membership table, and runs
// every task in full.
func memberSynced(t *testing.T, c memberConfig) (*bundle, func() []string) {
	t.Helper()
	b := setup(t, map[string]string{"hr.csv": memberCSV, "main.hcl": c.hcl()})
	db, err := sql.Open("sqlite", filepath.Join(b.dir, "app.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	if _, err := db.Exec("CREATE TABLE members (grp varchar(100) NOT NULL, login varchar(100) NOT NULL)"); err != nil {
		t.Fatal(err)
	}
	for _, task := range []string{"hr-import", "app-reconcile", "hr-reconcile", "recompute"} {
		mustSucceed(t, b.run(t, task, "full"))
	}
	rows := func() []string { return queryRows(t, db, "SELECT grp, login FROM members") }
	return b, rows
}

// TestImpactMembershipsEqualPreview: a department change, a changed
// groups expression (and a changed local it reads) and a deprovision,
// each evaluated offline from the applied definitions, equal what the
// preview runs of the changed configuration report from the membership
// table.
func TestImpactMembershipsEqualPreview(t *testing.T) {
	t.Parallel()
	cases := []struct {
		name   string
		change memberConfig
		check  func(t *testing.T, imp *planner.Impact)
	}{
		{"department change", memberConfig{department: `attributes.department == "sales" ? "engineering" : attributes.department`},
			func(t *testing.T, imp *planner.Impact) {
				wantCounts(t, imp.Totals, planner.ImpactCounts{UsersModified: 2, MembershipAdditions: 1, MembershipRemovals: 1})
				wantType(t, imp, "department", planner.ImpactCounts{MembershipAdditions: 1, MembershipRemovals: 1},
					[]planner.AttributeCount{{Name: "engineering", Count: 1}, {Name: "sales", Count: 1}})
			}},
		{"groups expression", memberConfig{groups: `user.department == "engineering" ? ["builders"] : [local.groups[user.department]]`},
			func(t *testing.T, imp *planner.Impact) {
				wantCounts(t, imp.Totals, planner.ImpactCounts{MembershipAdditions: 2, MembershipRemovals: 2})
			}},
		{"groups local", memberConfig{locals: `{ engineering = "engineering", sales = "sales-team" }`},
			func(t *testing.T, imp *planner.Impact) {
				wantCounts(t, imp.Totals, planner.ImpactCounts{MembershipAdditions: 1, MembershipRemovals: 1})
			}},
		{"tolerant groups expression", memberConfig{groups: `["builders"]`, tolerant: "true"},
			func(t *testing.T, imp *planner.Impact) {
				// Not given any more, yet not given by the association
				// over the user as it was either: kept, as a run keeps it.
				wantCounts(t, imp.Totals, planner.ImpactCounts{MembershipAdditions: 3, MembershipsTolerated: 3})
			}},
		{"deprovision", memberConfig{provisionWhen: `user.status == "active" && user.department != "sales"`},
			func(t *testing.T, imp *planner.Impact) {
				wantCounts(t, imp.Totals, planner.ImpactCounts{Deletions: 1, MembershipRemovals: 1})
			}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			b, rows := memberSynced(t, memberConfig{})
			want := []string{"grp=engineering login=alice", "grp=engineering login=carol", "grp=sales login=bob"}
			if d := diffLines(want, rows()); d != "" {
				t.Fatalf("the membership table after the first runs:\n%s", d)
			}
			if got := impactLines(b.impact(t)); len(got) != 0 {
				t.Fatalf("the unchanged configuration has an impact: %v", got)
			}
			// The impact is evaluated before the apply, as plan does: the
			// applied definitions are the old ones.
			b.write(t, map[string]string{"main.hcl": tc.change.hcl()})
			imp := b.impact(t)
			b.apply(t)
			got := impactLines(imp)
			var preview []string
			for _, task := range memberTasks {
				run := b.run(t, task, "preview")
				mustSucceed(t, run)
				for _, line := range b.changes(t, run.ID) {
					if !slices.Contains(preview, line) {
						preview = append(preview, line)
					}
				}
			}
			slices.Sort(preview)
			t.Logf("impact: %+v\n%s", imp.Totals, strings.Join(got, "\n"))
			if d := diffLines(preview, got); d != "" {
				t.Errorf("impact differs from the preview runs:\n%s", d)
			}
			if !slices.ContainsFunc(got, func(l string) bool { return strings.HasPrefix(l, "membership ") }) {
				t.Error("no membership changes: the case tests nothing")
			}
			if d := diffLines(want, rows()); d != "" {
				t.Errorf("the preview changed the membership table:\n%s", d)
			}
			if !slices.ContainsFunc(imp.Notes, func(n string) bool { return strings.HasPrefix(n, "memberships are counted as if") }) {
				t.Errorf("no note of the assumption: %q", imp.Notes)
			}
			tc.check(t, imp)
		})
	}
}

func wantType(t *testing.T, imp *planner.Impact, intent string, counts planner.ImpactCounts, groups []planner.AttributeCount) {
	t.Helper()
	i := slices.IndexFunc(imp.Types, func(ty planner.TypeImpact) bool { return ty.Kind == "entitlement" && ty.Intent == intent })
	if i < 0 {
		t.Fatalf("no entitlement/%s among %+v", intent, imp.Types)
	}
	if imp.Types[i].Counts != counts || !slices.Equal(imp.Types[i].Attributes, groups) {
		t.Errorf("entitlement/%s: %+v %v\nwant %+v %v", intent, imp.Types[i].Counts, imp.Types[i].Attributes, counts, groups)
	}
}

// TestImpactMembershipThresholdAndNotes: removals past a task's
// max_membership_removals name the threshold, -fail-on-impact reads
// membership_removals, and a tolerant association turning strict or
// going away is noted.
func TestImpactMembershipThresholdAndNotes(t *testing.T) {
	t.Parallel()
	limit := "thresholds {\n max_membership_removals = 1\n}"
	b, _ := memberSynced(t, memberConfig{tolerant: "true", thresholds: limit})
	b.write(t, map[string]string{"main.hcl": memberConfig{groups: `["builders"]`, thresholds: limit}.hcl()})
	imp := b.impact(t)
	want := []planner.ThresholdExceeded{{Task: "app-reconcile", Activity: "reconciliation", Resource: "app", Kind: "account",
		Intent: "default", What: "membership_removals", Limit: 1, Count: 3}}
	if imp.Totals.MembershipRemovals != 3 || !slices.Equal(imp.Thresholds, want) {
		t.Errorf("removals %d, thresholds %+v\nwant 3 and %+v", imp.Totals.MembershipRemovals, imp.Thresholds, want)
	}
	policy, err := planner.ParseImpactPolicy("membership_removals[app] > 2")
	if err != nil {
		t.Fatal(err)
	}
	if got := policy.Violations(imp); !slices.Equal(got, []string{"membership_removals[app] = 3 > 2"}) {
		t.Errorf("violations = %q", got)
	}
	if !slices.ContainsFunc(imp.Notes, func(n string) bool { return strings.Contains(n, "is no longer tolerant") }) {
		t.Errorf("no note of the association turning strict: %q", imp.Notes)
	}

	b.write(t, map[string]string{"main.hcl": memberConfig{noAssociation: true, tolerant: "true"}.hcl()})
	imp = b.impact(t)
	if !slices.ContainsFunc(imp.Notes, func(n string) bool { return strings.Contains(n, `association "department" is removed`) }) {
		t.Errorf("no note of the association removed: %q", imp.Notes)
	}
	if imp.Totals.MembershipRemovals != 0 {
		t.Errorf("a removed association removes %d memberships; a run leaves them", imp.Totals.MembershipRemovals)
	}
}

// TestImpactMembershipSecret: an association whose groups read a
// sensitive variable fails at run time; in the impact the new expression
// is each account's error, the applied one cannot be evaluated again (a
// note says so), and the secret is in no view.
func TestImpactMembershipSecret(t *testing.T) {
	t.Parallel()
	const secret = "S3cret-Group-Name"
	b, _ := memberSynced(t, memberConfig{})
	leaky := "variable \"grp\" {\n  type      = string\n  sensitive = true\n  default   = \"" + secret + "\"\n}\n" +
		memberConfig{groups: `[var.grp]`}.hcl()
	b.write(t, map[string]string{"main.hcl": leaky})
	b.apply(t)
	imp := b.impact(t)
	if imp.Totals.Errors == 0 || imp.Totals.MembershipAdditions != 0 {
		t.Errorf("groups from a secret: totals %+v, want errors and no membership added", imp.Totals)
	}
	if !slices.ContainsFunc(imp.Notes, func(n string) bool { return strings.Contains(n, "could not be evaluated") }) {
		t.Errorf("no note of the applied groups that cannot be evaluated: %q", imp.Notes)
	}
	for name, out := range renderImpact(t, imp) {
		if strings.Contains(out, secret) {
			t.Errorf("the %s view holds the secret:\n%s", name, out)
		}
	}
}
