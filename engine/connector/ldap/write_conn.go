package ldap

import (
	"context"
	"fmt"
	"time"

	goldap "github.com/go-ldap/ldap/v3"
)

// writeConn is the connection Apply writes on, a connection of its own
// dialled and bound as the search reader's is (dialSearch). Requests are
// encoded straight into one buffer (requestEncoder), which is written
// with one write per window; responses are read in order with the
// search reader's messageReader. One batch uses it at a time.
type writeConn struct {
	sc  *searchConn
	enc requestEncoder
	// reused says the connection was kept from an earlier batch: the
	// server may have closed it while it was idle.
	reused bool
}

// maxKeptBuffer bounds the request buffer an idle connection keeps.
const maxKeptBuffer = 1 << 20

// queue encodes r as the next message and returns its message ID and
// the tag its response must have. Nothing is sent before flush.
func (w *writeConn) queue(r writeRequest) (id int64, want byte) {
	id = w.sc.nextID
	w.sc.nextID++
	return id, w.enc.encode(id, r)
}

// flush writes the queued requests, all in one write.
func (w *writeConn) flush(ctx context.Context, timeout time.Duration) error {
	if len(w.enc.b) == 0 {
		return nil
	}
	b := w.enc.b
	w.enc.b = w.enc.b[:0]
	if err := w.deadline(ctx, w.sc.conn.SetWriteDeadline, timeout); err != nil {
		return err
	}
	if _, err := w.sc.conn.Write(b); err != nil {
		return goldap.NewError(goldap.ErrorNetwork, fmt.Errorf("unable to send request: %w", err))
	}
	return nil
}

// result reads the next response, which may answer any request in
// flight (a server answers pipelined requests in the order it finishes
// them): it returns the message ID it answers and the server's result,
// nil for success, else a *goldap.Error with the server's code and
// message. want gives the tag the response to a message ID must have;
// a message ID not in flight is refused. err is a failure of the
// connection or a malformed response, after which the connection is of
// no more use.
func (w *writeConn) result(ctx context.Context, want func(id int64) (byte, bool), timeout time.Duration) (id int64, result, err error) {
	if err := w.deadline(ctx, w.sc.conn.SetReadDeadline, timeout); err != nil {
		return 0, nil, err
	}
	id, body, err := w.sc.readAny()
	if err != nil {
		return 0, nil, err
	}
	tag, ok := want(id)
	if !ok {
		return 0, nil, malformed("a response to message %d, which is not in flight", id)
	}
	got, contents, _, err := element(body)
	switch {
	case err != nil:
		return 0, nil, err
	case got != tag:
		return 0, nil, malformed("the response to message %d has tag %#02x, not %#02x", id, got, tag)
	}
	result = resultError(contents)
	if isMalformed(result) {
		return 0, nil, result
	}
	return id, result, nil
}

// deadline sets a read or write deadline timeout from now, then checks
// ctx: a context that ended before (whose AfterFunc cut the deadline
// short already) is not waited on for the whole timeout.
func (w *writeConn) deadline(ctx context.Context, set func(time.Time) error, timeout time.Duration) error {
	if err := set(time.Now().Add(timeout)); err != nil {
		return goldap.NewError(goldap.ErrorNetwork, err)
	}
	return ctx.Err()
}

// buffered reports whether a response has arrived that is not read yet.
func (w *writeConn) buffered() bool { return w.sc.in.r.Buffered() > 0 }

// takeWriteConn returns the idle write connection, or a new one.
func (c *Connector) takeWriteConn(ctx context.Context, op string) (*writeConn, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	c.mu.Lock()
	w := c.idleWrite
	c.idleWrite = nil
	c.mu.Unlock()
	if w != nil {
		w.reused = true
		return w, nil
	}
	sc, err := c.dialSearch(ctx, op)
	if err != nil {
		return nil, err
	}
	return &writeConn{sc: sc}, nil
}

// putWriteConn keeps w for the next batch, or closes it when another is
// kept already or the connector is closed.
func (c *Connector) putWriteConn(w *writeConn) {
	w.enc.b = w.enc.b[:0]
	if cap(w.enc.b) > maxKeptBuffer {
		w.enc.b = nil // a batch of large values: not kept idle
	}
	c.mu.Lock()
	if c.idleWrite == nil && !c.closed {
		c.idleWrite, w = w, nil
	}
	c.mu.Unlock()
	if w != nil {
		w.sc.close()
	}
}
