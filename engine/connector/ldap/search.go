package ldap

import (
	"context"
	"encoding/base64"
	"fmt"
	"iter"
	"strings"
	"unicode/utf8"

	goldap "github.com/go-ldap/ldap/v3"
	"github.com/syncline/syncline/engine/connector"
)

// Search pages through the entries of an object class under base_dn
// (RFC 2696 paged results) on a connection of its own, read by the lean
// search reader (search_reader.go): each page is read whole, then its
// entries are yielded. Breaking out abandons the paged search on the
// server.
func (c *Connector) Search(ctx context.Context, q connector.Query) iter.Seq2[connector.Object, error] {
	return func(yield func(connector.Object, error) bool) {
		class, err := c.checkClass("search", q.ObjectClass)
		if err != nil {
			yield(connector.Object{}, err)
			return
		}
		size := q.Size()
		if c.cfg.PageSize > 0 {
			size = c.cfg.PageSize
		}
		c.readPages(ctx, "search", pagedSearch{base: c.cfg.BaseDN, filter: c.filter(class, ""), attrs: c.attributes(), size: size}, yield)
	}
}

// pages runs a paged search and calls each for every entry until it
// returns false; a failure goes to fail, once, and ends the search. Every
// page is asked for on the connection of the first (a paging cookie
// belongs to its connection); the first page is tried again on a new
// connection when the old one turns out to have dropped, later ones are
// not, since the search cannot be resumed elsewhere.
func (c *Connector) pages(ctx context.Context, op, filter string, attrs []string, size int, each func(*goldap.Entry) bool, fail func(error)) {
	c.pagesUnder(ctx, op, c.cfg.BaseDN, filter, attrs, size, each, fail)
}

// pagesUnder is pages under base instead of base_dn.
func (c *Connector) pagesUnder(ctx context.Context, op, base, filter string, attrs []string, size int, each func(*goldap.Entry) bool, fail func(error)) {
	paging := goldap.NewControlPaging(uint32(size))
	req := goldap.NewSearchRequest(base, goldap.ScopeWholeSubtree, goldap.NeverDerefAliases, 0, 0, false,
		filter, attrs, []goldap.Control{paging})
	var conn *goldap.Conn
	var res *goldap.SearchResult
	err := c.do(ctx, op, "", func(cn *goldap.Conn) error {
		var err error
		conn = cn
		res, err = cn.Search(req)
		return err
	})
	for {
		if err != nil {
			fail(c.searchFailureAt(op, base, err))
			return
		}
		for _, e := range res.Entries {
			if err := ctx.Err(); err != nil {
				c.abandon(conn, req, paging)
				fail(err)
				return
			}
			if !each(e) {
				c.abandon(conn, req, paging)
				return
			}
		}
		cookie := pagingCookie(res)
		if len(cookie) == 0 {
			return
		}
		paging.SetCookie(cookie)
		if err = ctx.Err(); err != nil {
			c.abandon(conn, req, paging)
			fail(err)
			return
		}
		res, err = conn.Search(req)
		if err = dropped(conn, err); isNetworkError(err) {
			c.drop(conn)
		}
	}
}

// abandon tells the server a paged search is given up (RFC 2696: a page
// size of 0 with the last cookie), so it frees what it holds for it.
func (c *Connector) abandon(conn *goldap.Conn, req *goldap.SearchRequest, paging *goldap.ControlPaging) {
	if len(paging.Cookie) == 0 {
		return
	}
	paging.PagingSize = 0
	_, _ = conn.Search(req)
}

func pagingCookie(res *goldap.SearchResult) []byte {
	if ctl, ok := goldap.FindControl(res.Controls, goldap.ControlTypePaging).(*goldap.ControlPaging); ok {
		return ctl.Cookie
	}
	return nil
}

// searchFailure sorts a failed search: base_dn missing is a schema
// mismatch, the rest as fail does.
func (c *Connector) searchFailure(op string, err error) error {
	if goldap.IsErrorWithCode(err, goldap.LDAPResultNoSuchObject) {
		return c.errs.New(connector.ErrSchema, op, fmt.Errorf("base_dn %q does not exist", c.cfg.BaseDN), "")
	}
	return c.fail(op, "", err)
}

