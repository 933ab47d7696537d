package config

import (
	"fmt"

	"github.com/hashicorp/hcl/v2"
	"github.com/zclconf/go-cty/cty"
)

// Entitlements: an object type of kind "entitlement" with a group block
// says where a resource keeps its groups and how it records a member; an
// association block on an account object type says which of those groups
// a user's account should be a member of.

// KindEntitlement is the kind of object types that hold groups.
const KindEntitlement = "entitlement"

// Group is an entitlement object type's group block.
type Group struct {
	// Membership is where a membership is stored: MembershipGroup (the
	// default: a member value on the group) or MembershipAccount (the
	// group's name in AccountAttribute of the account entry, as
	// memberOf-style attributes; LDAP only).
	Membership string
	// AccountAttribute is, with MembershipAccount, the account entry's
	// multi-valued attribute holding the names of its groups.
	AccountAttribute string
	// Container is where the groups are, and where declared ones are
	// created (LDAP: a DN).
	Container string
	// NameAttribute holds a group's name (LDAP: its RDN attribute);
	// MemberAttribute holds its members (one value per member).
	NameAttribute   string
	MemberAttribute string
	// MemberValue is how a member is recorded: MemberValueDN (LDAP's
	// default: the account entry's DN) or MemberValueIdentifier (the
	// account's identifier, as posixGroup's memberUid; SQL always).
	MemberValue string
	// Declared are the groups Syncline creates when they are missing.
	// It never deletes a group.
	Declared []string
	// Attributes, when not nil, is an expression over group.name, var
	// and local giving the attributes a declared group is created with
	// (a posixGroup's gidNumber); see GroupAttributes. LDAP only.
	Attributes hcl.Expression
	DeclRange  hcl.Range
}

// Membership storages.
const (
	MembershipGroup   = "group"
	MembershipAccount = "account"
)

// Member values.
const (
	MemberValueDN         = "dn"
	MemberValueIdentifier = "identifier"
)

// Group defaults.
const (
	DefaultGroupNameAttribute   = "cn"
	DefaultGroupMemberAttribute = "member"
)

// Association is an account object type's association block: the groups
// of one entitlement object type its owner's account should be in.
type Association struct {
	Name string // the block label
	// Entitlement is the intent of the entitlement object type on the
	// same resource whose groups these are.
	Entitlement string
	// Groups is an expression over the user giving a group name or a
	// list of them; null and empty names are no group.
	Groups hcl.Expression
	// Tolerant keeps memberships added by hand on the resource
	// (reported); not tolerant removes them.
	Tolerant  bool
	DeclRange hcl.Range
}

var groupSchema = &hcl.BodySchema{
	Attributes: []hcl.AttributeSchema{
		{Name: "membership"},
		{Name: "account_attribute"},
		{Name: "container"},
		{Name: "name_attribute"},
		{Name: "member_attribute"},
		{Name: "member_value"},
		{Name: "declared"},
		{Name: "attributes"},
	},
}

var associationSchema = &hcl.BodySchema{
	Attributes: []hcl.AttributeSchema{
		{Name: "entitlement", Required: true},
		{Name: "groups", Required: true},
		{Name: "tolerant"},
	},
}

// placeAssociation is where an association's groups expression appears.
var placeAssociation = exprPlace{"association groups expression", []string{RootUser, RootVar, RootLocal}}

// entitlementConnectors are the connectors that keep memberships.
var entitlementConnectors = []string{"ldap", "sql"}

