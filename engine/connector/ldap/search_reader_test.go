package ldap

import (
	"bufio"
	"bytes"
	"errors"
	"io"
	"reflect"
	"strings"
	"testing"

	ber "github.com/go-asn1-ber/asn1-ber"
	goldap "github.com/go-ldap/ldap/v3"
	"github.com/syncline/syncline/engine/connector"
)

// readerConnector is a connector with a small schema and uid as the
// identifier, enough to decode entries without a server.
func readerConnector(t testing.TB) *Connector {
	t.Helper()
	s, err := parseSchema([]string{
		"( 2.5.4.41 NAME 'name' EQUALITY caseIgnoreMatch SYNTAX 1.3.6.1.4.1.1466.115.121.1.15 )",
		"( 0.9.2342.19200300.100.1.1 NAME ( 'uid' 'userid' ) EQUALITY caseIgnoreMatch SYNTAX 1.3.6.1.4.1.1466.115.121.1.15 )",
		"( 2.5.4.3 NAME ( 'cn' 'commonName' ) SUP name )",
		"( 2.5.4.13 NAME 'description' SUP name )",
		"( 2.5.4.0 NAME 'objectClass' EQUALITY objectIdentifierMatch SYNTAX 1.3.6.1.4.1.1466.115.121.1.38 )",
		"( 2.5.4.35 NAME 'userPassword' EQUALITY octetStringMatch SYNTAX 1.3.6.1.4.1.1466.115.121.1.40 )",
		"( 0.9.2342.19200300.100.1.60 NAME 'jpegPhoto' SYNTAX 1.3.6.1.4.1.1466.115.121.1.28 )",
		"( 1.3.6.1.1.16.4 NAME 'entryUUID' EQUALITY UUIDMatch SYNTAX 1.3.6.1.1.16.1 SINGLE-VALUE NO-USER-MODIFICATION USAGE directoryOperation )",
	}, nil)
	if err != nil {
		t.Fatal(err)
	}
	return &Connector{errs: connector.ErrorBuilder{Resource: "dir"}, schema: s, id: s.attr("uid")}
}

type testAttr struct {
	name string
	vals []string
}

func octets(s string) *ber.Packet {
	return ber.NewString(ber.ClassUniversal, ber.TypePrimitive, ber.TagOctetString, s, "")
}

// entryOp encodes a SearchResultEntry (the protocol op, without the
// message envelope).
func entryOp(dn string, attrs []testAttr) []byte {
	op := ber.Encode(ber.ClassApplication, ber.TypeConstructed, ber.Tag(goldap.ApplicationSearchResultEntry), nil, "")
	op.AppendChild(octets(dn))
	list := ber.Encode(ber.ClassUniversal, ber.TypeConstructed, ber.TagSequence, nil, "")
	for _, a := range attrs {
		seq := ber.Encode(ber.ClassUniversal, ber.TypeConstructed, ber.TagSequence, nil, "")
		seq.AppendChild(octets(a.name))
		set := ber.Encode(ber.ClassUniversal, ber.TypeConstructed, ber.TagSet, nil, "")
		for _, v := range a.vals {
			set.AppendChild(octets(v))
		}
		seq.AppendChild(set)
		list.AppendChild(seq)
	}
	op.AppendChild(list)
	return op.Bytes()
}

// doneOp encodes a SearchResultDone with a paging cookie when cookie is
// not nil.
func doneOp(code int64, msg string, cookie []byte) []byte {
	op := ber.Encode(ber.ClassApplication, ber.TypeConstructed, ber.Tag(goldap.ApplicationSearchResultDone), nil, "")
	op.AppendChild(ber.NewInteger(ber.ClassUniversal, ber.TypePrimitive, ber.TagEnumerated, code, ""))
	op.AppendChild(octets(""))
	op.AppendChild(octets(msg))
	b := op.Bytes()
	if cookie != nil {
		ctls := ber.Encode(ber.ClassContext, ber.TypeConstructed, 0, nil, "")
		paging := goldap.NewControlPaging(0)
		paging.SetCookie(cookie)
		ctls.AppendChild(paging.Encode())
		b = append(b, ctls.Bytes()...)
	}
	return b
}

