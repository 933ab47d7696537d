package sqltable

import (
	"errors"
	"strings"

	"github.com/jackc/pgx/v5/pgconn"
)

// pgParseReasons are pgx's reasons for refusing a connection string, as
// they follow the quoted string in its message, and what to say instead.
// pgx puts values into some of its reasons; these are matched by the
// words before the value, and only the replacement is shown.
var pgParseReasons = []struct{ prefix, reason string }{
	{"invalid port", "invalid port"},
	{"invalid connect_timeout", "invalid connect_timeout value"},
	{"failed to parse as URL", "malformed URL"},
	{"failed to parse as keyword/value", "malformed keyword/value string"},
	{"failed to read service", "cannot read the service file"},
	{"invalid sslcertmode", "invalid sslcertmode value"},
	{"invalid require_auth", "invalid require_auth value"},
	{"unknown target_session_attrs value", "invalid target_session_attrs value"},
	{"unknown channel_binding value", "invalid channel_binding value"},
	{"invalid min_protocol_version", "invalid min_protocol_version value"},
	{"invalid max_protocol_version", "invalid max_protocol_version value"},
	{"min_protocol_version cannot be greater", "min_protocol_version is greater than max_protocol_version"},
	{"could not match", "the numbers of hosts and ports differ"},
	{"connection string key", "a key is not allowed"},
	{"failed to configure TLS", "invalid TLS settings"},
}

// pgTLSReasons refine "failed to configure TLS" by the cause's words.
var pgTLSReasons = []struct{ prefix, reason string }{
	{"sslmode is invalid", "invalid sslmode value"},
	{"unable to read CA file", "cannot read the sslrootcert file"},
	{"unable to add CA to cert pool", "the sslrootcert file holds no certificate"},
	{"unable to load system certificate pool", "cannot load the system certificates"},
	{`both "sslcert" and "sslkey" are required`, "sslcert and sslkey go together"},
	{"unable to read sslkey", "cannot read the sslkey file"},
	{"failed to decode sslkey", "cannot decode the sslkey file"},
	{"unable to find sslpassword", "the sslkey is encrypted and sslpassword is missing"},
	{"unable to decrypt key", "cannot decrypt the sslkey with sslpassword"},
	{"unable to read cert", "cannot read the sslcert file"},
	{"unable to load cert", "cannot load the sslcert and sslkey"},
}

// pgKeyValueReasons refine "failed to parse as keyword/value".
var pgKeyValueReasons = []struct{ prefix, reason string }{
	{"unterminated quoted string", "unterminated quoted string"},
	{`missing "="`, `a keyword without "="`},
	{"invalid keyword/value", "malformed keyword/value string"},
	{"forbidden NUL byte", "a NUL byte"},
}

// parseReason says why pgx refused the DSN, in words of its own.
func (postgresDialect) parseReason(_ string, err error) string {
	var pe *pgconn.ParseConfigError
	if !errors.As(err, &pe) {
		return "invalid DSN"
	}
	msg := pe.Error()
	for _, r := range pgParseReasons {
		if !strings.Contains(msg, "`: "+r.prefix) {
			continue
		}
		cause := ""
		if inner := errors.Unwrap(pe); inner != nil {
			cause = inner.Error()
		}
		switch r.prefix {
		case "failed to configure TLS":
			return matchPrefix(cause, pgTLSReasons, r.reason)
		case "failed to parse as keyword/value":
			return matchPrefix(cause, pgKeyValueReasons, r.reason)
		}
		return r.reason
	}
	return "invalid DSN"
}

// matchPrefix returns the reason of the first entry msg starts with, or
// otherwise.
func matchPrefix(msg string, reasons []struct{ prefix, reason string }, otherwise string) string {
	for _, r := range reasons {
		if strings.HasPrefix(msg, r.prefix) {
			return r.reason
		}
	}
	return otherwise
}

// connectReason says why a connection failed: the server's SQLSTATE where
// it answered (its message may quote the user, the database or a
// parameter, so it is not shown), else what the network said.
func (postgresDialect) connectReason(err error) string {
	var pe *pgconn.PgError
	if errors.As(err, &pe) {
		code := safeCode(pe.Code)
		switch {
		case pe.Code == "28P01" || pe.Code == "28000":
			return "authentication failed: wrong user or password, or the server does not let this user in (SQLSTATE " + code + ")"
		case pe.Code == "3D000":
			return "the database does not exist (SQLSTATE " + code + ")"
		case pe.Code == "53300":
			return "the server has too many connections (SQLSTATE " + code + ")"
		case strings.HasPrefix(pe.Code, "57P"):
			return "the server is starting up or shutting down (SQLSTATE " + code + ")"
		case strings.HasPrefix(pe.Code, "42") || strings.HasPrefix(pe.Code, "22"):
			return "the server refused a run-time parameter the DSN sets (options or an unknown key; SQLSTATE " + code + ")"
		}
		return "the server refused the connection (SQLSTATE " + code + ")"
	}
	if r := networkReason(err); r != "" {
		return r
	}
	if strings.Contains(err.Error(), "server refused TLS connection") {
		return "the server does not accept TLS (sslmode requires it)"
	}
	if strings.Contains(err.Error(), "tls: ") || strings.Contains(err.Error(), "x509: ") {
		return "TLS failed (check sslmode and the certificates)"
	}
	return "the connection failed"
}

// safeCode returns a SQLSTATE as it is when it looks like one, else "?".
func safeCode(code string) string {
	if len(code) != 5 || strings.IndexFunc(code, func(r rune) bool { return !(r >= '0' && r <= '9' || r >= 'A' && r <= 'Z') }) >= 0 {
		return "?"
	}
	return code
}
