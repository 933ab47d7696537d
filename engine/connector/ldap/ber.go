package ldap

import (
	"bufio"
	"errors"
	"fmt"
	"io"
)

// The BER tags the search reader reads (RFC 4511 section 4; X.690
// identifier octets: class, constructed bit, tag number).
const (
	tagBoolean     = 0x01
	tagInteger     = 0x02
	tagOctetString = 0x04
	tagEnumerated  = 0x0a
	tagSequence    = 0x30
	tagSet         = 0x31

	tagBindResponse     = 0x61 // [APPLICATION 1]
	tagSearchEntry      = 0x64 // [APPLICATION 4]
	tagSearchDone       = 0x65 // [APPLICATION 5]
	tagSearchReference  = 0x73 // [APPLICATION 19]
	tagExtendedResponse = 0x78 // [APPLICATION 24]
	tagControls         = 0xa0 // [0] in an LDAPMessage
	tagReferral         = 0xa3 // [3] in an LDAPResult
)

// maxMessage bounds one LDAP message the search reader accepts: a longer
// length is refused before anything is allocated for it.
const maxMessage = 64 << 20

// errMalformed marks a response the search reader refuses: the server (or
// something between) sent bytes that are not the LDAP message they claim
// to be. The connection is closed after it.
var errMalformed = errors.New("malformed LDAP response")

func malformed(format string, args ...any) error {
	return fmt.Errorf("%w: %s", errMalformed, fmt.Sprintf(format, args...))
}

// messageReader frames LDAP messages on a stream: each is one SEQUENCE
// with a definite length of at most max bytes. The body returned by next
// is valid until the next call.
type messageReader struct {
	r   *bufio.Reader
	buf []byte
	max int
}

// next reads one message and returns its body (the contents of the
// LDAPMessage SEQUENCE). Errors of the stream come back as they are
// (io.EOF before a message, io.ErrUnexpectedEOF inside one).
func (m *messageReader) next() ([]byte, error) {
	tag, err := m.r.ReadByte()
	if err != nil {
		return nil, err
	}
	if tag != tagSequence {
		return nil, malformed("a message starts with tag %#02x, not a SEQUENCE", tag)
	}
	n, err := m.length()
	if err != nil {
		return nil, err
	}
	if n > m.max {
		return nil, malformed("a message of %d bytes is longer than the %d bytes allowed", n, m.max)
	}
	if cap(m.buf) < n {
		m.buf = make([]byte, n)
	}
	body := m.buf[:n]
	if _, err := io.ReadFull(m.r, body); err != nil {
		if err == io.EOF {
			err = io.ErrUnexpectedEOF
		}
		return nil, err
	}
	return body, nil
}

// length reads a definite length from the stream.
func (m *messageReader) length() (int, error) {
	first, err := m.r.ReadByte()
	if err != nil {
		return 0, unexpected(err)
	}
	if first < 0x80 {
		return int(first), nil
	}
	k := int(first & 0x7f)
	switch {
	case k == 0:
		return 0, malformed("indefinite lengths are not allowed in LDAP")
	case k > 4:
		return 0, malformed("a length of %d octets overflows", k)
	}
	n := 0
	for range k {
		b, err := m.r.ReadByte()
		if err != nil {
			return 0, unexpected(err)
		}
		n = n<<8 | int(b)
	}
	return n, nil
}

func unexpected(err error) error {
	if err == io.EOF {
		return io.ErrUnexpectedEOF
	}
	return err
}

// element splits the first BER element off b: its tag, its contents and
// what follows it. Only single-octet tags and definite lengths that fit
// in b are accepted.
func element(b []byte) (tag byte, contents, rest []byte, err error) {
	if len(b) < 2 {
		return 0, nil, nil, malformed("truncated element")
	}
	tag = b[0]
	if tag&0x1f == 0x1f {
		return 0, nil, nil, malformed("tag %#02x has a high tag number, which LDAP does not use", tag)
	}
	n, b := int(b[1]), b[2:]
	if n >= 0x80 {
		k := n & 0x7f
		switch {
		case k == 0:
			return 0, nil, nil, malformed("indefinite lengths are not allowed in LDAP")
		case k > 4:
			return 0, nil, nil, malformed("a length of %d octets overflows", k)
		case len(b) < k:
			return 0, nil, nil, malformed("truncated length")
		}
		n = 0
		for _, o := range b[:k] {
			n = n<<8 | int(o)
		}
		b = b[k:]
	}
	if n > len(b) {
		return 0, nil, nil, malformed("an element of tag %#02x claims %d bytes, %d are left", tag, n, len(b))
	}
	return tag, b[:n], b[n:], nil
}

// expect is element that also requires the tag.
func expect(b []byte, want byte, what string) (contents, rest []byte, err error) {
	tag, contents, rest, err := element(b)
	if err != nil {
		return nil, nil, err
	}
	if tag != want {
		return nil, nil, malformed("%s has tag %#02x, not %#02x", what, tag, want)
	}
	return contents, rest, nil
}

// integer decodes the contents of an INTEGER or ENUMERATED of at most
// four octets (message IDs, result codes, page sizes).
func integer(b []byte, what string) (int64, error) {
	if len(b) == 0 || len(b) > 4 {
		return 0, malformed("%s is an integer of %d octets", what, len(b))
	}
	v := int64(int8(b[0]))
	for _, o := range b[1:] {
		v = v<<8 | int64(o)
	}
	return v, nil
}