// searchFailureAt is searchFailure for a search under base, which is
// base_dn or a group container.
func (c *Connector) searchFailureAt(op, base string, err error) error {
	if base != c.cfg.BaseDN && goldap.IsErrorWithCode(err, goldap.LDAPResultNoSuchObject) {
		return c.errs.New(connector.ErrSchema, op, fmt.Errorf("the group container %q does not exist", base),
			"Create the container entry, or set the group block's container to the DN the groups are under.")
	}
	return c.searchFailure(op, err)
}

// checkClass returns the class to search: q's, or the default one. A
// class the schema does not know is a schema mismatch.
func (c *Connector) checkClass(op, class string) (string, error) {
	if class == "" {
		return c.class, nil
	}
	if c.schema.class(class) == nil {
		return "", c.errs.New(connector.ErrSchema, op, fmt.Errorf("the directory has no object class %q", class),
			c.suggestClass(class, "Name an object class of the directory's schema in object_class."))
	}
	return class, nil
}

// filter is the search filter for class, with the connection's filter and,
// when id is not "", the identifier's equality: every value escaped, so
// nothing in it can change the filter.
func (c *Connector) filter(class, id string) string {
	var b strings.Builder
	b.WriteString("(&(objectClass=")
	b.WriteString(goldap.EscapeFilter(class))
	b.WriteString(")")
	b.WriteString(c.cfg.Filter)
	if id != "" {
		fmt.Fprintf(&b, "(%s=%s)", c.id.name(), goldap.EscapeFilter(id))
	}
	b.WriteString(")")
	return b.String()
}

// attributes are the attributes a search asks for: the user attributes,
// and the identifier when it is operational.
func (c *Connector) attributes(extra ...string) []string {
	attrs := append([]string{"*"}, extra...)
	if c.id.operational() {
		attrs = append(attrs, c.id.name())
	}
	return attrs
}

// object turns an entry into an object: its identifier, and its
// attributes under their schema names, binary values base64-encoded,
// without objectClass, write-only attributes and operational attributes
// other than the identifier.
func (c *Connector) object(op string, e *goldap.Entry) (connector.Object, error) {
	attrs := connector.Attributes{}
	for _, a := range e.Attributes {
		name, keep := c.readName(a.Name)
		if !keep {
			continue
		}
		vs, err := c.readValues(name, a.ByteValues)
		if err != nil {
			return connector.Object{}, c.errs.Object(connector.ErrInvalidObject, op, e.DN, err, "")
		}
		if len(vs) > 0 {
			attrs[name] = append(attrs[name], vs...)
		}
	}
	return c.entryObject(op, e.DN, attrs)
}

// entryObject is the object of the entry dn with attrs: an invalid
// object when the entry has no identifier.
func (c *Connector) entryObject(op, dn string, attrs connector.Attributes) (connector.Object, error) {
	id := c.idOf(dn, attrs)
	if id == "" {
		return connector.Object{}, c.errs.Object(connector.ErrInvalidObject, op, dn, fmt.Errorf("the entry has no %s", c.id.name()),
			"Every entry the resource reads needs the identifier attribute; give it one, or narrow filter.")
	}
	return connector.Object{ID: id, Attributes: attrs}, nil
}

// idOf returns an entry's identifier: the value in its DN when the
// identifier names it, otherwise the attribute's first value.
func (c *Connector) idOf(dn string, attrs connector.Attributes) string {
	vs := attrs[c.id.name()]
	if len(vs) > 1 {
		if v := c.rdnValue(dn, c.id); v != "" {
			return v
		}
	}
	return attrs.First(c.id.name())
}

// readName returns the name an attribute of an entry is shown under and
// whether it is shown at all.
func (c *Connector) readName(name string) (string, bool) {
	a := c.schema.attr(name)
	if a == nil {
		return name, true
	}
	shown, keep := c.shownName(a)
	if !keep || a == c.id {
		return shown, keep
	}
	if _, opts, ok := strings.Cut(name, ";"); ok {
		return shown + ";" + strings.ToLower(opts), true
	}
	return shown, true
}

