package ldap

import (
	"bufio"
	"context"
	"crypto/tls"
	"fmt"
	"net"
	"net/url"
	"time"

	ber "github.com/go-asn1-ber/asn1-ber"
	goldap "github.com/go-ldap/ldap/v3"
	"github.com/syncline/syncline/engine/connector"
)

// searchConn is the connection the search reader owns: dialled, upgraded
// to TLS and bound like the shared go-ldap one (same url, TLS settings,
// timeout and credentials), then read with messageReader. One request at
// a time is in flight on it.
type searchConn struct {
	conn   net.Conn
	in     messageReader
	nextID int64
	// scratch is reused by every entry decoded on the connection.
	scratch entryScratch
}

// dialSearch connects and binds a connection for the search reader.
func (c *Connector) dialSearch(ctx context.Context, op string) (*searchConn, error) {
	tc, err := c.cfg.tlsConfig()
	if err != nil {
		return nil, c.errs.New(connector.ErrConfig, op, err, "")
	}
	u, _ := url.Parse(c.cfg.URL)
	host := u.Host
	if u.Port() == "" {
		host = net.JoinHostPort(u.Hostname(), map[string]string{"ldap": "389", "ldaps": "636"}[u.Scheme])
	}
	d := &net.Dialer{Timeout: c.cfg.Timeout}
	raw, err := d.DialContext(ctx, "tcp", host)
	if err != nil {
		return nil, c.connectFailure(op, err)
	}
	sc := &searchConn{conn: raw, nextID: 1}
	sc.reset()
	fail := func(err error, sort func(string, error) error) (*searchConn, error) {
		sc.conn.Close()
		return nil, sort(op, err)
	}
	if err := sc.conn.SetDeadline(time.Now().Add(c.cfg.Timeout)); err != nil {
		return fail(err, c.connectFailure)
	}
	if tc != nil && c.cfg.StartTLS {
		if err := sc.startTLS(); err != nil {
			return fail(err, c.connectFailure)
		}
	}
	if tc != nil {
		tlsConn := tls.Client(sc.conn, tc)
		if err := tlsConn.HandshakeContext(ctx); err != nil {
			return fail(err, c.connectFailure)
		}
		sc.conn = tlsConn
		sc.reset()
	}
	if err := c.checkBindPassword(); err != nil {
		return fail(err, c.bindFailure)
	}
	if err := sc.bind(c.cfg.BindDN, c.cfg.BindPassword); err != nil {
		return fail(err, c.bindFailure)
	}
	return sc, nil
}

// reset reads from the connection as it is now (after a TLS upgrade).
func (sc *searchConn) reset() {
	sc.in = messageReader{r: bufio.NewReaderSize(sc.conn, 64<<10), buf: sc.in.buf, max: maxMessage}
}

// startTLS asks for TLS (RFC 4511 section 4.14) and reads the answer.
func (sc *searchConn) startTLS() error {
	op := ber.Encode(ber.ClassApplication, ber.TypeConstructed, ber.Tag(goldap.ApplicationExtendedRequest), nil, "")
	op.AppendChild(ber.NewString(ber.ClassContext, ber.TypePrimitive, 0, "1.3.6.1.4.1.1466.20037", ""))
	return sc.roundTrip(op, tagExtendedResponse)
}

// bind binds simply; an empty name and password bind anonymously.
func (sc *searchConn) bind(name, password string) error {
	op := ber.Encode(ber.ClassApplication, ber.TypeConstructed, ber.Tag(goldap.ApplicationBindRequest), nil, "")
	op.AppendChild(ber.NewInteger(ber.ClassUniversal, ber.TypePrimitive, ber.TagInteger, 3, ""))
	op.AppendChild(ber.NewString(ber.ClassUniversal, ber.TypePrimitive, ber.TagOctetString, name, ""))
	op.AppendChild(ber.NewString(ber.ClassContext, ber.TypePrimitive, 0, password, ""))
	return sc.roundTrip(op, tagBindResponse)
}

// roundTrip sends a request and reads its one response, whose result
// must be success.
func (sc *searchConn) roundTrip(op *ber.Packet, want byte) error {
	id, err := sc.send(op, nil)
	if err != nil {
		return err
	}
	body, err := sc.read(id)
	if err != nil {
		return err
	}
	tag, contents, _, err := element(body)
	switch {
	case err != nil:
		return err
	case tag != want:
		return malformed("the response has tag %#02x, not %#02x", tag, want)
	}
	return resultError(contents)
}

// send writes a request with the next message ID and returns the ID.
func (sc *searchConn) send(op *ber.Packet, controls []goldap.Control) (int64, error) {
	id := sc.nextID
	sc.nextID++
	env := ber.Encode(ber.ClassUniversal, ber.TypeConstructed, ber.TagSequence, nil, "")
	env.AppendChild(ber.NewInteger(ber.ClassUniversal, ber.TypePrimitive, ber.TagInteger, id, ""))
	env.AppendChild(op)
	if len(controls) > 0 {
		ctls := ber.Encode(ber.ClassContext, ber.TypeConstructed, 0, nil, "")
		for _, ctl := range controls {
			ctls.AppendChild(ctl.Encode())
		}
		env.AppendChild(ctls)
	}
	if _, err := sc.conn.Write(env.Bytes()); err != nil {
		return 0, goldap.NewError(goldap.ErrorNetwork, fmt.Errorf("unable to send request: %w", err))
	}
	return id, nil
}

// read reads the next message for request id and returns what follows
// its message ID (the protocol op and the controls). A notice of
// disconnection is the server closing the connection; any other message
// ID is refused.
func (sc *searchConn) read(id int64) ([]byte, error) {
	got, rest, err := sc.readAny()
	if err != nil {
		return nil, err
	}
	if got != id {
		return nil, malformed("a response to message %d came while %d was awaited", got, id)
	}
	return rest, nil
}

// readAny is read for whichever request the next message answers: it
// returns that message ID too.
func (sc *searchConn) readAny() (int64, []byte, error) {
	body, err := sc.in.next()
	if err != nil {
		if isMalformed(err) {
			return 0, nil, err
		}
		return 0, nil, goldap.NewError(goldap.ErrorNetwork, err)
	}
	idBytes, rest, err := expect(body, tagInteger, "the message ID")
	if err != nil {
		return 0, nil, err
	}
	got, err := integer(idBytes, "the message ID")
	if err != nil {
		return 0, nil, err
	}
	if got == 0 && len(rest) > 0 && rest[0] == tagExtendedResponse {
		_, contents, _, err := element(rest)
		if err == nil {
			err = resultError(contents)
		}
		return 0, nil, goldap.NewError(goldap.ErrorNetwork, fmt.Errorf("the server closed the connection: %v", err))
	}
	return got, rest, nil
}

// close says goodbye (an UnbindRequest) and closes the connection.
func (sc *searchConn) close() {
	_ = sc.conn.SetWriteDeadline(time.Now().Add(time.Second))
	_, _ = sc.send(ber.Encode(ber.ClassApplication, ber.TypePrimitive, ber.Tag(goldap.ApplicationUnbindRequest), nil, ""), nil)
	sc.conn.Close()
}
