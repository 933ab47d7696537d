package ldap

import (
	"context"
	"fmt"
	"iter"
	"strings"

	goldap "github.com/go-ldap/ldap/v3"
	"github.com/syncline/syncline/engine/connector"
)

// Memberships stored on the account (GroupClass.AccountAttribute): the
// account entry's attribute holds the names of its groups, one value
// each, as a memberOf-style attribute would if the directory let it be
// written. Groups are names, not entries: there is nothing to search
// under a container, nothing to create, and a name needs no DN escaping.

// accountGroups pages through the entries under base_dn (with the
// connection's filter) that hold g's account attribute, and yields each
// group name found with the DNs of the entries holding it (MemberKey).
// Names that differ only in case are one group (the attribute's equality
// is expected to ignore case, as businessCategory's does), spelled as
// first seen. The groups are yielded once the whole search is read.
func (c *Connector) accountGroups(ctx context.Context, g connector.GroupClass) iter.Seq2[connector.Group, error] {
	return func(yield func(connector.Group, error) bool) {
		attr := g.AccountAttribute
		if c.schema.attr(attr) == nil {
			yield(connector.Group{}, c.errs.New(connector.ErrSchema, "groups", fmt.Errorf("the directory has no attribute %q", attr),
				c.suggestAttr(attr, "Name a multi-valued attribute of the accounts' object class in the group block's account_attribute.")))
			return
		}
		size := connector.DefaultPageSize
		if c.cfg.PageSize > 0 {
			size = c.cfg.PageSize
		}
		filter := "(&(" + attr + "=*)" + c.cfg.Filter + ")"
		var order []string
		groups := map[string]*connector.Group{}
		var failed error
		c.pages(ctx, "groups", filter, []string{attr}, size, func(e *goldap.Entry) bool {
			key := c.MemberKey(e.DN)
			for _, name := range e.GetAttributeValues(attr) {
				if name == "" {
					continue
				}
				lower := strings.ToLower(name)
				grp := groups[lower]
				if grp == nil {
					grp = &connector.Group{Name: name}
					groups[lower] = grp
					order = append(order, lower)
				}
				grp.Members = append(grp.Members, key)
			}
			return true
		}, func(err error) { failed = err })
		if failed != nil {
			yield(connector.Group{}, failed)
			return
		}
		for _, lower := range order {
			if !yield(*groups[lower], nil) {
				return
			}
		}
	}
}

// changeAccountMember adds or deletes one value, the group's name, of
// g's account attribute on the account entry ch.Member (its DN): one
// small modify, never a replace. Adding a value already there and
// deleting one not there succeed; so does deleting from an entry that is
// gone. An entry missing when a value is added is ErrNotFound.
func (c *Connector) changeAccountMember(ctx context.Context, g connector.GroupClass, ch connector.MemberChange) error {
	dn := ch.Member
	err := c.modifyOneValue(ctx, dn, g.AccountAttribute, ch.Group, ch.Remove)
	switch {
	case err == nil:
		return nil
	case goldap.IsErrorWithCode(err, goldap.LDAPResultNoSuchObject):
		return c.errs.Object(connector.ErrNotFound, "member", dn, err, "")
	case goldap.IsErrorWithCode(err, goldap.LDAPResultObjectClassViolation) && !ch.Remove:
		return c.errs.Object(connector.ErrInvalidObject, "member", dn,
			fmt.Errorf("%s cannot hold %s: %w", dn, g.AccountAttribute, err),
			"Name in account_attribute an attribute the accounts' object classes allow (businessCategory on inetOrgPerson, or your schema's own).")
	}
	return c.fail("member", dn, err)
}
