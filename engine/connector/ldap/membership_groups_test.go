package ldap_test

import (
	"errors"
	"slices"
	"strings"
	"testing"

	goldap "github.com/go-ldap/ldap/v3"
	"github.com/syncline/syncline/engine/connector"
	"github.com/syncline/syncline/engine/connector/ldap/ldaptest"
)

// TestGroupObjects reads groups as objects against a real slapd: each
// known by its cn, with its class's attributes but never its members;
// another class's groups are not read; bad group settings are schema
// errors that name the setting.
func TestGroupObjects(t *testing.T) {
	t.Parallel()
	srv := ldaptest.Start(t)
	cfg := config(t, srv)
	c := open(t, cfg)
	ctx := t.Context()
	admin := srv.Admin(t)
	groups := "ou=groups," + cfg.BaseDN
	add := func(dn string, attrs map[string][]string) {
		t.Helper()
		req := goldap.NewAddRequest(dn, nil)
		for name, vs := range attrs {
			req.Attribute(name, vs)
		}
		if err := admin.Add(req); err != nil {
			t.Fatalf("adding %s: %v", dn, err)
		}
	}
	add(groups, map[string][]string{"objectClass": {"organizationalUnit"}, "ou": {"groups"}})
	add("cn=Engineering,"+groups, map[string][]string{"objectClass": {"groupOfNames"}, "cn": {"Engineering"},
		"description": {"The engineers"}, "member": {"uid=a," + cfg.BaseDN, "uid=b," + cfg.BaseDN}})
	add("cn=ops,"+groups, map[string][]string{"objectClass": {"posixGroup"}, "cn": {"ops"}, "gidNumber": {"5000"}, "memberUid": {"a", "b"}})

	names := connector.GroupClass{ObjectClass: "groupOfNames", Container: groups, NameAttribute: "cn", MemberAttribute: "member"}
	posix := connector.GroupClass{ObjectClass: "posixGroup", Container: groups, NameAttribute: "cn", MemberAttribute: "memberUid", MemberIsIdentifier: true}
	tests := []struct {
		class connector.GroupClass
		want  []connector.Object
	}{
		{names, []connector.Object{{ID: "Engineering", Attributes: connector.Attributes{"cn": {"Engineering"}, "description": {"The engineers"}}}}},
		{posix, []connector.Object{{ID: "ops", Attributes: connector.Attributes{"cn": {"ops"}, "gidNumber": {"5000"}}}}},
	}
	for _, tt := range tests {
		var got []connector.Object
		for obj, err := range c.SearchGroups(ctx, tt.class, connector.Query{PageSize: 1}) {
			if err != nil {
				t.Fatal(err)
			}
			got = append(got, obj)
		}
		if !slices.EqualFunc(got, tt.want, equalObjects) {
			t.Errorf("SearchGroups(%s) = %v, want %v", tt.class.ObjectClass, got, tt.want)
		}
	}
	if obj, err := c.GetGroup(ctx, names, "ENGINEERING"); err != nil || obj.ID != "Engineering" || obj.Attributes["member"] != nil {
		t.Errorf("GetGroup(ENGINEERING) = %v, %v; want Engineering without members", obj, err)
	}
	if _, err := c.GetGroup(ctx, names, "ops"); !errors.Is(err, connector.ErrNotFound) {
		t.Errorf("GetGroup of another class's group: %v, want not found", err)
	}

	bad := []struct {
		name  string
		class connector.GroupClass
		kind  error
	}{
		{"missing container", connector.GroupClass{ObjectClass: "groupOfNames", Container: "ou=nosuch," + cfg.BaseDN, NameAttribute: "cn", MemberAttribute: "member"}, connector.ErrSchema},
		{"unknown class", connector.GroupClass{ObjectClass: "groupOfNamez", Container: groups, NameAttribute: "cn", MemberAttribute: "member"}, connector.ErrSchema},
		{"unknown name attribute", connector.GroupClass{ObjectClass: "groupOfNames", Container: groups, NameAttribute: "nosuch", MemberAttribute: "member"}, connector.ErrSchema},
		{"on the account", connector.GroupClass{AccountAttribute: "businessCategory"}, connector.ErrUnsupported},
	}
	for _, tt := range bad {
		var got error
		for _, err := range c.SearchGroups(ctx, tt.class, connector.Query{}) {
			got = err
			break
		}
		if !errors.Is(got, tt.kind) {
			t.Errorf("%s: SearchGroups: %v, want %v", tt.name, got, tt.kind)
		}
	}
}

func equalObjects(a, b connector.Object) bool {
	if a.ID != b.ID || len(a.Attributes) != len(b.Attributes) {
		return false
	}
	for k, vs := range a.Attributes {
		if !slices.Equal(vs, b.Attributes[k]) {
			return false
		}
	}
	return true
}

// TestCreatePosixGroup: a declared posixGroup is created with the
// attributes its change carries (its gidNumber) and its first memberUid;
// without a gidNumber the server refuses it and nothing is created; it
// may lose its last member.
func TestCreatePosixGroup(t *testing.T) {
	t.Parallel()
	srv := ldaptest.Start(t)
	cfg := config(t, srv)
	c := open(t, cfg)
	ctx := t.Context()
	class := connector.GroupClass{ObjectClass: "posixGroup", Container: cfg.BaseDN, NameAttribute: "cn", MemberAttribute: "memberUid", MemberIsIdentifier: true}
	errs := c.ChangeMembers(ctx, class, []connector.MemberChange{
		{Group: "nogid", Member: "alice", Create: true},
		{Group: "ops", Member: "alice", Create: true, Attributes: map[string][]string{"gidNumber": {"5001"}, "description": {"Operations"}}},
		{Group: "ops", Member: "bob", Create: true, Attributes: map[string][]string{"gidNumber": {"5001"}}},
	})
	if errs[0] == nil || !strings.Contains(errs[0].Error(), "gidNumber") {
		t.Errorf("creating a posixGroup without gidNumber: %v, want the server's refusal naming gidNumber", errs[0])
	}
	for i, err := range errs[1:] {
		if err != nil {
			t.Errorf("change %d: %v", i+1, err)
		}
	}
	got, err := c.GetGroup(ctx, class, "ops")
	if err != nil || !slices.Equal(got.Attributes["gidNumber"], []string{"5001"}) || !slices.Equal(got.Attributes["description"], []string{"Operations"}) {
		t.Errorf("GetGroup(ops) = %v, %v; want gidNumber 5001 and the description", got, err)
	}
	if _, err := c.GetGroup(ctx, class, "nogid"); !errors.Is(err, connector.ErrNotFound) {
		t.Errorf("the refused group: %v, want not found", err)
	}
	for g, err := range c.Groups(ctx, class) {
		if err != nil {
			t.Fatal(err)
		}
		if g.Name != "ops" || !slices.Equal(g.Members, []string{"alice", "bob"}) {
			t.Errorf("group %+v, want ops with alice and bob", g)
		}
	}
	errs = c.ChangeMembers(ctx, class, []connector.MemberChange{{Group: "ops", Member: "alice", Remove: true}, {Group: "ops", Member: "bob", Remove: true}})
	if errs[0] != nil || errs[1] != nil {
		t.Errorf("emptying a posixGroup: %v", errs)
	}
}
