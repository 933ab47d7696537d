package planner

import (
	"strings"
	"testing"
)

// TestGroupSpec: a group block on the group writes its group settings
// and none of membership's, so a state applied before membership existed
// sees no change; one on the account writes only membership and
// account_attribute.
func TestGroupSpec(t *testing.T) {
	t.Parallel()
	defs := mustDesired(t, map[string]string{"main.hcl": `
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
`})
	spec := defs["resource.dir"].Spec
	want := map[string]string{
		"object_type.entitlement/groups.group.container":            `"ou=groups,dc=example,dc=org"`,
		"object_type.entitlement/groups.group.member_value":         `"dn"`,
		"object_type.entitlement/onaccount.group.membership":        `"account"`,
		"object_type.entitlement/onaccount.group.account_attribute": `"businessCategory"`,
	}
	for path, v := range want {
		if got, ok := spec[path]; !ok || got != v {
			t.Errorf("%s = %q (present %v), want %q", path, got, ok, v)
		}
	}
	for path := range spec {
		group := strings.HasPrefix(path, "object_type.entitlement/groups.group.")
		account := strings.HasPrefix(path, "object_type.entitlement/onaccount.group.")
		switch {
		case group && (strings.HasSuffix(path, ".membership") || strings.HasSuffix(path, ".account_attribute")):
			t.Errorf("a group block on the group wrote %s", path)
		case account && !strings.HasSuffix(path, ".membership") && !strings.HasSuffix(path, ".account_attribute"):
			t.Errorf("a group block on the account wrote %s", path)
		}
	}
}