// message wraps an op in an LDAPMessage with id.
func message(id int64, op []byte) []byte {
	env := ber.Encode(ber.ClassUniversal, ber.TypeConstructed, ber.TagSequence, nil, "")
	env.AppendChild(ber.NewInteger(ber.ClassUniversal, ber.TypePrimitive, ber.TagInteger, id, ""))
	b := env.Bytes()
	body := append(b[2:], op...)
	return append(lengthPrefix(tagSequence, len(body)), body...)
}

func lengthPrefix(tag byte, n int) []byte {
	if n < 0x80 {
		return []byte{tag, byte(n)}
	}
	return []byte{tag, 0x84, byte(n >> 24), byte(n >> 16), byte(n >> 8), byte(n)}
}

// goldapEntry is the entry go-ldap would have decoded from the same
// attributes.
func goldapEntry(dn string, attrs []testAttr) *goldap.Entry {
	e := &goldap.Entry{DN: dn}
	for _, a := range attrs {
		ea := &goldap.EntryAttribute{Name: a.name, Values: a.vals}
		for _, v := range a.vals {
			ea.ByteValues = append(ea.ByteValues, []byte(v))
		}
		e.Attributes = append(e.Attributes, ea)
	}
	return e
}

// sameAsObject checks the search reader decodes an entry exactly as
// object does go-ldap's entry of it.
func sameAsObject(t *testing.T, c *Connector, dn string, attrs []testAttr) {
	t.Helper()
	want, wantErr := c.object("search", goldapEntry(dn, attrs))
	_, contents, _, err := element(entryOp(dn, attrs))
	if err != nil {
		t.Fatal(err)
	}
	var sc searchConn
	got, gotErr, err := sc.entry(c, "search", contents)
	if err != nil {
		t.Fatalf("the reader refused a well-formed entry: %v", err)
	}
	if (gotErr == nil) != (wantErr == nil) || (gotErr != nil && gotErr.Error() != wantErr.Error()) {
		t.Fatalf("error %v, object gives %v", gotErr, wantErr)
	}
	if got.ID != want.ID || !reflect.DeepEqual(got.Attributes, want.Attributes) {
		t.Fatalf("decoded %q %v, object gives %q %v", got.ID, got.Attributes, want.ID, want.Attributes)
	}
}

func TestSearchReaderDecodesAsObjectDoes(t *testing.T) {
	t.Parallel()
	c := readerConnector(t)
	person := []testAttr{{"objectClass", []string{"top", "inetOrgPerson"}}, {"uid", []string{"anna"}},
		{"cn", []string{"Jiří Nováček"}}, {"description", []string{"one", "two"}}}
	tests := []struct {
		name  string
		dn    string
		attrs []testAttr
	}{
		{"a person", "uid=anna,ou=people", person},
		{"names spelled otherwise", "uid=anna,ou=people", []testAttr{{"UID", []string{"anna"}}, {"commonName", []string{"Anna"}}, {"2.5.4.13", []string{"d"}}}},
		{"options", "uid=anna", []testAttr{{"uid", []string{"anna"}}, {"cn;Lang-DE", []string{"Anna"}}, {"cn", []string{"A"}}}},
		{"write-only and operational left out", "uid=anna", []testAttr{{"uid", []string{"anna"}}, {"userPassword", []string{"secret"}},
			{"entryUUID", []string{"8d2f0c64-6f2b-1040-8000-000000000000"}}, {"userPassword;x", []string{"s"}}}},
		{"binary as base64", "uid=anna", []testAttr{{"uid", []string{"anna"}}, {"jpegPhoto", []string{"\xff\xd8\xff\x00", "\x01"}},
			{"cn", []string{"Anna"}}, {"userCertificate;binary", []string{"\x30\x82"}}}},
		{"empty values skipped", "uid=anna", []testAttr{{"uid", []string{"anna"}}, {"description", []string{"", "x", ""}}, {"cn", []string{""}}}},
		{"an unknown attribute", "uid=anna", []testAttr{{"uid", []string{"anna"}}, {"x-custom", []string{"v"}}}},
		{"an attribute twice", "uid=anna", []testAttr{{"cn", []string{"a"}}, {"uid", []string{"anna"}}, {"cn", []string{"b", "c"}}}},
		{"two identifiers, the DN decides", "uid=bob,ou=people", []testAttr{{"uid", []string{"anna", "bob"}}}},
		{"not UTF-8", "uid=anna", []testAttr{{"uid", []string{"anna"}}, {"description", []string{"ok", "\xff\xfe"}}, {"cn", []string{"\xc3"}}}},
		{"not UTF-8 under an empty name", "uid=anna", []testAttr{{"uid", []string{"anna"}}, {"", []string{"\xff"}}}},
		{"no identifier", "cn=x", []testAttr{{"cn", []string{"x"}}}},
		{"no attributes", "cn=x", nil},
		{"only skipped attributes", "cn=x", []testAttr{{"objectClass", []string{"top"}}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			sameAsObject(t, c, tt.dn, tt.attrs)
		})
	}
}

