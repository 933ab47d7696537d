package ldap

import (
	"context"
	"fmt"
	"iter"
	"maps"
	"slices"
	"strings"
	"sync"

	goldap "github.com/go-ldap/ldap/v3"
	"github.com/syncline/syncline/engine/connector"
)

var _ connector.Memberships = (*Connector)(nil)

// Groups streams the entries of g's object class under its container,
// each named by its name attribute, with its members' DNs normalized
// (MemberKey). A group's whole member list comes in one entry: a group
// of 10,000 members is 10,000 values of one search result.
func (c *Connector) Groups(ctx context.Context, g connector.GroupClass) iter.Seq2[connector.Group, error] {
	if g.OnAccount() {
		return c.accountGroups(ctx, g)
	}
	return func(yield func(connector.Group, error) bool) {
		filter := "(objectClass=" + goldap.EscapeFilter(g.ObjectClass) + ")"
		req := goldap.NewSearchRequest(g.Container, goldap.ScopeWholeSubtree, goldap.NeverDerefAliases, 0, 0, false,
			filter, []string{g.NameAttribute, g.MemberAttribute}, nil)
		var res *goldap.SearchResult
		err := c.do(ctx, "groups", g.Container, func(conn *goldap.Conn) error {
			var err error
			res, err = conn.SearchWithPaging(req, uint32(connector.DefaultPageSize))
			return err
		})
		if err != nil {
			yield(connector.Group{}, c.fail("groups", g.Container, err))
			return
		}
		for _, e := range res.Entries {
			name := groupName(e, g.NameAttribute)
			if name == "" {
				continue // not named by the name attribute: not one of ours to address
			}
			members := e.GetAttributeValues(g.MemberAttribute)
			keys := make([]string, 0, len(members))
			for _, m := range members {
				keys = append(keys, c.MemberKey(m))
			}
			if !yield(connector.Group{Name: name, Members: keys}, nil) {
				return
			}
		}
	}
}

// groupName is the value of attr in the entry's first RDN.
func groupName(e *goldap.Entry, attr string) string {
	dn, err := goldap.ParseDN(e.DN)
	if err != nil || len(dn.RDNs) == 0 {
		return ""
	}
	for _, ava := range dn.RDNs[0].Attributes {
		if strings.EqualFold(ava.Type, attr) {
			return ava.Value
		}
	}
	return ""
}

// MemberValue returns the DN of the entry with identifier id. When the
// identifier is the naming attribute the DN is computed
// (naming_attribute=ID,container), which is where Syncline creates
// entries; otherwise the entry is searched for.
func (c *Connector) MemberValue(ctx context.Context, id string) (string, error) {
	if v, ok := c.MemberValueKnown(id); ok {
		return v, nil
	}
	e, err := c.find(ctx, "member", id, []string{c.id.name()})
	if err != nil {
		return "", err
	}
	return e.DN, nil
}

// MemberValueKnown computes the DN when the identifier is the naming
// attribute; otherwise only a search can tell.
func (c *Connector) MemberValueKnown(id string) (string, bool) {
	if c.naming == c.id {
		return c.newDN(id), true
	}
	return "", false
}

// MemberKey normalizes a DN: attribute types and values in lower case,
// values escaped one way, no spaces around separators. A value that is
// not a DN is only lowered.
func (c *Connector) MemberKey(value string) string {
	dn, err := goldap.ParseDN(value)
	if err != nil {
		return strings.ToLower(strings.TrimSpace(value))
	}
	rdns := make([]string, len(dn.RDNs))
	for i, rdn := range dn.RDNs {
		avas := make([]string, len(rdn.Attributes))
		for j, ava := range rdn.Attributes {
			avas[j] = strings.ToLower(ava.Type) + "=" + EscapeDNValue(strings.ToLower(ava.Value))
		}
		rdns[i] = strings.Join(avas, "+")
	}
	return strings.Join(rdns, ",")
}

// groupDN is the DN of the group named name in g's container.
func groupDN(g connector.GroupClass, name string) string {
	return g.NameAttribute + "=" + EscapeDNValue(name) + "," + g.Container
}

