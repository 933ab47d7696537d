package ldap

import (
	"bytes"
	"context"
	"encoding/base64"
	"errors"
	"fmt"
	"time"
	"unicode/utf8"

	ber "github.com/go-asn1-ber/asn1-ber"
	goldap "github.com/go-ldap/ldap/v3"
	"github.com/syncline/syncline/engine/connector"
)

// The search reader: Search's paged search on a connection of its own,
// its responses decoded straight into objects (no go-ldap packets, no
// intermediate entries). docs/architecture.md says why this part is owned.

// pagedSearch is one paged search: where, what and how many a page.
type pagedSearch struct {
	base, filter string
	attrs        []string
	size         int
}

// pageEntry is an entry of a page: its object, or why it is invalid.
type pageEntry struct {
	obj connector.Object
	err error
}

// readPages runs a paged search and yields its objects until yield
// returns false. A failure is yielded once and ends the search. The first
// page is tried again on a new connection when the old one turns out to
// have dropped; later ones are not, since a paged search cannot be
// resumed elsewhere.
func (c *Connector) readPages(ctx context.Context, op string, s pagedSearch, yield func(connector.Object, error) bool) {
	sc, page, cookie, err := c.firstPage(ctx, op, s)
	for {
		if err != nil {
			if ctx.Err() != nil {
				err = ctx.Err()
			}
			yield(connector.Object{}, c.searchFailureAt(op, s.base, err))
			return
		}
		for _, e := range page {
			if err := ctx.Err(); err != nil {
				sc.close()
				yield(connector.Object{}, err)
				return
			}
			if !yield(e.obj, e.err) {
				c.abandonSearch(sc, s, cookie)
				return
			}
		}
		if len(cookie) == 0 {
			c.putSearchConn(sc)
			return
		}
		if err = ctx.Err(); err != nil {
			sc.close()
			continue
		}
		if page, cookie, err = sc.page(ctx, c, op, s, cookie, page[:0]); err != nil {
			sc.close()
		}
	}
}

// firstPage reads the first page, on the idle connection or a new one,
// and once more on a new one when that connection has dropped.
func (c *Connector) firstPage(ctx context.Context, op string, s pagedSearch) (*searchConn, []pageEntry, []byte, error) {
	for attempt := 0; ; attempt++ {
		sc, err := c.takeSearchConn(ctx, op)
		if err != nil {
			return nil, nil, nil, err
		}
		page, cookie, err := sc.page(ctx, c, op, s, nil, nil)
		if err == nil {
			return sc, page, cookie, nil
		}
		sc.close()
		if !isNetworkError(err) || attempt > 0 || ctx.Err() != nil {
			return nil, nil, nil, err
		}
	}
}

// takeSearchConn returns the idle search connection, or a new one.
func (c *Connector) takeSearchConn(ctx context.Context, op string) (*searchConn, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	c.mu.Lock()
	sc := c.idle
	c.idle = nil
	c.mu.Unlock()
	if sc != nil {
		return sc, nil
	}
	return c.dialSearch(ctx, op)
}

// putSearchConn keeps sc for the next search, or closes it when another
// is kept already or the connector is closed.
func (c *Connector) putSearchConn(sc *searchConn) {
	c.mu.Lock()
	if c.idle == nil && !c.closed {
		c.idle, sc = sc, nil
	}
	c.mu.Unlock()
	if sc != nil {
		sc.close()
	}
}

// abandonSearch tells the server a paged search is given up (RFC 2696: a
// page size of 0 with the last cookie), so it frees what it holds for it,
// and keeps the connection when that went well.
func (c *Connector) abandonSearch(sc *searchConn, s pagedSearch, cookie []byte) {
	if len(cookie) == 0 {
		c.putSearchConn(sc)
		return
	}
	s.size = 0
	if _, _, err := sc.page(context.Background(), c, "search", s, cookie, nil); err != nil {
		sc.close()
		return
	}
	c.putSearchConn(sc)
}

// page asks for the page after cookie (the first without one) and reads
// it whole: its entries appended to into, and the cookie of the next
// page, none after the last. It must come within the timeout; ctx ending
// stops the read.
func (sc *searchConn) page(ctx context.Context, c *Connector, op string, s pagedSearch, cookie []byte, into []pageEntry) ([]pageEntry, []byte, error) {
	if err := sc.conn.SetDeadline(time.Now().Add(c.cfg.Timeout)); err != nil {
		return nil, nil, goldap.NewError(goldap.ErrorNetwork, err)
	}
	stop := context.AfterFunc(ctx, func() { _ = sc.conn.SetDeadline(time.Unix(1, 0)) })
	defer stop()
	req, err := searchRequest(s)
	if err != nil {
		return nil, nil, err
	}
	paging := goldap.NewControlPaging(uint32(s.size))
	paging.SetCookie(cookie)
	id, err := sc.send(req, []goldap.Control{paging})
	if err != nil {
		return nil, nil, err
	}
	for {
		msg, err := sc.read(id)
		if err != nil {
			return nil, nil, err
		}
		var done bool
		if into, done, cookie, err = sc.response(c, op, msg, into); err != nil || done {
			return into, cookie, err
		}
	}
}

