package synchronization

import (
	"context"
	"fmt"
	"iter"
	"strings"

	"github.com/syncline/syncline/config"
	"github.com/syncline/syncline/engine/connector"
)

// Groups as objects. An import or reconciliation of an entitlement object
// type with a group block reads the type's groups where the group block
// says they are (ldap: the entries of its object class under container;
// sql: the distinct names of the membership table), not the accounts the
// connection reads. A pass over such a type sees the resource's connector
// through groupObjects:
//
//   - an object is a group, identified by its name (the value of
//     name_attribute, as associations, runs show and statistics name it),
//     matched without regard to case;
//   - its attributes are the group's own without its members (ldap: those
//     its object class allows, member_attribute left out and not even
//     read): a shadow caches no member list, and a membership change
//     changes no group's shadow;
//   - nothing is written: a group has no owner, so it is always unmatched
//     (or deleted once gone) and its reactions are "none" (config refuses
//     others); groups change only through associations.

// groupObjects is a resource's connector seen through one entitlement
// object type: its objects are the type's groups.
type groupObjects struct {
	connector.Connector
	groups connector.GroupObjects
	class  connector.GroupClass
}

var (
	_ connector.Connector  = (*groupObjects)(nil)
	_ connector.KeyMatcher = (*groupObjects)(nil)
)

// objectsOf returns the connector a pass over rt reads: conn itself, or,
// for an entitlement object type with a group block, conn's groups.
func objectsOf(conn connector.Connector, rt *resourceType) (connector.Connector, error) {
	ot := rt.ot
	if ot.Kind != config.KindEntitlement || ot.Group == nil {
		return conn, nil
	}
	g, ok := conn.(connector.GroupObjects)
	if !ok || ot.Group.Membership == config.MembershipAccount {
		return nil, fmt.Errorf("%s: the groups of this entitlement have no objects of their own to read (memberships on the account, or a connector without groups)", rt.address())
	}
	return &groupObjects{Connector: conn, groups: g, class: groupClass(ot)}, nil
}

// Capabilities: read only. Groups are created with their first member
// and changed one member at a time, through associations.
func (g *groupObjects) Capabilities() connector.Capabilities {
	return connector.Capabilities{Read: true, MultiValued: true}
}

// Search streams the groups.
func (g *groupObjects) Search(ctx context.Context, q connector.Query) iter.Seq2[connector.Object, error] {
	return g.groups.SearchGroups(ctx, g.class, q)
}

// Get reads the group named id.
func (g *groupObjects) Get(ctx context.Context, id string) (connector.Object, error) {
	return g.groups.GetGroup(ctx, g.class, id)
}

// MatchKey: group names compare without regard to case.
func (g *groupObjects) MatchKey(id string) string { return strings.ToLower(id) }

// Create, Update and Delete are refused: Syncline never writes a group
// as an object (and never deletes one).
func (g *groupObjects) Create(context.Context, connector.Object) error {
	return g.unsupported("create", "")
}

func (g *groupObjects) Update(_ context.Context, id string, _ []connector.Modification) error {
	return g.unsupported("update", id)
}

func (g *groupObjects) Delete(_ context.Context, id string) error {
	return g.unsupported("delete", id)
}

func (g *groupObjects) unsupported(op, id string) error {
	return &connector.Error{Kind: connector.ErrUnsupported, Op: op, Resource: g.Resource(), Object: id,
		Err:  fmt.Errorf("groups are not written as objects"),
		Hint: "Groups change only through associations (declared ones are created with their first member); Syncline never deletes a group."}
}

// Close leaves the resource's connector open: the world closes it.
func (g *groupObjects) Close() error { return nil }
