package config

import (
	"testing"
	"testing/fstest"
)

// TestGroupMembershipDecoding: membership defaults to "group" with the
// group settings' defaults; "account" keeps account_attribute and no
// group-entry defaults (nothing names or holds members of an entry).
func TestGroupMembershipDecoding(t *testing.T) {
	t.Parallel()
	src := `
resource "dir" {
  connector = "ldap"
  connection {
    url     = "ldap://127.0.0.1:1"
    base_dn = "dc=example,dc=org"
  }
  object_type "entitlement" {
    intent = "groups"
    group {
      container = "ou=groups,dc=example,dc=org"
    }
  }
  object_type "entitlement" {
    intent = "onaccount"
    group {
      membership        = "account"
      account_attribute = "businessCategory"
    }
  }
}
`
	cfg, diags := LoadFS(fstest.MapFS{"main.hcl": {Data: []byte(src)}}, "", LoadOptions{})
	if diags.HasErrors() {
		t.Fatal(diags)
	}
	r := cfg.Resources["dir"]
	g := r.ObjectType(KindEntitlement, "groups").Group
	if g.Membership != MembershipGroup || g.AccountAttribute != "" || g.NameAttribute != "cn" || g.MemberAttribute != "member" || g.MemberValue != MemberValueDN {
		t.Errorf("group on the group: %+v", g)
	}
	a := r.ObjectType(KindEntitlement, "onaccount").Group
	if a.Membership != MembershipAccount || a.AccountAttribute != "businessCategory" || a.Container != "" || a.NameAttribute != "" || a.MemberAttribute != "" || a.MemberValue != "" {
		t.Errorf("group on the account: %+v", a)
	}
}
