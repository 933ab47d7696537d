package ldap

import (
	"bufio"
	"bytes"
	"errors"
	"io"
	"net"
	"strings"
	"testing"
	"time"

	ber "github.com/go-asn1-ber/asn1-ber"
	goldap "github.com/go-ldap/ldap/v3"
)

// goldapBytes returns the bytes go-ldap sends for a request, as message
// 1 of a new connection: send runs the request on a connection over a
// pipe, whose other end reads one message and closes.
func goldapBytes(t *testing.T, send func(*goldap.Conn) error) []byte {
	t.Helper()
	client, server := net.Pipe()
	conn := goldap.NewConn(client, false)
	conn.Start()
	defer conn.Close()
	sent := make(chan error, 1)
	go func() { sent <- send(conn) }()
	m := messageReader{r: bufio.NewReader(server), max: maxMessage}
	body, err := m.next()
	if err != nil {
		t.Fatal(err)
	}
	out := append(lengthPrefixed(tagSequence, len(body)), body...)
	server.Close()
	<-sent
	return out
}

// lengthPrefixed is a tag and a definite length in the fewest octets, as
// go-asn1-ber writes them.
func lengthPrefixed(tag byte, n int) []byte {
	if n < 0x80 {
		return []byte{tag, byte(n)}
	}
	var l []byte
	for ; n > 0; n >>= 8 {
		l = append([]byte{byte(n)}, l...)
	}
	return append([]byte{tag, 0x80 | byte(len(l))}, l...)
}

// TestRequestEncoding: the writer's encoding of every write request is,
// byte for byte, go-ldap's — long values (lengths of two and three
// octets), empty values, controls, a new superior included.
func TestRequestEncoding(t *testing.T) {
	t.Parallel()
	long := strings.Repeat("x", 300)
	huge := strings.Repeat("y", 70_000)
	add := func(vals ...string) *goldap.AddRequest {
		req := goldap.NewAddRequest("uid=a\\,b,ou=people,dc=example,dc=org", nil)
		req.Attribute("objectClass", []string{"inetOrgPerson"})
		req.Attribute("cn", vals)
		req.Attribute("userPassword", []string{"{SSHA}secret"})
		return req
	}
	permissive := []goldap.Control{goldap.NewControlString(controlPermissiveModify, false, "")}
	modify := goldap.NewModifyRequest("uid=a,dc=example,dc=org", permissive)
	modify.Add("mail", []string{"a@example.org", "b@example.org"})
	modify.Delete("description", []string{long})
	modify.Replace("telephoneNumber", nil)
	critical := goldap.NewModifyRequest("uid=a,dc=example,dc=org", []goldap.Control{goldap.NewControlString("1.2.3", true, "value")})
	critical.Replace("sn", []string{"Ünïcode"})
	for _, tc := range []struct {
		name string
		req  writeRequest
		via  func(*goldap.Conn) error
	}{
		{"add", writeRequest{add: add("A")}, func(c *goldap.Conn) error { return c.Add(add("A")) }},
		{"add long", writeRequest{add: add(long, "")}, func(c *goldap.Conn) error { return c.Add(add(long, "")) }},
		{"add huge", writeRequest{add: add(huge)}, func(c *goldap.Conn) error { return c.Add(add(huge)) }},
		{"modify with a control", writeRequest{modify: modify}, func(c *goldap.Conn) error { return c.Modify(modify) }},
		{"modify with a critical control", writeRequest{modify: critical}, func(c *goldap.Conn) error { return c.Modify(critical) }},
		{"delete", writeRequest{del: goldap.NewDelRequest("uid=a,dc=example,dc=org", nil)},
			func(c *goldap.Conn) error { return c.Del(goldap.NewDelRequest("uid=a,dc=example,dc=org", nil)) }},
		{"modify DN", writeRequest{modifyDN: goldap.NewModifyDNRequest("uid=a,dc=example,dc=org", "uid=b", true, "")},
			func(c *goldap.Conn) error {
				return c.ModifyDN(goldap.NewModifyDNRequest("uid=a,dc=example,dc=org", "uid=b", true, ""))
			}},
		{"modify DN keeping the old RDN, new superior", writeRequest{modifyDN: goldap.NewModifyDNRequest("uid=a,dc=example,dc=org", "uid=b", false, "ou=x,dc=example,dc=org")},
			func(c *goldap.Conn) error {
				return c.ModifyDN(goldap.NewModifyDNRequest("uid=a,dc=example,dc=org", "uid=b", false, "ou=x,dc=example,dc=org"))
			}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			want := goldapBytes(t, tc.via)
			var e requestEncoder
			e.encode(1, tc.req)
			if !bytes.Equal(e.b, want) {
				t.Errorf("encoded\n%x\nwant (go-ldap)\n%x", e.b, want)
			}
		})
	}
}

// TestRequestEncodingMessageIDs: message IDs take the fewest octets of
// two's complement, as go-asn1-ber writes them.
func TestRequestEncodingMessageIDs(t *testing.T) {
	t.Parallel()
	for _, id := range []int64{1, 127, 128, 255, 256, 32767, 32768, 1 << 23, 1<<31 - 1} {
		var e requestEncoder
		e.integer(tagInteger, id)
		want := ber.NewInteger(ber.ClassUniversal, ber.TypePrimitive, ber.TagInteger, id, "").Bytes()
		if !bytes.Equal(e.b, want) {
			t.Errorf("message ID %d: %x, want %x", id, e.b, want)
		}
	}
}