// TestSearchReaderRefusesMalformed: every malformed response is refused
// with a clear error, none is half-decoded.
func TestSearchReaderRefusesMalformed(t *testing.T) {
	t.Parallel()
	c := readerConnector(t)
	entry := entryOp("uid=a", []testAttr{{"uid", []string{"a"}}})
	tests := []struct {
		name string
		op   []byte
		want string
	}{
		{"empty", nil, "truncated element"},
		{"an unexpected op", []byte{0x66, 0x00}, "a search response has tag 0x66"},
		{"a high tag number", []byte{0x7f, 0x01, 0x00}, "high tag number"},
		{"an indefinite length", []byte{0x64, 0x80, 0x00, 0x00}, "indefinite lengths"},
		{"a length of five octets", []byte{0x64, 0x85, 0x01, 0x00, 0x00, 0x00, 0x00}, "overflows"},
		{"a length past the end", []byte{0x64, 0x10, 0x04, 0x00}, "claims 16 bytes, 2 are left"},
		{"a truncated long length", []byte{0x64, 0x82, 0x01}, "truncated length"},
		{"the DN not a string", append([]byte{0x64, 0x05, 0x02, 0x01, 0x01}, 0x30, 0x00), "the entry's DN has tag 0x02"},
		{"the attributes missing", []byte{0x64, 0x02, 0x04, 0x00}, "truncated element"},
		{"values not a set", []byte{0x64, 0x0b, 0x04, 0x00, 0x30, 0x07, 0x30, 0x05, 0x04, 0x01, 'a', 0x30, 0x00}, "an attribute's values has tag 0x30"},
		{"a value not a string", []byte{0x64, 0x0e, 0x04, 0x00, 0x30, 0x0a, 0x30, 0x08, 0x04, 0x01, 'a', 0x31, 0x03, 0x02, 0x01, 0x01}, "a value has tag 0x02"},
		{"an entry cut short", entry[:len(entry)-1], "claims"},
		{"a result code of five octets", []byte{0x65, 0x0b, 0x0a, 0x05, 1, 2, 3, 4, 5, 0x04, 0x00, 0x04, 0x00}, "the result code is an integer of 5 octets"},
		{"a result without a message", []byte{0x65, 0x05, 0x0a, 0x01, 0x00, 0x04, 0x00}, "truncated element"},
		{"controls of the wrong tag", append(doneOp(0, "", nil), 0x30, 0x00), "the controls has tag 0x30"},
		{"a paging value not a sequence", append(doneOp(0, "", nil), 0xa0, 0x1e, 0x30, 0x1c, 0x04, 0x16, '1', '.', '2', '.', '8', '4', '0', '.', '1', '1', '3', '5', '5', '6', '.', '1', '.', '4', '.', '3', '1', '9', 0x04, 0x02, 0x04, 0x00), "the paging control's value has tag"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			var sc searchConn
			into, _, _, err := sc.response(c, "search", tt.op, nil)
			if !errors.Is(err, errMalformed) || !strings.Contains(err.Error(), tt.want) {
				t.Fatalf("error %v, want a malformed response saying %q", err, tt.want)
			}
			if len(into) != 0 {
				t.Errorf("%d entries decoded from a malformed response", len(into))
			}
		})
	}
}