func (c *Config) decodeGroup(d *decoder, b *hcl.Block) (*Group, hcl.Diagnostics) {
	g := &Group{Membership: MembershipGroup, NameAttribute: DefaultGroupNameAttribute, MemberAttribute: DefaultGroupMemberAttribute, DeclRange: b.DefRange}
	content, diags := b.Body.Content(groupSchema)
	var mDiags hcl.Diagnostics
	if attr, ok := content.Attributes["membership"]; ok {
		mDiags = d.enum(attr, []string{MembershipGroup, MembershipAccount}, &g.Membership)
		diags = append(diags, mDiags...)
	}
	if !mDiags.HasErrors() { // an unknown storage: its settings are not checked against either
		diags = append(diags, checkGroupStorage(g, b, content)...)
	}
	for _, f := range []struct {
		name string
		dst  *string
	}{{"container", &g.Container}, {"name_attribute", &g.NameAttribute}, {"member_attribute", &g.MemberAttribute}, {"account_attribute", &g.AccountAttribute}} {
		attr, ok := content.Attributes[f.name]
		if !ok {
			continue
		}
		s, ok, sDiags := d.knownString(attr)
		diags = append(diags, sDiags...)
		if ok && s == "" {
			diags = append(diags, &hcl.Diagnostic{
				Severity: hcl.DiagError,
				Summary:  "Empty group setting",
				Detail:   fmt.Sprintf("The group argument %q must not be empty.", f.name),
				Subject:  attr.Expr.Range().Ptr(),
			})
			continue
		}
		if ok {
			*f.dst = s
		}
	}
	if attr, ok := content.Attributes["member_value"]; ok {
		diags = append(diags, d.enum(attr, []string{MemberValueDN, MemberValueIdentifier}, &g.MemberValue)...)
	}
	if attr, ok := content.Attributes["declared"]; ok {
		diags = append(diags, d.strings(attr, &g.Declared)...)
		seen := map[string]bool{}
		for _, n := range g.Declared {
			if n == "" || seen[n] {
				diags = append(diags, &hcl.Diagnostic{
					Severity: hcl.DiagError,
					Summary:  "Invalid declared group",
					Detail:   fmt.Sprintf("The declared group %q is empty or listed twice; list each group's name once.", n),
					Subject:  attr.Expr.Range().Ptr(),
				})
				break
			}
			seen[n] = true
		}
	}
	if attr, ok := content.Attributes["attributes"]; ok && g.Membership != MembershipAccount {
		g.Attributes = attr.Expr
		if !diags.HasErrors() { // its checks read declared and the attribute names
			diags = append(diags, c.checkGroupAttributes(g, attr)...)
		}
	}
	return g, diags
}

func (c *Config) decodeAssociation(d *decoder, b *hcl.Block) (*Association, hcl.Diagnostics) {
	a := &Association{Name: b.Labels[0], Tolerant: true, DeclRange: b.DefRange}
	diags := checkName(b)
	content, cDiags := b.Body.Content(associationSchema)
	diags = append(diags, cDiags...)
	if attr, ok := content.Attributes["entitlement"]; ok {
		diags = append(diags, d.name(attr, &a.Entitlement)...)
	}
	if attr, ok := content.Attributes["tolerant"]; ok {
		diags = append(diags, d.boolean(attr, &a.Tolerant)...)
	}
	if attr, ok := content.Attributes["groups"]; ok {
		a.Groups = attr.Expr
		diags = append(diags, c.checkGroupsExpr(attr.Expr)...)
	}
	return a, diags
}

// checkGroupsExpr checks a groups expression and, when its type is
// already known, that it is a string or a list or set of strings.
func (c *Config) checkGroupsExpr(expr hcl.Expression) hcl.Diagnostics {
	diags := c.checkExpr(expr, placeAssociation)
	if diags.HasErrors() {
		return diags
	}
	v, _ := evaluate(expr, c.unknownObjectContext(placeAssociation))
	t := v.Type()
	ok := t == cty.DynamicPseudoType || t == cty.String || t.IsTupleType() ||
		((t.IsListType() || t.IsSetType()) && (t.ElementType() == cty.String || t.ElementType() == cty.DynamicPseudoType))
	if !ok {
		diags = append(diags, &hcl.Diagnostic{
			Severity: hcl.DiagError,
			Summary:  "Groups is not a list of names",
			Detail:   fmt.Sprintf("An association's groups gives a group name or a list of them, but this expression gives %s.", t.FriendlyName()),
			Subject:  expr.Range().Ptr(),
		})
	}
	return diags
}

