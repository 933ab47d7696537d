package ldap_test

import (
	"errors"
	"slices"
	"strings"
	"testing"

	goldap "github.com/go-ldap/ldap/v3"
	"github.com/syncline/syncline/engine/connector"
	"github.com/syncline/syncline/engine/connector/ldap"
	"github.com/syncline/syncline/engine/connector/ldap/ldaptest"
)

func TestMemberKey(t *testing.T) {
	t.Parallel()
	c := &ldap.Connector{}
	tests := []struct{ a, b string }{
		{"uid=Jiri,OU=People,dc=Example,dc=org", "uid=jiri,ou=people,dc=example,dc=org"},
		{"uid=jiri, ou=people, dc=example, dc=org", "uid=jiri,ou=people,dc=example,dc=org"},
		{`cn=R&D\, Inc.,ou=groups`, `CN=r&d\2c inc.,OU=Groups`},
		{"not a dn", "NOT A DN"},
	}
	for _, tt := range tests {
		if ka, kb := c.MemberKey(tt.a), c.MemberKey(tt.b); ka != kb {
			t.Errorf("MemberKey(%q) = %q, MemberKey(%q) = %q: want the same", tt.a, ka, tt.b, kb)
		}
	}
}

// TestMemberships adds and removes members of groupOfNames groups whose
// names need escaping, creates a declared group with its first member,
// and refuses to empty a group, against a real slapd.
func TestMemberships(t *testing.T) {
	t.Parallel()
	srv := ldaptest.Start(t)
	cfg := config(t, srv)
	c := open(t, cfg)
	ctx := t.Context()
	admin := srv.Admin(t)
	groups := "ou=groups," + cfg.BaseDN
	ou := goldap.NewAddRequest(groups, nil)
	ou.Attribute("objectClass", []string{"organizationalUnit"})
	ou.Attribute("ou", []string{"groups"})
	if err := admin.Add(ou); err != nil {
		t.Fatal(err)
	}
	class := connector.GroupClass{ObjectClass: "groupOfNames", Container: groups, NameAttribute: "cn", MemberAttribute: "member"}
	name := `#1 R&D, Inc. + "Labs" <x>; `
	alice, err := c.MemberValue(ctx, "alice")
	if err != nil || alice != "uid=alice,"+cfg.BaseDN {
		t.Fatalf("MemberValue(alice) = %q, %v", alice, err)
	}
	bob := "uid=bob," + cfg.BaseDN

	errs := c.ChangeMembers(ctx, class, []connector.MemberChange{
		{Group: name, Member: alice}, // missing, not declared
		{Group: name, Member: alice, Create: true},
		{Group: name, Member: bob, Create: true},
		{Group: name, Member: bob},                   // already there
		{Group: "nosuch", Member: bob, Remove: true}, // group gone: nothing to remove
	})
	if !errors.Is(errs[0], connector.ErrNotFound) {
		t.Errorf("adding to a missing undeclared group: %v, want not found", errs[0])
	}
	for i, err := range errs[1:] {
		if err != nil {
			t.Errorf("change %d: %v", i+1, err)
		}
	}
	var got []connector.Group
	for g, err := range c.Groups(ctx, class) {
		if err != nil {
			t.Fatal(err)
		}
		got = append(got, g)
	}
	if len(got) != 1 || got[0].Name != name || !slices.Equal(got[0].Members, []string{c.MemberKey(alice), c.MemberKey(bob)}) {
		t.Fatalf("Groups = %+v, want %q with alice and bob", got, name)
	}
	errs = c.ChangeMembers(ctx, class, []connector.MemberChange{
		{Group: name, Member: alice, Remove: true},
		{Group: name, Member: alice, Remove: true}, // not there any more
		{Group: name, Member: bob, Remove: true},   // the last one
	})
	if errs[0] != nil || errs[1] != nil {
		t.Errorf("removing alice: %v, %v", errs[0], errs[1])
	}
	if !errors.Is(errs[2], connector.ErrInvalidObject) || !strings.Contains(errs[2].Error(), "last member") {
		t.Errorf("removing the last member: %v, want an invalid object error saying why", errs[2])
	}
}

// TestUniqueMembers: groupOfUniqueNames keeps members in uniqueMember, the
// same way.
func TestUniqueMembers(t *testing.T) {
	t.Parallel()
	srv := ldaptest.Start(t)
	cfg := config(t, srv)
	c := open(t, cfg)
	class := connector.GroupClass{ObjectClass: "groupOfUniqueNames", Container: cfg.BaseDN, NameAttribute: "cn", MemberAttribute: "uniqueMember"}
	alice := "uid=alice," + cfg.BaseDN
	for i, err := range c.ChangeMembers(t.Context(), class, []connector.MemberChange{
		{Group: "admins", Member: alice, Create: true},
		{Group: "admins", Member: "uid=bob," + cfg.BaseDN},
		{Group: "admins", Member: "uid=bob," + cfg.BaseDN, Remove: true},
	}) {
		if err != nil {
			t.Errorf("change %d: %v", i, err)
		}
	}
	for g, err := range c.Groups(t.Context(), class) {
		if err != nil {
			t.Fatal(err)
		}
		if g.Name != "admins" || !slices.Equal(g.Members, []string{c.MemberKey(alice)}) {
			t.Errorf("group %+v, want admins with alice", g)
		}
	}
}
