package config

import (
	"fmt"

	"github.com/hashicorp/hcl/v2"
)

// Memberships stored on the account (membership = "account"): the
// account entry's account_attribute holds the names of the groups it is
// in, one value each, as memberOf-style attributes do. There are no
// group entries to find, create or name, so the group block's settings
// about them are refused rather than silently ignored.

// groupOnlySettings are the group block's settings that describe group
// entries, which membership = "account" has none of.
var groupOnlySettings = []string{"container", "name_attribute", "member_attribute", "member_value", "declared", "attributes"}

// checkGroupStorage checks the group block's settings against its
// membership storage: container is required with "group", and
// account_attribute with "account", which refuses the group-only ones.
func checkGroupStorage(g *Group, b *hcl.Block, content *hcl.BodyContent) hcl.Diagnostics {
	var diags hcl.Diagnostics
	if g.Membership != MembershipAccount {
		if _, ok := content.Attributes["container"]; !ok {
			diags = append(diags, &hcl.Diagnostic{
				Severity: hcl.DiagError,
				Summary:  "Missing required argument",
				Detail:   `The argument "container" is required: where the groups are (LDAP: a DN; SQL: the membership table).`,
				Subject:  b.DefRange.Ptr(),
			})
		}
		if attr, ok := content.Attributes["account_attribute"]; ok {
			diags = append(diags, &hcl.Diagnostic{
				Severity: hcl.DiagError,
				Summary:  "Setting of another membership storage",
				Detail:   `account_attribute says which attribute of the account holds its groups, with membership = "account"; on the group (the default) the group's member_attribute holds its members. Remove account_attribute, or set membership = "account".`,
				Subject:  attr.Range.Ptr(),
			})
		}
		return diags
	}
	if _, ok := content.Attributes["account_attribute"]; !ok {
		diags = append(diags, &hcl.Diagnostic{
			Severity: hcl.DiagError,
			Summary:  "Missing required argument",
			Detail:   `With membership = "account", the argument "account_attribute" is required: the account entry's multi-valued attribute holding the names of its groups.`,
			Subject:  b.DefRange.Ptr(),
		})
	}
	for _, name := range groupOnlySettings {
		if attr, ok := content.Attributes[name]; ok {
			diags = append(diags, &hcl.Diagnostic{
				Severity: hcl.DiagError,
				Summary:  "Setting of another membership storage",
				Detail: fmt.Sprintf(`With membership = "account" the groups are names in the account's account_attribute, not entries: %q would do nothing; remove it.`,
					name),
				Subject: attr.Range.Ptr(),
			})
		}
	}
	g.NameAttribute, g.MemberAttribute = "", ""
	return diags
}

// checkAccountStorage refuses membership = "account" where it cannot be
// kept: on sql (an account row has no multi-valued column), and with an object_class on the entitlement
// object type (there are no group entries of a class).
func checkAccountStorage(r *Resource, ot *ObjectType) hcl.Diagnostics {
	g := ot.Group
	if g == nil || g.Membership != MembershipAccount {
		return nil
	}
	var diags hcl.Diagnostics
	if r.Connector == "sql" { // other connectors keep no memberships at all: reported once, by checkEntitlements
		diags = append(diags, &hcl.Diagnostic{
			Severity: hcl.DiagError,
			Summary:  "Membership on the account not available",
			Detail: fmt.Sprintf(`membership = "account" keeps the groups in a multi-valued attribute of the account entry, which only the ldap connector has; a %s account has no multi-valued attribute. Store memberships on the group (a membership table on sql): remove membership and account_attribute, and set container.`,
				r.Connector),
			Subject: g.DeclRange.Ptr(),
		})
	}
	if ot.ObjectClass != "" {
		diags = append(diags, &hcl.Diagnostic{
			Severity: hcl.DiagError,
			Summary:  "Setting of another membership storage",
			Detail:   `With membership = "account" the groups are names in the account's account_attribute, not entries of an object class: the entitlement's object_class would do nothing; remove it.`,
			Subject:  g.DeclRange.Ptr(),
		})
	}
	return diags
}
