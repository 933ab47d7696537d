package synchronization_test

import (
	"slices"
	"strings"
	"testing"

	goldap "github.com/go-ldap/ldap/v3"
	"github.com/syncline/syncline/engine/connector/ldap/ldaptest"
)

// acctConfig is deptConfig with the department memberships stored on the
// account, in businessCategory, instead of groupOfNames groups.
func acctConfig(t *testing.T, url, base string, tolerant bool) string {
	t.Helper()
	cfg := deptConfig(url, base, tolerant)
	start := strings.Index(cfg, `  object_type "entitlement" {`)
	end := strings.Index(cfg, `  object_type "account" {
    object_class`)
	if start < 0 || end < start {
		t.Fatal("deptConfig has changed: no entitlement block before the account")
	}
	return cfg[:start] + `  object_type "entitlement" {
    intent = "department"
    group {
      membership        = "account"
      account_attribute = "businessCategory"
    }
  }
` + cfg[end:]
}

// TestMembershipsOnAccount runs the department story with memberships
// stored on the account entry, against a real slapd behind the
// request-counting proxy: every change is a modify of the account.
func TestMembershipsOnAccount(t *testing.T) {
	t.Parallel()
	srv := ldaptest.Start(t)
	base := srv.NewContainer(t, "acct")
	admin := srv.Admin(t)
	req := goldap.NewAddRequest("ou=people,"+base, nil)
	req.Attribute("objectClass", []string{"organizationalUnit"})
	req.Attribute("ou", []string{"people"})
	if err := admin.Add(req); err != nil {
		t.Fatal(err)
	}
	proxy := newLDAPCounter(t, srv.Addr)
	b := setup(t, map[string]string{"hr.csv": deptCSV, "main.hcl": acctConfig(t, "ldap://"+proxy.addr(), base, true)})
	people := "ou=people," + base
	dn := func(uid string) string { return "uid=" + uid + "," + people }
	groupsOf := func(uid string) []string {
		t.Helper()
		res, err := admin.Search(goldap.NewSearchRequest(dn(uid), goldap.ScopeBaseObject, goldap.NeverDerefAliases, 0, 0, false,
			"(objectClass=*)", []string{"businessCategory"}, nil))
		if err != nil {
			t.Fatalf("reading %s: %v", uid, err)
		}
		got := res.Entries[0].GetAttributeValues("businessCategory")
		slices.Sort(got)
		return got
	}

	// Preview writes nothing and says what it would do.
	before := dumpTree(t, admin, base)
	preview := b.run(t, "hr-import", "preview")
	mustSucceed(t, preview)
	if after := dumpTree(t, admin, base); after != before {
		t.Fatalf("preview changed the directory")
	}
	if got := proxy.writes(); len(got) != 0 {
		t.Fatalf("preview sent writes: %v", got)
	}
	wantPreview := []string{
		"membership add alice engineering member:[]→[" + dn("alice") + "]",
		"membership add bob sales member:[]→[" + dn("bob") + "]",
		"membership add carol " + rdGroup + " member:[]→[" + dn("carol") + "]",
	}
	if d := diffLines(wantPreview, memberships(b.changes(t, preview.ID))); d != "" {
		t.Errorf("preview's membership changes:\n%s", d)
	}

	// The import creates each account, then adds its department to it
	// with one modify of the entry; the name with a comma, a plus and
	// quotes is a value, not escaped, and needs no group entry.
	proxy.reset()
	run := b.run(t, "hr-import", "")
	mustSucceed(t, run)
	if got := stat(run, "memberships.add"); got != 3 {
		t.Errorf("memberships.add = %d, want 3\n%s", got, describe(run))
	}
	wantWrites := []string{"add " + dn("alice"), "add " + dn("bob"), "add " + dn("carol"),
		"modify " + dn("alice"), "modify " + dn("bob"), "modify " + dn("carol")}
	if got := proxy.writes(); !slices.Equal(sortedStrings(got), wantWrites) {
		t.Errorf("the import sent %v, want %v", got, wantWrites)
	}
	for uid, want := range map[string]string{"alice": "engineering", "bob": "sales", "carol": rdGroup} {
		if got := groupsOf(uid); !slices.Equal(got, []string{want}) {
			t.Errorf("%s has businessCategory %q, want [%q]", uid, got, want)
		}
	}
	again := b.run(t, "recompute", "")
	mustSucceed(t, again)
	if cs := b.changes(t, again.ID); len(cs) != 0 {
		t.Errorf("a recompute right after changed %v", cs)
	}

	// bob moves to engineering: two modifies of his entry, the add first.
	moveCSV := strings.Replace(deptCSV, "Baker,sales", "Baker,engineering", 1)
	b.write(t, map[string]string{"hr.csv": moveCSV})
	proxy.reset()
	moved := b.run(t, "hr-import", "")
	mustSucceed(t, moved)
	if got, want := proxy.writes(), []string{"modify " + dn("bob"), "modify " + dn("bob")}; !slices.Equal(got, want) {
		t.Errorf("the move sent %v, want %v", got, want)
	}
	wantMove := []string{
		"membership add bob engineering member:[]→[" + dn("bob") + "]",
		"membership remove bob sales member:[" + dn("bob") + "]→[]",
	}
	if d := diffLines(wantMove, memberships(b.changes(t, moved.ID))); d != "" {
		t.Errorf("the move's changes:\n%s", d)
	}
	if got := groupsOf("bob"); !slices.Equal(got, []string{"engineering"}) {
		t.Errorf("bob has businessCategory %q after the move, want [engineering]", got)
	}

	// A value added by hand is reported while tolerant, by a
	// reconciliation of the directory...
	hand := goldap.NewModifyRequest(dn("alice"), nil)
	hand.Add("businessCategory", []string{"vpn, remote"})
	if err := admin.Modify(hand); err != nil {
		t.Fatal(err)
	}
	tol := b.run(t, "dir-reconcile", "")
	mustSucceed(t, tol)
	if d := diffLines([]string{"membership tolerate alice vpn, remote member:[]→[" + dn("alice") + "]"}, memberships(b.changes(t, tol.ID))); d != "" {
		t.Errorf("tolerant reconciliation:\n%s", d)
	}
	if got := groupsOf("alice"); !slices.Equal(got, []string{"engineering", "vpn, remote"}) {
		t.Errorf("a tolerant association left alice with %q, want engineering and the hand-added value", got)
	}
	// ... and removed once the association is not tolerant.
	b.write(t, map[string]string{"main.hcl": acctConfig(t, "ldap://"+proxy.addr(), base, false)})
	b.apply(t)
	strict := b.run(t, "recompute", "")
	mustSucceed(t, strict)
	if d := diffLines([]string{"membership remove alice vpn, remote member:[" + dn("alice") + "]→[]"}, memberships(b.changes(t, strict.ID))); d != "" {
		t.Errorf("strict recompute:\n%s", d)
	}
	if got := groupsOf("alice"); !slices.Equal(got, []string{"engineering"}) {
		t.Errorf("a strict association left alice with %q, want [engineering]", got)
	}

	// carol is renamed: the entry moves with its values, and no
	// membership changes.
	renameCSV := strings.Replace(moveCSV, "e3,carol,", "e3,caroline,", 1)
	b.write(t, map[string]string{"hr.csv": renameCSV})
	proxy.reset()
	renamed := b.run(t, "hr-import", "")
	mustSucceed(t, renamed)
	if got, want := proxy.writes(), []string{"modifydn " + dn("carol")}; !slices.Equal(got, want) {
		t.Errorf("the rename sent %v, want %v", got, want)
	}
	if got := memberships(b.changes(t, renamed.ID)); len(got) != 0 {
		t.Errorf("the rename changed memberships: %v", got)
	}
	if got := groupsOf("caroline"); !slices.Equal(got, []string{rdGroup}) {
		t.Errorf("caroline has businessCategory %q, want [%q]", got, rdGroup)
	}

	// alice is terminated: her value goes before her entry does.
	b.write(t, map[string]string{"hr.csv": strings.Replace(renameCSV, "Archer,engineering,active", "Archer,engineering,terminated", 1)})
	proxy.reset()
	gone := b.run(t, "hr-import", "")
	mustSucceed(t, gone)
	if got, want := proxy.writes(), []string{"modify " + dn("alice"), "delete " + dn("alice")}; !slices.Equal(got, want) {
		t.Errorf("the termination sent %v, want %v in that order", got, want)
	}
	if d := diffLines([]string{"membership remove alice engineering member:[" + dn("alice") + "]→[]"}, memberships(b.changes(t, gone.ID))); d != "" {
		t.Errorf("the termination's membership changes:\n%s", d)
	}
}
