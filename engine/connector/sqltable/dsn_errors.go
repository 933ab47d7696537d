package sqltable

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"database/sql/driver"
	"errors"
	"net"
	"net/url"
	"os"
	"slices"
	"strings"
	"syscall"
)

// The dsn is a secret as a whole: a password can sit in any part of it
// (a user name, a host, a query parameter), and drivers quote those parts
// when they fail to parse the DSN or to connect — and servers echo them
// back in their own messages (role "…" does not exist). So no error text
// from parsing the DSN or from connecting is ever shown. Such an error is
// replaced by a description that names the setting and a reason chosen
// from a fixed vocabulary (dsnError). Errors from statements, which run on
// a connection already made, keep the driver's text with every part of
// the DSN scrubbed from it (Connector.redact), as a second line of
// defence.

// hidden ends every description of a DSN error.
const hidden = "the value is not shown because it is sensitive"

// dsnError describes a failure to parse the DSN or to connect with it,
// without any of its text. It unwraps only to a context error, so that a
// cancellation stays one; the driver's error is dropped.
type dsnError struct {
	msg string
	ctx error // context.Canceled or context.DeadlineExceeded, or nil
}

func (e *dsnError) Error() string { return e.msg }
func (e *dsnError) Unwrap() error { return e.ctx }

// parseFailure describes a DSN the driver could not parse, for a reason
// from the dialect's fixed vocabulary.
func parseFailure(driverName, reason string) *dsnError {
	return &dsnError{msg: "connection.dsn: the " + driverName + " driver could not parse the DSN (" + reason + "); " + hidden}
}

// connectFailure describes a connection that could not be made, for a
// reason from a fixed vocabulary.
func connectFailure(driverName, reason string, err error) *dsnError {
	e := &dsnError{msg: "connection.dsn: could not connect to the " + driverName + " database: " + reason + "; " + hidden}
	switch {
	case errors.Is(err, context.Canceled):
		e.ctx = context.Canceled
	case errors.Is(err, context.DeadlineExceeded):
		e.ctx = context.DeadlineExceeded
	}
	return e
}

// connectError marks an error returned while a connection was being
// made: its text may quote any part of the DSN. It never reaches a
// message; fail replaces it with a connectFailure.
type connectError struct{ err error }

func (e *connectError) Error() string { return e.err.Error() }
func (e *connectError) Unwrap() error { return e.err }

// guarded wraps a driver's connector so that every error from Connect is
// marked a connectError, whichever statement made database/sql connect.
type guarded struct{ driver.Connector }

func (g guarded) Connect(ctx context.Context) (driver.Conn, error) {
	conn, err := g.Connector.Connect(ctx)
	if err != nil {
		return nil, &connectError{err: err}
	}
	return conn, nil
}

// dsnConnector is a driver.Connector for a driver that has none of its own.
type dsnConnector struct {
	drv driver.Driver
	dsn string
}

func (c dsnConnector) Connect(context.Context) (driver.Conn, error) { return c.drv.Open(c.dsn) }
func (c dsnConnector) Driver() driver.Driver                        { return c.drv }

// networkReason sorts an error from dialling the server into a reason,
// the same for every driver; "" when it is none of these.
func networkReason(err error) string {
	var dns *net.DNSError
	var unknownNet net.UnknownNetworkError
	var ne net.Error
	var certInvalid x509.CertificateInvalidError
	var unknownAuth x509.UnknownAuthorityError
	var hostname x509.HostnameError
	var recordHeader tls.RecordHeaderError
	var alert tls.AlertError
	switch {
	case errors.Is(err, context.Canceled):
		return "canceled"
	case errors.Is(err, context.DeadlineExceeded) || errors.As(err, &ne) && ne.Timeout():
		return "timed out (check the host, the port and the connect timeout)"
	case errors.As(err, &dns) && strings.Contains(dns.Err, "port"):
		return "the port is not a number"
	case errors.As(err, &dns):
		return "the host name could not be resolved"
	case errors.As(err, &unknownNet):
		return "unknown network (a MySQL DSN's protocol is tcp or unix)"
	case errors.Is(err, syscall.ECONNREFUSED):
		return "connection refused (no server listens at the host and port)"
	case errors.Is(err, syscall.ENOENT) || errors.Is(err, os.ErrNotExist):
		return "no such socket or file"
	case errors.Is(err, syscall.EHOSTUNREACH) || errors.Is(err, syscall.ENETUNREACH):
		return "the host is unreachable"
	case errors.Is(err, syscall.ECONNRESET) || errors.Is(err, syscall.EPIPE):
		return "the server closed the connection"
	case errors.As(err, &certInvalid) || errors.As(err, &unknownAuth) || errors.As(err, &hostname) ||
		errors.As(err, &recordHeader) || errors.As(err, &alert):
		return "TLS failed (check sslmode/tls and the certificates)"
	}
	return ""
}

// dsnTokens returns the parts of a DSN to scrub from any message: the
// DSN itself, and every run of four or more characters between the
// characters that separate its parts (user, password, host, port,
// database, each parameter's value), as written and percent-decoded.
func dsnTokens(dsn string) []string {
	out := []string{dsn}
	seen := map[string]bool{dsn: true}
	add := func(s string) {
		s = strings.Trim(s, `'" `)
		if len(s) >= 4 && !seen[s] && !slices.Contains(dsnKeywords, s) {
			seen[s] = true
			out = append(out, s)
		}
	}
	split := func(s string) []string {
		return strings.FieldsFunc(s, func(r rune) bool { return strings.ContainsRune(":/@?&=;,()[] \t\n'\"\\", r) })
	}
	for _, t := range split(dsn) {
		add(t)
		if d, err := url.QueryUnescape(t); err == nil {
			add(d)
			for _, u := range split(d) {
				add(u)
			}
		}
	}
	return out
}

// dsnKeywords are the words of a DSN that are no secret, for they are
// the drivers' own (a parameter's name, a scheme, a protocol): scrubbing
// them would only garble messages.
var dsnKeywords = append([]string{
	"postgres", "postgresql", "unix", "host", "hostaddr", "port", "user", "password", "dbname",
	"sslmode", "disable", "allow", "prefer", "require", "verify-ca", "verify-full", "sslrootcert",
	"sslcert", "sslkey", "sslpassword", "sslcertmode", "sslnegotiation", "connect_timeout",
	"application_name", "options", "search_path", "target_session_attrs", "channel_binding",
	"require_auth", "min_protocol_version", "max_protocol_version", "service", "servicefile",
	"passfile", "true", "false",
}, mysqlParams...)

// scrub replaces each of secrets in msg with "(sensitive)", longest
// first so that a secret's part does not leave the rest behind.
func scrub(msg string, secrets []string) string {
	for _, s := range secrets {
		if len(s) >= 2 {
			msg = strings.ReplaceAll(msg, s, "(sensitive)")
		}
	}
	return msg
}
