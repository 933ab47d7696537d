package sqltable

import (
	"context"
	"database/sql/driver"
	"errors"
	"io"
	"net"
	"slices"
	"strings"
	"syscall"

	"github.com/syncline/syncline/engine/connector"
)

// fail turns a driver error into an *connector.Error of the right kind,
// without secrets. An error from making a connection is described, never
// quoted (see dsn_errors.go). Other context errors are returned as they
// are.
func (c *Connector) fail(op, id string, err error) error {
	var conn *connectError
	if errors.As(err, &conn) {
		kind := c.kindOf(conn.err)
		if errors.Is(err, context.Canceled) || errors.Is(err, context.DeadlineExceeded) {
			return connectFailure(c.cfg.Driver, c.d.connectReason(conn.err), conn.err)
		}
		return &connector.Error{Kind: kind, Op: op, Resource: c.Resource(), Object: id,
			Err: connectFailure(c.cfg.Driver, c.d.connectReason(conn.err), conn.err), Hint: c.hint(kind)}
	}
	if errors.Is(err, context.Canceled) || errors.Is(err, context.DeadlineExceeded) {
		return err
	}
	var ce *connector.Error
	if errors.As(err, &ce) {
		return err
	}
	kind := c.kindOf(err)
	return &connector.Error{Kind: kind, Op: op, Resource: c.Resource(), Object: id,
		Err: c.redact(err), Hint: c.hint(kind)}
}

// kindOf sorts err: the dialect knows its server's codes; connection
// failures look alike in every driver.
func (c *Connector) kindOf(err error) error {
	if k := c.d.kind(err); k != nil {
		return k
	}
	var ne net.Error
	if errors.As(err, &ne) || errors.Is(err, driver.ErrBadConn) || errors.Is(err, io.EOF) ||
		errors.Is(err, io.ErrUnexpectedEOF) || errors.Is(err, syscall.ECONNREFUSED) || errors.Is(err, syscall.ECONNRESET) ||
		errors.Is(err, syscall.EPIPE) || strings.Contains(err.Error(), "conn closed") {
		return connector.ErrUnreachable
	}
	return connector.ErrRejected
}

// hint is the hint for an error of kind.
func (c *Connector) hint(kind error) string {
	switch kind {
	case connector.ErrUnreachable:
		switch {
		case c.cfg.Driver == SQLite && c.cfg.CreateTable:
			return "Check that the database file's directory exists and is writable; dsn is a path relative to the configuration directory. With create_table, Syncline creates the file but not its directory."
		case c.cfg.Driver == SQLite:
			return "Check that the database file exists and is readable; dsn is a path relative to the configuration directory. Syncline does not create it."
		}
		return "Check that the database server is running and that the dsn's host, port, user and password are right. Pending changes are kept and retried."
	case connector.ErrSchema:
		return "Check the table, schema and column names in the connection block; they are matched exactly, case included."
	}
	return ""
}

// redacted is an error message with the secrets taken out; it still
// unwraps to the driver's error for errors.Is and errors.As.
type redacted struct {
	msg string
	err error
}

func (r *redacted) Error() string { return r.msg }
func (r *redacted) Unwrap() error { return r.err }

// redact replaces every part of the DSN in err's message with
// "(sensitive)". It is the second line of defence, for statements' errors:
// errors from parsing the DSN or connecting are never quoted at all.
func (c *Connector) redact(err error) error {
	return &redacted{msg: scrub(err.Error(), c.secrets), err: err}
}

// secretsOf returns what to scrub from messages about a connection with
// dsn: its tokens and the dialect's own, longest first. A SQLite dsn is a
// path, whose parts ("data") are words too common to scrub: the path, its
// base name and its absolute form are.
func secretsOf(d dialect, dsn string) []string {
	out := dsnTokens(dsn)
	if _, ok := d.(sqliteDialect); ok {
		out = []string{dsn}
	}
	for _, s := range d.secrets(dsn) {
		if s != "" && !slices.Contains(out, s) {
			out = append(out, s)
		}
	}
	slices.SortStableFunc(out, func(a, b string) int { return len(b) - len(a) })
	return out
}