// ChangeMembers sends one LDAP modify per change, adding or deleting one
// member value. An add of a value already there and a delete of one not
// there succeed (Permissive Modify where the server offers it; the
// result codes otherwise). A missing group is created with its first
// member when the change allows it: groupOfNames must have one. The
// changes are pipelined on the connection, batchWindow at a time, those
// on one group in their order. Memberships stored on the account modify
// the account entry instead (changeAccountMember), those on one account
// in their order.
func (c *Connector) ChangeMembers(ctx context.Context, g connector.GroupClass, changes []connector.MemberChange) []error {
	errs := make([]error, len(changes))
	last := map[string]chan struct{}{} // a group's name → its latest change's done
	slots := make(chan struct{}, batchWindow)
	var wg sync.WaitGroup
	for i, ch := range changes {
		key := strings.ToLower(ch.Group)
		if g.OnAccount() {
			key = c.MemberKey(ch.Member) // the entry changed is the account's
		}
		prev, done := last[key], make(chan struct{})
		last[key] = done
		slots <- struct{}{}
		wg.Go(func() {
			defer func() { <-slots }()
			defer close(done)
			if prev != nil {
				<-prev
			}
			if err := ctx.Err(); err != nil {
				errs[i] = err
				return
			}
			errs[i] = c.changeMember(ctx, g, ch)
		})
	}
	wg.Wait()
	return errs
}

// modifyOneValue adds (or with remove, deletes) one value of attr on the
// entry dn: one small modify, never a replace. Adding a value already
// there, deleting one not there and deleting from an entry that is gone
// succeed; any other failure is returned as the server gave it.
func (c *Connector) modifyOneValue(ctx context.Context, dn, attr, value string, remove bool) error {
	var controls []goldap.Control
	if c.permissive {
		controls = append(controls, goldap.NewControlString(controlPermissiveModify, false, ""))
	}
	req := goldap.NewModifyRequest(dn, controls)
	if remove {
		req.Delete(attr, []string{value})
	} else {
		req.Add(attr, []string{value})
	}
	err := c.do(ctx, "member", dn, func(conn *goldap.Conn) error { return conn.Modify(req) })
	switch {
	case goldap.IsErrorWithCode(err, goldap.LDAPResultAttributeOrValueExists) && !remove,
		goldap.IsErrorWithCode(err, goldap.LDAPResultNoSuchAttribute) && remove,
		goldap.IsErrorWithCode(err, goldap.LDAPResultNoSuchObject) && remove:
		return nil
	}
	return err
}

func (c *Connector) changeMember(ctx context.Context, g connector.GroupClass, ch connector.MemberChange) error {
	if g.OnAccount() {
		return c.changeAccountMember(ctx, g, ch)
	}
	dn := groupDN(g, ch.Group)
	err := c.modifyOneValue(ctx, dn, g.MemberAttribute, ch.Member, ch.Remove)
	switch {
	case err == nil:
		return nil
	case goldap.IsErrorWithCode(err, goldap.LDAPResultNoSuchObject) && ch.Create:
		add := goldap.NewAddRequest(dn, nil)
		add.Attribute("objectClass", []string{g.ObjectClass})
		add.Attribute(g.NameAttribute, []string{ch.Group})
		add.Attribute(g.MemberAttribute, []string{ch.Member})
		for _, name := range slices.Sorted(maps.Keys(ch.Attributes)) {
			add.Attribute(name, ch.Attributes[name])
		}
		err = c.do(ctx, "create group", dn, func(conn *goldap.Conn) error { return conn.Add(add) })
		return c.fail("create group", dn, err)
	case goldap.IsErrorWithCode(err, goldap.LDAPResultObjectClassViolation) && ch.Remove:
		return c.errs.Object(connector.ErrInvalidObject, "member", dn,
			fmt.Errorf("%s cannot lose its last %s: %w", dn, g.MemberAttribute, err),
			"A groupOfNames must have a member: give the group another member, or delete it by hand (Syncline never deletes groups).")
	}
	return c.fail("member", dn, err)
}
