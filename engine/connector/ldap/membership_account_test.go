package ldap_test

import (
	"errors"
	"slices"
	"testing"

	goldap "github.com/go-ldap/ldap/v3"
	"github.com/syncline/syncline/engine/connector"
	"github.com/syncline/syncline/engine/connector/ldap/ldaptest"
)

// TestMembershipsOnAccount keeps memberships in the accounts'
// businessCategory: one value per group, names with commas and spaces
// as they are, repeated adds and removes succeeding, against a real
// slapd.
func TestMembershipsOnAccount(t *testing.T) {
	t.Parallel()
	srv := ldaptest.Start(t)
	cfg := config(t, srv)
	seed(t, srv, cfg.BaseDN, []connector.Object{obj("alice"), obj("bob"), obj("carol", "description", "x")})
	c := open(t, cfg)
	ctx := t.Context()
	class := connector.GroupClass{AccountAttribute: "businessCategory"}
	alice, bob := "uid=alice,"+cfg.BaseDN, "uid=bob,"+cfg.BaseDN
	rd := `R&D, Inc. + "Labs" <x>; `

	errs := c.ChangeMembers(ctx, class, []connector.MemberChange{
		{Group: rd, Member: alice},
		{Group: "sales", Member: alice},
		{Group: rd, Member: bob},
		{Group: rd, Member: bob},                                         // already there
		{Group: "nosuch", Member: bob, Remove: true},                     // not there
		{Group: "sales", Member: "uid=gone," + cfg.BaseDN, Remove: true}, // entry gone
		{Group: "sales", Member: "uid=gone," + cfg.BaseDN},               // entry gone: not found
	})
	for i, err := range errs[:6] {
		if err != nil {
			t.Errorf("change %d: %v", i, err)
		}
	}
	if !errors.Is(errs[6], connector.ErrNotFound) {
		t.Errorf("adding to a missing entry: %v, want not found", errs[6])
	}
	got := map[string][]string{}
	for g, err := range c.Groups(ctx, class) {
		if err != nil {
			t.Fatal(err)
		}
		members := slices.Clone(g.Members)
		slices.Sort(members)
		got[g.Name] = members
	}
	want := map[string][]string{rd: {c.MemberKey(alice), c.MemberKey(bob)}, "sales": {c.MemberKey(alice)}}
	slices.Sort(want[rd])
	if len(got) != len(want) || !slices.Equal(got[rd], want[rd]) || !slices.Equal(got["sales"], want["sales"]) {
		t.Fatalf("Groups = %v, want %v", got, want)
	}

	// A removal deletes one value and leaves the others.
	for i, err := range c.ChangeMembers(ctx, class, []connector.MemberChange{
		{Group: rd, Member: alice, Remove: true},
		{Group: rd, Member: alice, Remove: true},
		{Group: "SALES", Member: alice, Remove: true}, // the attribute's equality ignores case
	}) {
		if err != nil {
			t.Errorf("removal %d: %v", i, err)
		}
	}
	res, err := srv.Admin(t).Search(goldap.NewSearchRequest(cfg.BaseDN, goldap.ScopeWholeSubtree, goldap.NeverDerefAliases, 0, 0, false,
		"(businessCategory=*)", []string{"businessCategory"}, nil))
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Entries) != 1 || res.Entries[0].DN != bob || !slices.Equal(res.Entries[0].GetAttributeValues("businessCategory"), []string{rd}) {
		for _, e := range res.Entries {
			t.Errorf("left: %s %v", e.DN, e.GetAttributeValues("businessCategory"))
		}
		t.Fatalf("want only bob with %q", rd)
	}
}

// TestMembershipsOnAccountErrors: an attribute the schema does not know
// is a schema mismatch when reading; one the entry's classes do not
// allow is an invalid object when adding.
func TestMembershipsOnAccountErrors(t *testing.T) {
	t.Parallel()
	srv := ldaptest.Start(t)
	cfg := config(t, srv)
	seed(t, srv, cfg.BaseDN, []connector.Object{obj("alice")})
	c := open(t, cfg)
	var read error
	for _, err := range c.Groups(t.Context(), connector.GroupClass{AccountAttribute: "bussinessCategory"}) {
		read = err
		break
	}
	wantErr(t, "an unknown attribute", read, connector.ErrSchema, "bussinessCategory", "businessCategory")
	errs := c.ChangeMembers(t.Context(), connector.GroupClass{AccountAttribute: "memberUid"},
		[]connector.MemberChange{{Group: "devs", Member: "uid=alice," + cfg.BaseDN}})
	wantErr(t, "an attribute the class does not allow", errs[0], connector.ErrInvalidObject, "memberUid", "account_attribute")
}
