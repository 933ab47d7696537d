package sqltable

import (
	"errors"
	"slices"
	"strconv"
	"strings"

	"github.com/go-sql-driver/mysql"
)

// mysqlParams are the parameters go-sql-driver reads itself: a value it
// refuses names one of them, and naming it tells nothing secret.
var mysqlParams = []string{
	"allowAllFiles", "allowCleartextPasswords", "allowFallbackToPlaintext", "allowNativePasswords",
	"allowOldPasswords", "charset", "checkConnLiveness", "clientFoundRows", "collation",
	"columnsWithAlias", "compress", "connectionAttributes", "interpolateParams", "loc",
	"maxAllowedPacket", "multiStatements", "parseTime", "readTimeout", "rejectReadOnly",
	"serverPubKey", "timeout", "timeTruncate", "tls", "writeTimeout",
}

// parseReason says why go-sql-driver refused the DSN: its fixed "invalid
// DSN: …" words, or which of its parameters has a value it refuses
// (found by parsing each parameter alone; its message would quote the
// value).
func (mysqlDialect) parseReason(dsn string, err error) string {
	if rest, ok := strings.CutPrefix(err.Error(), "invalid DSN: "); ok && slices.Contains([]string{
		"did you forget to escape a param value?",
		"network address not terminated (missing closing brace)",
		"missing the slash separating the database name",
		"interpolateParams can not be used with unsafe collations",
	}, rest) {
		return rest
	}
	if name := badMySQLParam(dsn); name != "" {
		return "invalid value of the " + name + " parameter"
	}
	if strings.HasPrefix(err.Error(), "invalid dbname") {
		return "the database name is not validly escaped"
	}
	if strings.HasPrefix(err.Error(), "default addr for network") {
		return "unknown network (a MySQL DSN's protocol is tcp or unix)"
	}
	return "invalid DSN"
}

// badMySQLParam returns the name of the first known parameter of dsn
// whose value go-sql-driver refuses on its own, or "".
func badMySQLParam(dsn string) string {
	slash := strings.LastIndexByte(dsn, '/')
	_, query, ok := strings.Cut(dsn[slash+1:], "?")
	if !ok {
		return ""
	}
	for _, param := range strings.Split(query, "&") {
		name, _, _ := strings.Cut(param, "=")
		if !slices.Contains(mysqlParams, name) {
			continue
		}
		if _, err := mysql.ParseDSN("/?" + param); err != nil {
			return name
		}
	}
	return ""
}

// connectReason says why a connection failed: the server's error number
// where it answered (its message may quote the user, the database or a
// parameter's value, so it is not shown), else what the network said.
func (mysqlDialect) connectReason(err error) string {
	var me *mysql.MySQLError
	if errors.As(err, &me) {
		num := strconv.Itoa(int(me.Number))
		switch me.Number {
		case 1045, 1698, 1251:
			return "authentication failed: wrong user or password (error " + num + ")"
		case 1044:
			return "the user may not use the database (error " + num + ")"
		case 1049:
			return "the database does not exist (error " + num + ")"
		case 1040, 1203:
			return "the server has too many connections (error " + num + ")"
		case 1064, 1054, 1115, 1193, 1231, 1232, 1273:
			return "the server refused a parameter the DSN sets (a system variable, charset or collation; error " + num + ")"
		}
		return "the server refused the connection (error " + num + ")"
	}
	if errors.Is(err, mysql.ErrNoTLS) {
		return "the server does not accept TLS (tls requires it)"
	}
	for _, e := range []error{mysql.ErrCleartextPassword, mysql.ErrNativePassword, mysql.ErrOldPassword, mysql.ErrUnknownPlugin} {
		if errors.Is(err, e) {
			return "the server asks for an authentication method the DSN does not allow (" + e.Error() + ")"
		}
	}
	if r := networkReason(err); r != "" {
		return r
	}
	if strings.Contains(err.Error(), "tls: ") || strings.Contains(err.Error(), "x509: ") {
		return "TLS failed (check tls and the certificates)"
	}
	return "the connection failed"
}