// shownName is readName for an attribute of the schema, without options:
// its schema name, or false for the attributes never shown (operational
// ones other than the identifier, write-only ones, objectClass).
func (c *Connector) shownName(a *attributeType) (string, bool) {
	switch {
	case a == c.id:
		return a.name(), true
	case a.operational(), a.secret, strings.EqualFold(a.name(), "objectClass"):
		return "", false
	}
	return a.name(), true
}

// readValues returns the values of an attribute as text: binary ones
// base64-encoded, others as the UTF-8 they are.
func (c *Connector) readValues(name string, raw [][]byte) ([]string, error) {
	out := make([]string, 0, len(raw))
	binary := c.schema.binary(name)
	for _, v := range raw {
		switch {
		case len(v) == 0:
			continue
		case binary:
			out = append(out, base64.StdEncoding.EncodeToString(v))
		case !utf8.Valid(v):
			return nil, fmt.Errorf("attribute %s holds a value that is not UTF-8 text, and its syntax is not one syncline reads as binary", name)
		default:
			out = append(out, string(v))
		}
	}
	return out, nil
}

// Get reads the entry whose identifier is id.
func (c *Connector) Get(ctx context.Context, id string) (connector.Object, error) {
	e, err := c.find(ctx, "get", id, c.attributes())
	if err != nil {
		return connector.Object{}, err
	}
	return c.object("get", e)
}

// find returns the one entry of the default class whose identifier is id
// (not found when there is none, an invalid object when there are several).
func (c *Connector) find(ctx context.Context, op, id string, attrs []string) (*goldap.Entry, error) {
	if id == "" {
		return nil, c.errs.Object(connector.ErrNotFound, op, id, nil, "")
	}
	var res *goldap.SearchResult
	err := c.do(ctx, op, id, func(conn *goldap.Conn) error {
		var err error
		res, err = conn.Search(goldap.NewSearchRequest(c.cfg.BaseDN, goldap.ScopeWholeSubtree, goldap.NeverDerefAliases, 0, 0, false,
			c.filter(c.class, id), attrs, nil))
		return err
	})
	if err != nil {
		return nil, c.searchFailure(op, err)
	}
	var found []*goldap.Entry
	for _, e := range res.Entries {
		// The server matches as the attribute's equality rule says (often
		// without case); keep what MatchKey takes for the same key.
		if c.hasID(e, id) {
			found = append(found, e)
		}
	}
	switch {
	case len(found) == 0:
		return nil, c.errs.Object(connector.ErrNotFound, op, id, nil, "")
	case len(found) > 1:
		return nil, c.errs.Object(connector.ErrInvalidObject, op, id, fmt.Errorf("%d entries have %s %q: %s and %s", len(found), c.id.name(), id, found[0].DN, found[1].DN),
			"The identifier must be unique under base_dn; change one of the entries, or narrow base_dn or filter.")
	}
	return found[0], nil
}

// hasID reports whether one of e's identifier values is id, as MatchKey
// compares them.
func (c *Connector) hasID(e *goldap.Entry, id string) bool {
	key := c.MatchKey(id)
	for _, a := range e.Attributes {
		if c.schema.attr(a.Name) != c.id {
			continue
		}
		for _, v := range a.Values {
			if c.MatchKey(v) == key {
				return true
			}
		}
	}
	return false
}

// idOfEntry is idOf for an entry as the server returned it.
func (c *Connector) idOfEntry(e *goldap.Entry) string {
	var vs []string
	for _, a := range e.Attributes {
		if c.schema.attr(a.Name) == c.id {
			vs = append(vs, a.Values...)
		}
	}
	if len(vs) > 1 {
		if v := c.rdnValue(e.DN, c.id); v != "" {
			return v
		}
	}
	if len(vs) == 0 {
		return ""
	}
	return vs[0]
}