// resultOp encodes a write response (an LDAPResult under tag).
func resultOp(tag byte, code int64, msg string) []byte {
	op := ber.Encode(ber.ClassApplication, ber.TypeConstructed, ber.Tag(tag&0x1f), nil, "")
	op.AppendChild(ber.NewInteger(ber.ClassUniversal, ber.TypePrimitive, ber.TagEnumerated, code, ""))
	op.AppendChild(octets(""))
	op.AppendChild(octets(msg))
	return op.Bytes()
}

// streamConn is a connection that reads a fixed stream.
type streamConn struct {
	net.Conn // nil: only what follows is used
	*bytes.Reader
}

func (c *streamConn) Read(b []byte) (int, error)      { return c.Reader.Read(b) }
func (c *streamConn) SetReadDeadline(time.Time) error { return nil }

// TestWriteResults: the writer decodes the responses to writes into the
// results go-ldap would have returned, in whatever order they come, and
// refuses malformed ones (the connection is then of no more use).
func TestWriteResults(t *testing.T) {
	t.Parallel()
	inFlight := map[int64]byte{1: tagAddResponse, 2: tagModifyResponse, 3: tagDelResponse, 4: tagModDNResponse}
	want := func(id int64) (byte, bool) { tag, ok := inFlight[id]; return tag, ok }
	type result struct {
		id   int64
		code uint16 // 0: success
		msg  string
	}
	for _, tc := range []struct {
		name    string
		stream  []byte
		results []result
		err     string // of the read after the results
	}{
		{"success, out of order", append(message(2, resultOp(tagModifyResponse, 0, "")), message(1, resultOp(tagAddResponse, 0, ""))...),
			[]result{{2, 0, ""}, {1, 0, ""}}, "EOF"},
		{"server errors keep their code and message",
			append(message(1, resultOp(tagAddResponse, 68, "Already exists")), message(3, resultOp(tagDelResponse, 66, "subordinate objects must be deleted first"))...),
			[]result{{1, goldap.LDAPResultEntryAlreadyExists, "Already exists"}, {3, goldap.LDAPResultNotAllowedOnNonLeaf, "subordinate objects must be deleted first"}}, "EOF"},
		{"busy", message(4, resultOp(tagModDNResponse, 51, "")), []result{{4, goldap.LDAPResultBusy, ""}}, "EOF"},
		{"a message ID not in flight", message(9, resultOp(tagAddResponse, 0, "")), nil, "not in flight"},
		{"the wrong response", message(1, resultOp(tagDelResponse, 0, "")), nil, "has tag 0x6b, not 0x69"},
		{"a result without its message", message(1, []byte{tagAddResponse, 3, tagEnumerated, 1, 0}), nil, "truncated element"},
		{"a result claiming more than there is", message(1, []byte{tagAddResponse, 0x7f, tagEnumerated, 1, 0}), nil, "claims 127 bytes"},
		{"a response cut short", message(1, resultOp(tagAddResponse, 0, ""))[:5], nil, "unexpected EOF"},
		{"a notice of disconnection", message(0, resultOp(tagExtendedResponse, 52, "shutting down")), nil, "the server closed the connection"},
		{"not a message", []byte{0x04, 0x01, 0x00}, nil, "not a SEQUENCE"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			w := &writeConn{sc: &searchConn{conn: &streamConn{Reader: bytes.NewReader(tc.stream)}}}
			w.sc.reset()
			for _, r := range tc.results {
				id, res, err := w.result(t.Context(), want, time.Minute)
				if err != nil || id != r.id {
					t.Fatalf("result: message %d, %v; want message %d", id, err, r.id)
				}
				var le *goldap.Error
				switch {
				case r.code == 0 && res != nil:
					t.Errorf("message %d: %v, want success", id, res)
				case r.code != 0 && (!errors.As(res, &le) || le.ResultCode != r.code || le.Err.Error() != r.msg):
					t.Errorf("message %d: %#v, want result %d %q", id, res, r.code, r.msg)
				}
			}
			_, res, err := w.result(t.Context(), want, time.Minute)
			if err == nil || !strings.Contains(err.Error(), tc.err) || res != nil {
				t.Errorf("after the results: %v, %v; want an error with %q", res, err, tc.err)
			}
			if tc.err == "EOF" && !isNetworkError(err) {
				t.Errorf("end of the stream: %v is not a network error", err)
			}
		})
	}
}

// TestWriteConnFlush: the queued requests go out in one write, and the
// buffer is reused after.
func TestWriteConnFlush(t *testing.T) {
	t.Parallel()
	client, server := net.Pipe()
	defer client.Close()
	w := &writeConn{sc: &searchConn{conn: client, nextID: 1}}
	for range 3 {
		w.queue(writeRequest{del: goldap.NewDelRequest("uid=a,dc=example,dc=org", nil)})
	}
	want := bytes.Clone(w.enc.b)
	got := make(chan []byte, 1)
	go func() {
		b := make([]byte, 4096)
		n, _ := server.Read(b) // one Read of a pipe returns one Write
		got <- b[:n]
		_, _ = io.Copy(io.Discard, server)
	}()
	if err := w.flush(t.Context(), time.Minute); err != nil {
		t.Fatal(err)
	}
	if b := <-got; !bytes.Equal(b, want) {
		t.Errorf("one write carried %x, want the three requests %x", b, want)
	}
	if len(w.enc.b) != 0 || w.sc.nextID != 4 {
		t.Errorf("after the flush: %d bytes queued, next ID %d", len(w.enc.b), w.sc.nextID)
	}
}