// checkEntitlements checks, once every object type of r is decoded, that
// group blocks sit on entitlement object types of a connector that keeps
// memberships, and that each association names one on the same resource.
func checkEntitlements(r *Resource) hcl.Diagnostics {
	var diags hcl.Diagnostics
	for _, ot := range r.ObjectTypes {
		if ot.Group != nil && ot.Kind != KindEntitlement {
			diags = append(diags, &hcl.Diagnostic{
				Severity: hcl.DiagError,
				Summary:  "Group block on a non-entitlement object type",
				Detail:   fmt.Sprintf("Only an object_type %q holds groups; move the group block to one, or rename this object type's kind %q.", KindEntitlement, ot.Kind),
				Subject:  ot.Group.DeclRange.Ptr(),
			})
		}
		if (ot.Group != nil || len(ot.Associations) > 0) && r.Connector != "" && !contains(entitlementConnectors, r.Connector) {
			rng := ot.DeclRange
			if ot.Group != nil {
				rng = ot.Group.DeclRange
			} else {
				rng = ot.Associations[0].DeclRange
			}
			diags = append(diags, &hcl.Diagnostic{
				Severity: hcl.DiagError,
				Summary:  "Connector keeps no memberships",
				Detail:   fmt.Sprintf("The %s connector does not keep group memberships yet; groups and associations work on %v resources (docs/language.md, Entitlements).", r.Connector, entitlementConnectors),
				Subject:  rng.Ptr(),
			})
		}
		if g := ot.Group; g != nil && ot.Kind == KindEntitlement {
			diags = append(diags, checkAccountStorage(r, ot)...)
		}
		if g := ot.Group; g != nil && g.Membership != MembershipAccount {
			diags = append(diags, checkMemberValue(r, g)...)
		}
		if g := ot.Group; g != nil && g.Attributes != nil && r.Connector == "sql" {
			diags = append(diags, &hcl.Diagnostic{
				Severity: hcl.DiagError,
				Summary:  "Group attributes not available",
				Detail:   "A sql group is its rows of the membership table, created by inserting its first member: it has no attributes of its own to set. Remove attributes.",
				Subject:  g.Attributes.Range().Ptr(),
			})
		}
		for _, a := range ot.Associations {
			diags = append(diags, checkAssociation(r, ot, a)...)
		}
	}
	return diags
}

func checkAssociation(r *Resource, ot *ObjectType, a *Association) hcl.Diagnostics {
	fail := func(summary, detail string) hcl.Diagnostics {
		return hcl.Diagnostics{{Severity: hcl.DiagError, Summary: summary, Detail: detail, Subject: a.DeclRange.Ptr()}}
	}
	if ot.Kind == KindEntitlement {
		return fail("Association on an entitlement", "An association says which groups an account is in; put it on an account object type, not on an entitlement.")
	}
	if a.Entitlement == "" {
		return nil // already reported
	}
	et := r.ObjectType(KindEntitlement, a.Entitlement)
	switch {
	case et == nil:
		return fail("Unknown entitlement", fmt.Sprintf("The resource %q has no object_type %q with intent %q; declare it, with a group block, on the same resource as the account.",
			r.Name, KindEntitlement, a.Entitlement))
	case et.Group == nil:
		return fail("Entitlement without a group block", fmt.Sprintf("The object_type %q with intent %q needs a group block saying where its groups are and how members are recorded.",
			KindEntitlement, a.Entitlement))
	}
	for _, other := range ot.Associations {
		if other == a {
			break
		}
		if other.Entitlement == a.Entitlement {
			return hcl.Diagnostics{duplicate("Duplicate association", fmt.Sprintf("An association with the entitlement %q", a.Entitlement), other.DeclRange, a.DeclRange)}
		}
	}
	return nil
}

// checkMemberValue fills in the connector's default member value and
// refuses a DN where there are none (sql keeps account keys).
func checkMemberValue(r *Resource, g *Group) hcl.Diagnostics {
	switch {
	case r.Connector == "sql" && g.MemberValue == MemberValueDN:
		return hcl.Diagnostics{{
			Severity: hcl.DiagError,
			Summary:  "Member value not available",
			Detail:   `A sql membership table records a member by its account's key: remove member_value, or set it to "identifier".`,
			Subject:  g.DeclRange.Ptr(),
		}}
	case g.MemberValue != "":
	case r.Connector == "sql":
		g.MemberValue = MemberValueIdentifier
	default:
		g.MemberValue = MemberValueDN
	}
	return nil
}