// response takes in one response to a search (what follows its message
// ID): an entry is appended to into, a reference skipped, and the done
// message ends the page with the next page's cookie, or its error.
func (sc *searchConn) response(c *Connector, op string, msg []byte, into []pageEntry) (_ []pageEntry, done bool, cookie []byte, err error) {
	tag, contents, controls, err := element(msg)
	if err != nil {
		return nil, false, nil, err
	}
	switch tag {
	case tagSearchEntry:
		obj, objErr, err := sc.entry(c, op, contents)
		if err != nil {
			return nil, false, nil, err
		}
		return append(into, pageEntry{obj, objErr}), false, nil, nil
	case tagSearchReference:
		// Continuation references are not followed, as go-ldap's Search
		// did not: the entries are under base_dn here.
		return into, false, nil, nil
	case tagSearchDone:
		if err := resultError(contents); err != nil {
			return nil, true, nil, err
		}
		cookie, err := pagingCookieOf(controls)
		return into, true, cookie, err
	}
	return nil, false, nil, malformed("a search response has tag %#02x", tag)
}

// searchRequest encodes a SearchRequest (RFC 4511 section 4.5.1) for the
// whole subtree under s.base, aliases not dereferenced, no limits.
func searchRequest(s pagedSearch) (*ber.Packet, error) {
	filter, err := goldap.CompileFilter(s.filter)
	if err != nil {
		return nil, goldap.NewError(goldap.ErrorFilterCompile, err)
	}
	req := ber.Encode(ber.ClassApplication, ber.TypeConstructed, ber.Tag(goldap.ApplicationSearchRequest), nil, "")
	req.AppendChild(ber.NewString(ber.ClassUniversal, ber.TypePrimitive, ber.TagOctetString, s.base, ""))
	req.AppendChild(ber.NewInteger(ber.ClassUniversal, ber.TypePrimitive, ber.TagEnumerated, uint64(goldap.ScopeWholeSubtree), ""))
	req.AppendChild(ber.NewInteger(ber.ClassUniversal, ber.TypePrimitive, ber.TagEnumerated, uint64(goldap.NeverDerefAliases), ""))
	req.AppendChild(ber.NewInteger(ber.ClassUniversal, ber.TypePrimitive, ber.TagInteger, 0, ""))
	req.AppendChild(ber.NewInteger(ber.ClassUniversal, ber.TypePrimitive, ber.TagInteger, 0, ""))
	req.AppendChild(ber.NewBoolean(ber.ClassUniversal, ber.TypePrimitive, ber.TagBoolean, false, ""))
	req.AppendChild(filter)
	attrs := ber.Encode(ber.ClassUniversal, ber.TypeConstructed, ber.TagSequence, nil, "")
	for _, a := range s.attrs {
		attrs.AppendChild(ber.NewString(ber.ClassUniversal, ber.TypePrimitive, ber.TagOctetString, a, ""))
	}
	req.AppendChild(attrs)
	return req, nil
}

// resultError decodes an LDAPResult (RFC 4511 section 4.1.9): nil for
// success, otherwise the *goldap.Error go-ldap would have returned, so
// errors are sorted as for every other operation.
func resultError(b []byte) error {
	codeBytes, rest, err := expect(b, tagEnumerated, "the result code")
	if err != nil {
		return err
	}
	code, err := integer(codeBytes, "the result code")
	if err != nil {
		return err
	}
	matched, rest, err := expect(rest, tagOctetString, "the matched DN")
	if err != nil {
		return err
	}
	msg, _, err := expect(rest, tagOctetString, "the diagnostic message")
	switch {
	case err != nil:
		return err
	case code == goldap.LDAPResultSuccess:
		return nil
	case code < 0 || code > 0xffff:
		return malformed("result code %d", code)
	}
	return &goldap.Error{ResultCode: uint16(code), MatchedDN: string(matched), Err: fmt.Errorf("%s", msg)}
}

// pagingCookieOf finds the paged results control among a message's
// controls and returns a copy of its cookie (none when it is absent).
func pagingCookieOf(b []byte) ([]byte, error) {
	if len(b) == 0 {
		return nil, nil
	}
	list, _, err := expect(b, tagControls, "the controls")
	if err != nil {
		return nil, err
	}
	for len(list) > 0 {
		var ctl []byte
		if ctl, list, err = expect(list, tagSequence, "a control"); err != nil {
			return nil, err
		}
		oid, rest, err := expect(ctl, tagOctetString, "a control's type")
		if err != nil {
			return nil, err
		}
		if string(oid) != goldap.ControlTypePaging {
			continue
		}
		if len(rest) > 0 && rest[0] == tagBoolean {
			if _, rest, err = expect(rest, tagBoolean, "a control's criticality"); err != nil {
				return nil, err
			}
		}
		value, _, err := expect(rest, tagOctetString, "the paging control's value")
		if err != nil {
			return nil, err
		}
		seq, _, err := expect(value, tagSequence, "the paging control's value")
		if err != nil {
			return nil, err
		}
		if _, seq, err = expect(seq, tagInteger, "the paging control's size"); err != nil {
			return nil, err
		}
		cookie, _, err := expect(seq, tagOctetString, "the paging cookie")
		if err != nil {
			return nil, err
		}
		return bytes.Clone(cookie), nil
	}
	return nil, nil
}

