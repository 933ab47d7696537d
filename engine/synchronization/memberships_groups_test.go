package synchronization_test

import (
	"fmt"
	"slices"
	"strings"
	"testing"

	goldap "github.com/go-ldap/ldap/v3"
	"github.com/syncline/syncline/engine/connector/connectortest"
	"github.com/syncline/syncline/engine/connector/ldap/ldaptest"
	"github.com/syncline/syncline/state"
)

// groupTasks import and reconcile the department entitlement of the
// resource res.
func groupTasks(res string) string {
	return fmt.Sprintf(`
task "groups-import" {
  activity "import" {
    resource = resource.%[1]s
    kind     = "entitlement"
    intent   = "department"
  }
}
task "groups-reconcile" {
  activity "reconciliation" {
    resource = resource.%[1]s
    kind     = "entitlement"
    intent   = "department"
  }
}
`, res)
}

// groupShadows lists the department entitlement's shadows on res as
// "identifier situation attributes", live ones, and "identifier dead"
// for the gone ones.
func (b *bundle) groupShadows(t *testing.T, res string) []string {
	t.Helper()
	var out []string
	err := b.store.ShadowsEach(b.ctx, res, "entitlement", "department", func(sh *state.Shadow) error {
		if sh.Dead {
			out = append(out, sh.Identifier+" "+sh.Situation+" dead")
			return nil
		}
		var attrs []string
		for name, vs := range sh.Attributes {
			attrs = append(attrs, name+"="+strings.Join(vs, "|"))
		}
		slices.Sort(attrs)
		out = append(out, sh.Identifier+" "+sh.Situation+" "+strings.Join(attrs, " ")+fmt.Sprintf(" owner=%d", sh.Owner))
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	slices.Sort(out)
	return out
}

// shadowsUpdated is when each shadow of res's department entitlement was
// last written, as text.
func (b *bundle) shadowsUpdated(t *testing.T, res string) string {
	t.Helper()
	var out []string
	err := b.store.ShadowsEach(b.ctx, res, "entitlement", "department", func(sh *state.Shadow) error {
		out = append(out, sh.Identifier+"@"+sh.UpdatedAt.String())
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	slices.Sort(out)
	return strings.Join(out, " ")
}

// TestImportGroups imports and reconciles the department groups of the
// directory the accounts are in, against a real slapd: the groups under
// the group block's container, known by their cn, their shadows without
// member lists; preview writes nothing; a member added by hand changes no
// group's shadow; a group deleted by hand is found deleted; nothing is
// ever written to the directory.
func TestImportGroups(t *testing.T) {
	t.Parallel()
	srv := ldaptest.Start(t)
	base := srv.NewContainer(t, "grp")
	admin := srv.Admin(t)
	groups := "ou=groups," + base
	for _, ou := range []string{"people", "groups"} {
		req := goldap.NewAddRequest("ou="+ou+","+base, nil)
		req.Attribute("objectClass", []string{"organizationalUnit"})
		req.Attribute("ou", []string{ou})
		if err := admin.Add(req); err != nil {
			t.Fatal(err)
		}
	}
	fillers := make([]string, 2_000)
	for i := range fillers {
		fillers[i] = fmt.Sprintf("uid=filler%05d,ou=elsewhere,%s", i, base)
	}
	addGroup(t, admin, "cn=engineering,"+groups, fillers)
	rd := goldap.NewAddRequest("cn="+ldapEscape(rdGroup)+","+groups, nil)
	rd.Attribute("objectClass", []string{"groupOfNames"})
	rd.Attribute("cn", []string{rdGroup})
	rd.Attribute("member", []string{"cn=placeholder," + base})
	if err := admin.Add(rd); err != nil {
		t.Fatal(err)
	}
	desc := goldap.NewModifyRequest("cn=engineering,"+groups, nil)
	desc.Add("description", []string{"The engineers"})
	if err := admin.Modify(desc); err != nil {
		t.Fatal(err)
	}
	posix := goldap.NewAddRequest("cn=ops,"+groups, nil) // another object class: not the entitlement's
	posix.Attribute("objectClass", []string{"posixGroup"})
	posix.Attribute("cn", []string{"ops"})
	posix.Attribute("gidNumber", []string{"5000"})
	if err := admin.Add(posix); err != nil {
		t.Fatal(err)
	}
	proxy := newLDAPCounter(t, srv.Addr)
	b := setup(t, map[string]string{"hr.csv": deptCSV, "main.hcl": deptConfig("ldap://"+proxy.addr(), base, true) + groupTasks("dir")})

	before := dumpTree(t, admin, base)
	preview := b.run(t, "groups-import", "preview")
	mustSucceed(t, preview)
	if got := stat(preview, "situation.unmatched"); got != 2 {
		t.Errorf("preview: situation.unmatched = %d, want 2\n%s", got, describe(preview))
	}
	if got := b.groupShadows(t, "dir"); len(got) != 0 {
		t.Errorf("preview stored shadows: %v", got)
	}
	if after := dumpTree(t, admin, base); after != before {
		t.Errorf("preview changed the directory")
	}

	run := b.run(t, "groups-import", "")
	mustSucceed(t, run)
	want := []string{
		"R&D, Inc. + \"Labs\" unmatched cn=R&D, Inc. + \"Labs\" owner=0",
		"engineering unmatched cn=engineering description=The engineers owner=0",
	}
	if d := diffLines(want, b.groupShadows(t, "dir")); d != "" {
		t.Errorf("shadows after the import:\n%s", d)
	}
	if got := stat(run, "reaction.none"); got != 2 {
		t.Errorf("reaction.none = %d, want 2\n%s", got, describe(run))
	}

	// A member added by hand changes no group's shadow: nothing is
	// written.
	written := b.shadowsUpdated(t, "dir")
	hand := goldap.NewModifyRequest("cn=engineering,"+groups, nil)
	hand.Add("member", []string{"cn=someone," + base})
	if err := admin.Modify(hand); err != nil {
		t.Fatal(err)
	}
	again := b.run(t, "groups-reconcile", "")
	mustSucceed(t, again)
	if got := b.shadowsUpdated(t, "dir"); got != written {
		t.Errorf("a reconciliation after a hand-added member rewrote shadows: %s, before %s", got, written)
	}

	// A group deleted by hand is found deleted.
	if err := admin.Del(goldap.NewDelRequest("cn="+ldapEscape(rdGroup)+","+groups, nil)); err != nil {
		t.Fatal(err)
	}
	gone := b.run(t, "groups-reconcile", "")
	mustSucceed(t, gone)
	want = []string{
		"R&D, Inc. + \"Labs\" deleted dead",
		"engineering unmatched cn=engineering description=The engineers owner=0",
	}
	if d := diffLines(want, b.groupShadows(t, "dir")); d != "" {
		t.Errorf("shadows after a group was deleted by hand:\n%s", d)
	}
	if got := proxy.writes(); len(got) != 0 {
		t.Errorf("importing and reconciling groups sent writes: %v", got)
	}
}

// TestImportGroupsOfATable imports the groups of a SQL membership table
// on PostgreSQL and MariaDB: one shadow per distinct group name, names
// differing only in case being one group.
func TestImportGroupsOfATable(t *testing.T) {
	t.Parallel()
	for _, tg := range serverTargets {
		t.Run(tg.name, func(t *testing.T) {
			t.Parallel()
			conn, db, _ := tg.connection(t, tg.dsn(t))
			members := connectortest.UniqueName("members")
			if _, err := db.Exec("CREATE TABLE " + members + " (grp varchar(100) NOT NULL, login varchar(100) NOT NULL)"); err != nil {
				t.Fatal(err)
			}
			t.Cleanup(func() { db.Exec("DROP TABLE " + members) })
			for _, row := range [][2]string{{"engineering", "alice"}, {"engineering", "bob"}, {"Sales", "carol"}, {"sales", "dave"}} {
				if _, err := db.Exec(fmt.Sprintf("INSERT INTO %s (grp, login) VALUES ('%s', '%s')", members, row[0], row[1])); err != nil {
					t.Fatal(err)
				}
			}
			app := strings.Replace(appResource(conn, ""), `  object_type "account" {`, `  object_type "entitlement" {
    intent = "department"
    group {
      container        = "`+members+`"
      name_attribute   = "grp"
      member_attribute = "login"
    }
  }
  object_type "account" {`, 1)
			b := setup(t, map[string]string{"hr.csv": "emp_id,login,first_name,last_name,email,state\n", "main.hcl": hrResource("") + app + tasks("") + groupTasks("app")})
			mustSucceed(t, b.run(t, "groups-import", ""))
			want := []string{"Sales unmatched grp=Sales owner=0", "engineering unmatched grp=engineering owner=0"}
			if d := diffLines(want, b.groupShadows(t, "app")); d != "" {
				t.Errorf("shadows after the import:\n%s", d)
			}
			if _, err := db.Exec("DELETE FROM " + members + " WHERE grp = 'engineering'"); err != nil {
				t.Fatal(err)
			}
			mustSucceed(t, b.run(t, "groups-reconcile", ""))
			want = []string{"Sales unmatched grp=Sales owner=0", "engineering deleted dead"}
			if d := diffLines(want, b.groupShadows(t, "app")); d != "" {
				t.Errorf("shadows after the last row of a group went:\n%s", d)
			}
		})
	}
}

// ldapEscape escapes a DN value as the group names above need.
func ldapEscape(s string) string {
	r := strings.NewReplacer(`,`, `\,`, `+`, `\+`, `"`, `\"`)
	return r.Replace(s)
}

// posixConfig is hr.csv imported into users, provisioned into a
// directory whose department groups are posixGroups with memberUid,
// created when missing with the gidNumber of a locals map.
func posixConfig(url, base string) string {
	dir := deptConfig(url, base, true)
	dir = strings.Replace(dir, `    object_class = "groupOfNames"
    group {`, `    object_class = "posixGroup"
    group {
      member_attribute = "memberUid"
      member_value     = "identifier"
      attributes       = { gidNumber = local.gids[group.name], description = "The ${group.name} department" }`, 1)
	dir = strings.Replace(dir, `declared  = ["engineering", "sales", `+fmt.Sprintf("%q", rdGroup)+`]`, `declared  = ["engineering", "sales"]`, 1)
	return dir + `
locals {
  gids = { engineering = 5001, sales = 5002 }
}
`
}

// TestCreatePosixGroups: declared posixGroups are created when their
// first member needs them, with the gidNumber the configuration gives;
// preview writes nothing; an import of the groups afterwards sees them
// without their memberUid.
func TestCreatePosixGroups(t *testing.T) {
	t.Parallel()
	srv := ldaptest.Start(t)
	base := srv.NewContainer(t, "posix")
	admin := srv.Admin(t)
	for _, ou := range []string{"people", "groups"} {
		req := goldap.NewAddRequest("ou="+ou+","+base, nil)
		req.Attribute("objectClass", []string{"organizationalUnit"})
		req.Attribute("ou", []string{ou})
		if err := admin.Add(req); err != nil {
			t.Fatal(err)
		}
	}
	csv := "emp_id,login,first_name,last_name,department,state\n" +
		"e1,alice,Alice,Archer,engineering,active\n" +
		"e2,bob,Bob,Baker,sales,active\n" +
		"e3,carol,Carol,Cooper,engineering,active\n"
	b := setup(t, map[string]string{"hr.csv": csv, "main.hcl": posixConfig(srv.URL, base) + groupTasks("dir")})

	before := dumpTree(t, admin, base)
	preview := b.run(t, "hr-import", "preview")
	mustSucceed(t, preview)
	if after := dumpTree(t, admin, base); after != before {
		t.Fatalf("preview changed the directory")
	}

	run := b.run(t, "hr-import", "")
	mustSucceed(t, run)
	if got := stat(run, "memberships.add"); got != 3 {
		t.Errorf("memberships.add = %d, want 3\n%s", got, describe(run))
	}
	groups := "ou=groups," + base
	for name, want := range map[string][]string{
		"engineering": {"description: The engineering department", "gidNumber: 5001", "memberUid: alice", "memberUid: carol"},
		"sales":       {"description: The sales department", "gidNumber: 5002", "memberUid: bob"},
	} {
		res, err := admin.Search(goldap.NewSearchRequest("cn="+name+","+groups, goldap.ScopeBaseObject, goldap.NeverDerefAliases, 0, 0, false,
			"(objectClass=posixGroup)", []string{"gidNumber", "memberUid", "description"}, nil))
		if err != nil {
			t.Fatalf("reading the group %s: %v", name, err)
		}
		var got []string
		for _, a := range res.Entries[0].Attributes {
			for _, v := range a.Values {
				got = append(got, a.Name+": "+v)
			}
		}
		slices.Sort(got)
		if d := diffLines(want, got); d != "" {
			t.Errorf("the created group %s:\n%s", name, d)
		}
	}

	mustSucceed(t, b.run(t, "groups-import", ""))
	want := []string{
		"engineering unmatched cn=engineering description=The engineering department gidNumber=5001 owner=0",
		"sales unmatched cn=sales description=The sales department gidNumber=5002 owner=0",
	}
	if d := diffLines(want, b.groupShadows(t, "dir")); d != "" {
		t.Errorf("the posixGroups' shadows:\n%s", d)
	}
}