// TestSearchReaderResults: the done message's result becomes go-ldap's
// error, and its paging control the next cookie.
func TestSearchReaderResults(t *testing.T) {
	t.Parallel()
	c := readerConnector(t)
	tests := []struct {
		name       string
		op         []byte
		wantCode   uint16
		wantCookie []byte
	}{
		{"the last page", doneOp(0, "", nil), 0, nil},
		{"a page with more", doneOp(0, "", []byte{1, 2, 3}), 0, []byte{1, 2, 3}},
		{"an empty cookie", doneOp(0, "", []byte{}), 0, nil},
		{"size limit", doneOp(goldap.LDAPResultSizeLimitExceeded, "too many", []byte{9}), goldap.LDAPResultSizeLimitExceeded, nil},
		{"insufficient access", doneOp(goldap.LDAPResultInsufficientAccessRights, "no", nil), goldap.LDAPResultInsufficientAccessRights, nil},
		{"no such object", doneOp(goldap.LDAPResultNoSuchObject, "", nil), goldap.LDAPResultNoSuchObject, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			var sc searchConn
			_, done, cookie, err := sc.response(c, "search", tt.op, nil)
			if !done {
				t.Fatal("the done message did not end the page")
			}
			if tt.wantCode == 0 && err != nil {
				t.Fatal(err)
			}
			if tt.wantCode != 0 && !goldap.IsErrorWithCode(err, tt.wantCode) {
				t.Fatalf("error %v, want LDAP result %d", err, tt.wantCode)
			}
			if !bytes.Equal(cookie, tt.wantCookie) {
				t.Errorf("cookie %v, want %v", cookie, tt.wantCookie)
			}
		})
	}
}

// TestMessageReader: framing, and the bounds on what it reads.
func TestMessageReader(t *testing.T) {
	t.Parallel()
	one := message(7, doneOp(0, "", nil))
	tests := []struct {
		name    string
		stream  []byte
		max     int
		wantErr string
		wantEOF error
	}{
		{name: "a message", stream: one, max: 1 << 10},
		{name: "nothing", stream: nil, max: 1 << 10, wantEOF: io.EOF},
		{name: "cut in the body", stream: one[:len(one)-2], max: 1 << 10, wantEOF: io.ErrUnexpectedEOF},
		{name: "cut in the length", stream: []byte{0x30, 0x84, 0x00}, max: 1 << 10, wantEOF: io.ErrUnexpectedEOF},
		{name: "longer than allowed", stream: one, max: len(one) - 3, wantErr: "longer than the"},
		{name: "a huge length", stream: []byte{0x30, 0x84, 0x7f, 0xff, 0xff, 0xff}, max: maxMessage, wantErr: "longer than the"},
		{name: "not a sequence", stream: []byte{0x31, 0x00}, max: 1 << 10, wantErr: "not a SEQUENCE"},
		{name: "indefinite", stream: []byte{0x30, 0x80, 0x00, 0x00}, max: 1 << 10, wantErr: "indefinite"},
		{name: "overflow", stream: []byte{0x30, 0x89, 1, 1, 1, 1, 1, 1, 1, 1, 1}, max: 1 << 10, wantErr: "overflows"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			m := messageReader{r: bufio.NewReader(bytes.NewReader(tt.stream)), max: tt.max}
			body, err := m.next()
			switch {
			case tt.wantEOF != nil:
				if !errors.Is(err, tt.wantEOF) {
					t.Fatalf("error %v, want %v", err, tt.wantEOF)
				}
			case tt.wantErr != "":
				if !errors.Is(err, errMalformed) || !strings.Contains(err.Error(), tt.wantErr) {
					t.Fatalf("error %v, want %q", err, tt.wantErr)
				}
			case err != nil:
				t.Fatal(err)
			case !bytes.Equal(body, one[2:]):
				t.Fatalf("body % x, want % x", body, one[2:])
			}
		})
	}
}