// entryValue is a value of an entry kept for its object: where it lies
// in the entry's message, and the attribute it belongs to.
type entryValue struct {
	attr   int // index into entryScratch.names
	raw    []byte
	binary bool
}

// entryScratch is what decoding one entry reuses from the last.
type entryScratch struct {
	names  []string
	values []entryValue
	text   []byte
	// notText says an attribute has a value that should be UTF-8 text
	// and is not; notTextName is the first such attribute.
	notText     bool
	notTextName string
}

// entry decodes a SearchResultEntry into an object as object does: the
// same names, the same values, the same invalid objects (objErr). err is
// a malformed message, after which the connection cannot be read on.
// All of an entry's values share one string and one slice.
func (sc *searchConn) entry(c *Connector, op string, b []byte) (obj connector.Object, objErr, err error) {
	dnBytes, rest, err := expect(b, tagOctetString, "the entry's DN")
	if err != nil {
		return obj, nil, err
	}
	list, _, err := expect(rest, tagSequence, "the entry's attributes")
	if err != nil {
		return obj, nil, err
	}
	s := &sc.scratch
	s.names, s.values, s.text, s.notText = s.names[:0], s.values[:0], s.text[:0], false
	for len(list) > 0 {
		var attr []byte
		if attr, list, err = expect(list, tagSequence, "an attribute"); err != nil {
			return obj, nil, err
		}
		if err = s.add(c, attr); err != nil {
			return obj, nil, err
		}
	}
	dn := string(dnBytes)
	if s.notText {
		return obj, c.errs.Object(connector.ErrInvalidObject, op, dn,
			fmt.Errorf("attribute %s holds a value that is not UTF-8 text, and its syntax is not one syncline reads as binary", s.notTextName), ""), nil
	}
	obj, objErr = c.entryObject(op, dn, s.attributes())
	return obj, objErr, nil
}

// add takes in one attribute of an entry: its values under the name it
// is shown by, none for an attribute never shown, empty values left out.
func (s *entryScratch) add(c *Connector, attr []byte) error {
	name, rest, err := expect(attr, tagOctetString, "an attribute's type")
	if err != nil {
		return err
	}
	set, _, err := expect(rest, tagSet, "an attribute's values")
	if err != nil {
		return err
	}
	shown, binary, keep := c.readNameBytes(name)
	for len(set) > 0 {
		var v []byte
		if v, set, err = expect(set, tagOctetString, "a value"); err != nil {
			return err
		}
		switch {
		case !keep || len(v) == 0:
			continue
		case !binary && !s.notText && !utf8.Valid(v):
			s.notText, s.notTextName = true, shown
		}
		if len(s.names) == 0 || s.names[len(s.names)-1] != shown {
			s.names = append(s.names, shown)
		}
		s.values = append(s.values, entryValue{attr: len(s.names) - 1, raw: v, binary: binary})
	}
	return nil
}

// attributes builds the entry's attributes from the scratch: every value
// a substring of one string, every attribute's values a piece of one
// slice (capped, so appending to one never overwrites the next).
func (s *entryScratch) attributes() connector.Attributes {
	for _, v := range s.values {
		if v.binary {
			s.text = base64.StdEncoding.AppendEncode(s.text, v.raw)
		} else {
			s.text = append(s.text, v.raw...)
		}
	}
	text := string(s.text)
	all := make([]string, len(s.values))
	attrs := make(connector.Attributes, len(s.names))
	at, from := 0, 0
	for i, v := range s.values {
		n := len(v.raw)
		if v.binary {
			n = base64.StdEncoding.EncodedLen(n)
		}
		all[i], at = text[at:at+n], at+n
		if i+1 == len(s.values) || s.values[i+1].attr != v.attr {
			name := s.names[v.attr]
			if prev, ok := attrs[name]; ok {
				attrs[name] = append(prev, all[from:i+1]...)
			} else {
				attrs[name] = all[from : i+1 : i+1]
			}
			from = i + 1
		}
	}
	return attrs
}

// readNameBytes is readName for a name in a message, with whether its
// values are binary; a name spelled as in the schema costs no allocation.
func (c *Connector) readNameBytes(b []byte) (name string, binary, keep bool) {
	if a := c.schema.spelled[string(b)]; a != nil {
		name, keep = c.shownName(a)
		return name, binarySyntaxes[a.syntax], keep
	}
	name, keep = c.readName(string(b))
	return name, c.schema.binary(name), keep
}

// isMalformed reports whether err is a response the reader refused.
func isMalformed(err error) bool { return errors.Is(err, errMalformed) }