// entitlementRefused are the object type settings an entitlement with a
// group block refuses: its objects are groups, known by their names, that
// no user owns and Syncline writes only through associations, so
// correlation, mappings, provisioning and activation would do nothing.
var entitlementRefused = []string{"identifier", "provision_when", "deprovision", "correlate", "inbound", "outbound", "activation"}

// checkEntitlementType refuses, on an entitlement object type with a
// group block, the settings that would do nothing there, and reactions
// other than "none": a group has no owner, so an import or reconciliation
// of the type finds every group unmatched (or deleted, once gone) and
// only records its shadow.
func checkEntitlementType(ot *ObjectType, content *hcl.BodyContent, reactions map[Situation]*hcl.Attribute) hcl.Diagnostics {
	if ot.Kind != KindEntitlement || ot.Group == nil {
		return nil
	}
	var diags hcl.Diagnostics
	refuse := func(what string, rng hcl.Range) {
		diags = append(diags, &hcl.Diagnostic{
			Severity: hcl.DiagError,
			Summary:  "Setting not available on an entitlement",
			Detail: fmt.Sprintf("An object_type %q with a group block holds groups, known by their names and owned by no user: %s would do nothing there. Remove it; associations on the account object type say who is in which group.",
				KindEntitlement, what),
			Subject: rng.Ptr(),
		})
	}
	for _, name := range entitlementRefused {
		if attr, ok := content.Attributes[name]; ok {
			refuse(fmt.Sprintf("the argument %q", name), attr.NameRange)
		}
	}
	for _, b := range content.Blocks {
		if contains(entitlementRefused, b.Type) {
			refuse(fmt.Sprintf("a %s block", b.Type), b.DefRange)
		}
	}
	for _, sit := range Situations {
		if attr, ok := reactions[sit]; ok && ot.Reactions[sit] != ReactionNone {
			diags = append(diags, &hcl.Diagnostic{
				Severity: hcl.DiagError,
				Summary:  "Reaction not available on an entitlement",
				Detail: fmt.Sprintf("A group has no owner, so an import or reconciliation of an entitlement only records its shadow and situation (unmatched, or deleted once gone); Syncline never creates users from groups, nor deletes groups. Set %s = %q, or remove it.",
					sit, ReactionNone),
				Subject: attr.Expr.Range().Ptr(),
			})
		}
	}
	return diags
}

// checkEntitlementActivity refuses activities an entitlement object type
// with a group block cannot run: import and reconciliation read its
// groups (not when they are stored on the account: there are no group
// entries), live synchronization and asynchronous updates would follow
// the accounts' changes, not the groups'.
func checkEntitlementActivity(ot *ObjectType, a *Activity) hcl.Diagnostics {
	if ot.Kind != KindEntitlement || ot.Group == nil {
		return nil
	}
	fail := func(detail string) hcl.Diagnostics {
		return hcl.Diagnostics{{Severity: hcl.DiagError, Summary: "Activity not available on an entitlement", Detail: detail, Subject: a.DeclRange.Ptr()}}
	}
	switch a.Type {
	case ActivityImport, ActivityReconciliation:
		if ot.Group.Membership == MembershipAccount {
			return fail(fmt.Sprintf("The entitlement %q stores its memberships on the accounts (%s): there are no group entries to %s. Import or reconcile the account object type instead.",
				ot.Intent, ot.Group.AccountAttribute, a.Type))
		}
	case ActivityLiveSync, ActivityAsyncUpdate:
		return fail(fmt.Sprintf("A %s activity follows the changes of a resource's accounts, not of its groups; keep the groups' shadows current with an import or reconciliation of kind %q.",
			a.Type, KindEntitlement))
	}
	return nil
}
