package connector

import (
	"context"
	"iter"
)

// Memberships is the optional capability of a connector whose resource
// keeps groups (entitlements) and their members: LDAP groupOfNames keeps
// one `member` value per member, the DN of the member's entry.
//
// Memberships are changed one value at a time — an LDAP modify that adds
// or deletes one `member` value — never by replacing a group's member
// list, so a group of 10,000 members gets its 10,001st with one small
// write and no read.
type Memberships interface {
	// Groups streams the groups of g with their members, each member as
	// MemberKey gives it.
	Groups(ctx context.Context, g GroupClass) iter.Seq2[Group, error]
	// MemberValue returns the value that records the account with
	// identifier id as a member (LDAP: its entry's DN), reading the
	// resource when it must.
	MemberValue(ctx context.Context, id string) (string, error)
	// MemberValueKnown returns MemberValue's answer when it needs no read
	// of the resource, and false when it would.
	MemberValueKnown(id string) (string, bool)
	// MemberKey returns the form of a member value the resource treats
	// as the same (LDAP: a DN with case and spacing normalized).
	MemberKey(value string) string
	// ChangeMembers carries out changes and returns one error per change.
	// Adding a member already there and removing one not there succeed. A
	// group missing when a member is added is created when its change
	// says Create (with that member), otherwise the change fails with
	// ErrNotFound.
	ChangeMembers(ctx context.Context, g GroupClass, changes []MemberChange) []error
}

// GroupClass says where a resource keeps groups of one kind and how it
// records members.
type GroupClass struct {
	ObjectClass     string // e.g. groupOfNames
	Container       string // where the groups are (LDAP: a DN)
	NameAttribute   string // holds a group's name (LDAP: its RDN attribute)
	MemberAttribute string // holds its members
	// MemberIsIdentifier records a member by its account's identifier
	// (posixGroup's memberUid) rather than by MemberValue (a DN).
	MemberIsIdentifier bool
	// AccountAttribute, when not "", stores memberships on the account
	// instead of the group (memberOf-style): the account entry's
	// multi-valued attribute holding the names of the groups it is in,
	// one value each. Groups then reads the accounts that have it, and
	// ChangeMembers adds or deletes one value of it on the entry whose
	// member value (MemberValue: its DN) is the change's Member. There
	// are no group entries: any name is a group, nothing is created, and
	// ObjectClass, Container, NameAttribute and MemberAttribute are
	// unused.
	AccountAttribute string
}

// OnAccount reports whether g's memberships are stored on the account.
func (g GroupClass) OnAccount() bool { return g.AccountAttribute != "" }

// Group is one group with its name and member keys.
type Group struct {
	Name    string
	Members []string
}

// MemberChange adds Member to (or with Remove, removes it from) the group
// Group.
type MemberChange struct {
	Group  string
	Member string
	Remove bool
	// Create creates the group when it is missing (a declared group).
	Create bool
	// Attributes are what a group Create creates gets besides its object
	// class, its name and this member (a posixGroup's gidNumber); LDAP
	// only.
	Attributes map[string][]string
}

// GroupObjects is the optional capability of a Memberships connector
// whose groups can be read as objects of their own, so that an
// entitlement object type is imported and reconciled like accounts. A
// group object's ID is its name (as Groups names it); its attributes are
// the group's own, without its members (a member list can be huge, and a
// member changes no group's shadow). Groups stored on the account have
// no objects of their own: both methods fail with ErrUnsupported then.
type GroupObjects interface {
	// SearchGroups streams the groups of g as objects; q's page size
	// applies.
	SearchGroups(ctx context.Context, g GroupClass, q Query) iter.Seq2[Object, error]
	// GetGroup reads the group of g named name (ErrNotFound when there
	// is none).
	GetGroup(ctx context.Context, g GroupClass, name string) (Object, error)
}