// FuzzSearchResponses feeds arbitrary bytes to the reader as a stream of
// responses: it never panics, and whatever it refuses is a malformed
// response or a stream error, never half an entry.
func FuzzSearchResponses(f *testing.F) {
	f.Add(message(1, entryOp("uid=a,ou=p", []testAttr{{"uid", []string{"a"}}, {"cn", []string{"Jiří"}}, {"jpegPhoto", []string{"\xff"}}})))
	f.Add(append(message(1, entryOp("uid=a", []testAttr{{"uid", []string{"a", "b"}}})), message(1, doneOp(0, "", []byte("c")))...))
	f.Add(message(1, doneOp(4, "size limit", nil)))
	f.Add(message(1, []byte{0x73, 0x06, 0x04, 0x04, 'l', 'd', 'a', 'p'}))
	f.Add([]byte{0x30, 0x84, 0xff, 0xff, 0xff, 0xff})
	f.Add([]byte{0x30, 0x05, 0x02, 0x01, 0x01, 0x64, 0x80})
	c := readerConnector(f)
	f.Fuzz(func(t *testing.T, stream []byte) {
		m := messageReader{r: bufio.NewReader(bytes.NewReader(stream)), max: 1 << 16}
		var sc searchConn
		for range 64 {
			body, err := m.next()
			if err != nil {
				if !isMalformed(err) && !errors.Is(err, io.EOF) && !errors.Is(err, io.ErrUnexpectedEOF) {
					t.Fatalf("unexpected error %v", err)
				}
				return
			}
			_, op, err := expect(body, tagInteger, "the message ID")
			if err != nil {
				return
			}
			into, _, _, err := sc.response(c, "search", op, nil)
			var le *goldap.Error
			switch {
			case err == nil:
			case isMalformed(err), errors.As(err, &le):
				if len(into) != 0 {
					t.Fatal("entries came with an error")
				}
			default:
				t.Fatalf("unexpected error %v", err)
			}
		}
	})
}

// FuzzEntryMatchesObject checks the reader against go-ldap and object for
// any attribute name and values.
func FuzzEntryMatchesObject(f *testing.F) {
	f.Add("uid=a", "cn", "Jiří", "")
	f.Add("uid=b", "jpegPhoto", "\xff\xd8", "x")
	f.Add("uid=c", "userPassword", "s", "t")
	f.Add("uid=d", "uid", "e", "d")
	f.Add("uid=e", "description;LANG-x", "\xc3", "y")
	c := readerConnector(f)
	f.Fuzz(func(t *testing.T, dn, name, v1, v2 string) {
		sameAsObject(t, c, dn, []testAttr{{"uid", []string{"id"}}, {name, []string{v1, v2}}})
	})
}

// TestSearchReaderSkipsReferences: continuation references between
// entries are passed over, as go-ldap's Search left them out of Entries.
func TestSearchReaderSkipsReferences(t *testing.T) {
	t.Parallel()
	c := readerConnector(t)
	ref := []byte{0x73, 0x0a, 0x04, 0x08, 'l', 'd', 'a', 'p', ':', '/', '/', 'x'}
	ops := [][]byte{
		entryOp("uid=a", []testAttr{{"uid", []string{"a"}}}), ref,
		entryOp("uid=b", []testAttr{{"uid", []string{"b"}}}), doneOp(0, "", nil),
	}
	var sc searchConn
	var page []pageEntry
	for i, op := range ops {
		var done bool
		var err error
		if page, done, _, err = sc.response(c, "search", op, page); err != nil {
			t.Fatalf("response %d: %v", i, err)
		}
		if done != (i == len(ops)-1) {
			t.Fatalf("response %d: done %v", i, done)
		}
	}
	if len(page) != 2 || page[0].obj.ID != "a" || page[1].obj.ID != "b" {
		t.Fatalf("page %+v, want a and b", page)
	}
}
