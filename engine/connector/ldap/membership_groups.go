package ldap

import (
	"context"
	"fmt"
	"iter"
	"strings"

	goldap "github.com/go-ldap/ldap/v3"
	"github.com/syncline/syncline/engine/connector"
)

var _ connector.GroupObjects = (*Connector)(nil)

// SearchGroups streams the entries of g's object class under its
// container as objects, page by page: each is known by its name (the
// name attribute's value in its RDN, as Groups names it; an entry named
// otherwise is passed over), with the attributes its object class allows
// other than the member attribute. The members are not even asked for:
// a group of 10,000 members costs what a group of one does.
func (c *Connector) SearchGroups(ctx context.Context, g connector.GroupClass, q connector.Query) iter.Seq2[connector.Object, error] {
	const op = "search groups"
	return func(yield func(connector.Object, error) bool) {
		attrs, err := c.groupAttributes(op, g)
		if err != nil {
			yield(connector.Object{}, err)
			return
		}
		size := q.Size()
		if c.cfg.PageSize > 0 {
			size = c.cfg.PageSize
		}
		c.pagesUnder(ctx, op, g.Container, groupFilter(g, ""), attrs, size, func(e *goldap.Entry) bool {
			obj, ok, err := c.groupObject(op, g, e)
			if !ok && err == nil {
				return true
			}
			return yield(obj, err)
		}, func(err error) { yield(connector.Object{}, err) })
	}
}

// GetGroup reads the group of g named name, compared without regard to
// case as associations compare group names.
func (c *Connector) GetGroup(ctx context.Context, g connector.GroupClass, name string) (connector.Object, error) {
	const op = "get group"
	attrs, err := c.groupAttributes(op, g)
	if err != nil {
		return connector.Object{}, err
	}
	if name == "" {
		return connector.Object{}, c.errs.Object(connector.ErrNotFound, op, name, nil, "")
	}
	var res *goldap.SearchResult
	err = c.do(ctx, op, name, func(conn *goldap.Conn) error {
		var err error
		res, err = conn.Search(goldap.NewSearchRequest(g.Container, goldap.ScopeWholeSubtree, goldap.NeverDerefAliases, 0, 0, false,
			groupFilter(g, name), attrs, nil))
		return err
	})
	if err != nil {
		return connector.Object{}, c.searchFailureAt(op, g.Container, err)
	}
	var found []connector.Object
	for _, e := range res.Entries {
		obj, ok, err := c.groupObject(op, g, e)
		if err != nil {
			return connector.Object{}, err
		}
		if ok && strings.EqualFold(obj.ID, name) {
			found = append(found, obj)
		}
	}
	switch len(found) {
	case 0:
		return connector.Object{}, c.errs.Object(connector.ErrNotFound, op, name, nil, "")
	case 1:
		return found[0], nil
	}
	return connector.Object{}, c.errs.Object(connector.ErrInvalidObject, op, name, fmt.Errorf("%d groups under %s are named %q", len(found), g.Container, name),
		"A group's name must be unique under the group container; rename or move one of them.")
}

// groupFilter selects the entries of g's object class, and with name
// those whose name attribute has that value (escaped).
func groupFilter(g connector.GroupClass, name string) string {
	f := "(objectClass=" + goldap.EscapeFilter(g.ObjectClass) + ")"
	if name == "" {
		return f
	}
	return "(&" + f + "(" + g.NameAttribute + "=" + goldap.EscapeFilter(name) + "))"
}

// groupAttributes are the attributes a group search asks for: those g's
// object class allows (its MUST and MAY, with its superior classes'),
// but not the member attribute.
func (c *Connector) groupAttributes(op string, g connector.GroupClass) ([]string, error) {
	if g.OnAccount() {
		return nil, c.errs.New(connector.ErrUnsupported, op, fmt.Errorf("memberships stored on the account (%s) have no group entries to read", g.AccountAttribute), "")
	}
	if c.schema.class(g.ObjectClass) == nil {
		return nil, c.errs.New(connector.ErrSchema, op, fmt.Errorf("the directory has no object class %q", g.ObjectClass),
			c.suggestClass(g.ObjectClass, "Name an object class of the directory's schema in the entitlement's object_class."))
	}
	for _, a := range []struct{ setting, name string }{{"name_attribute", g.NameAttribute}, {"member_attribute", g.MemberAttribute}} {
		if c.schema.attr(a.name) == nil {
			return nil, c.errs.New(connector.ErrSchema, op, fmt.Errorf("the group block's %s %q is not an attribute of the directory's schema", a.setting, a.name),
				c.suggestAttr(a.name, ""))
		}
	}
	member := c.schema.attr(g.MemberAttribute)
	must, may := c.schema.classAttributes(g.ObjectClass)
	attrs := []string{g.NameAttribute}
	for _, n := range append(must, may...) {
		a := c.schema.attr(n)
		if strings.EqualFold(n, g.MemberAttribute) || (a != nil && a == member) || strings.EqualFold(n, "objectClass") {
			continue
		}
		attrs = append(attrs, n)
	}
	return attrs, nil
}

// groupObject turns a group entry into an object; ok is false for an
// entry not named by g's name attribute.
func (c *Connector) groupObject(op string, g connector.GroupClass, e *goldap.Entry) (connector.Object, bool, error) {
	name := groupName(e, g.NameAttribute)
	if name == "" {
		return connector.Object{}, false, nil
	}
	member := c.schema.attr(g.MemberAttribute)
	attrs := connector.Attributes{}
	for _, a := range e.Attributes {
		shown, keep := c.readName(a.Name)
		if !keep || strings.EqualFold(a.Name, g.MemberAttribute) || (member != nil && c.schema.attr(a.Name) == member) {
			continue
		}
		vs, err := c.readValues(shown, a.ByteValues)
		if err != nil {
			return connector.Object{}, false, c.errs.Object(connector.ErrInvalidObject, op, e.DN, err, "")
		}
		if len(vs) > 0 {
			attrs[shown] = append(attrs[shown], vs...)
		}
	}
	return connector.Object{ID: name, Attributes: attrs}, true, nil
}
