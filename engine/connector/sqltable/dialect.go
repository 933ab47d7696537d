package sqltable

import (
	"context"
	"database/sql"
	"strconv"
	"strings"
)

// dialect is what differs between the databases.
type dialect interface {
	// open returns the database handle for dsn, with the driver options
	// syncline relies on; it does not connect yet. createFile lets SQLite
	// create a missing database file (create_table); the servers ignore it.
	open(dsn string, createFile bool) (*sql.DB, error)
	// secrets returns the strings to keep out of messages beyond the
	// DSN's tokens (dsnTokens): the password, however short.
	secrets(dsn string) []string
	// parseReason says why open refused dsn, in words that quote none of
	// it (see dsn_errors.go).
	parseReason(dsn string, err error) string
	// connectReason says why making a connection failed, in words that
	// quote nothing the driver or the server said.
	connectReason(err error) string
	// address names the server and database without secrets, for
	// messages and connection tests.
	address(dsn string) string
	quote(ident string) string
	placeholder(n int) string // the n-th parameter, 1-based
	defaultSchema(ctx context.Context, db *sql.DB) (string, error)
	columns(ctx context.Context, db *sql.DB, schema, table string) ([]column, error)
	tables(ctx context.Context, db *sql.DB, schema string) ([]string, error)
	version(ctx context.Context, db *sql.DB) (string, error)
	// forUpdate is the clause that locks a row read for an update.
	forUpdate() string
	// changeExpr is what to select for the change column col, quoted,
	// so that its value can be bound back in a comparison.
	changeExpr(col, changeType string) string
	// kind sorts a driver error into a connector error kind, or nil.
	kind(err error) error
	// createTable is the statement that creates table (quoted and
	// qualified) with the key column as its primary key and the other
	// columns, every one text (create_table).
	createTable(table, key string, cols []string) string
	// keyRule returns how the database matches values of key, a column
	// of table (quoted and qualified), as found by columns.
	keyRule(ctx context.Context, db *sql.DB, table string, key column) (keyRule, error)
	// createdKeyRule is keyRule for the key column createTable declares:
	// the rule while create_table has not created the table yet.
	createdKeyRule() keyRule
}

// column is one column of the table.
type column struct {
	name     string
	typ      string
	nullable bool
	// collation is the column's collation where the database reports
	// one (MySQL, PostgreSQL), else "".
	collation string
	// baseType is PostgreSQL's name of the column's type, a domain's
	// resolved (udt_name: citext, bpchar), else "".
	baseType string
}

func dialectFor(driver string) dialect {
	switch driver {
	case Postgres:
		return postgresDialect{}
	case MySQL:
		return mysqlDialect{}
	}
	return sqliteDialect{}
}

// quoteWith quotes an identifier with q, doubling any q inside it: the
// SQL-standard way, which every supported database follows.
func quoteWith(q, ident string) string {
	return q + strings.ReplaceAll(ident, q, q+q) + q
}

// createStatement builds CREATE TABLE IF NOT EXISTS for a dialect: the
// key column NOT NULL PRIMARY KEY of keyType, the others of colType, every
// name quoted with quote; suffix ends the statement (table options).
func createStatement(quote func(string) string, table, key, keyType string, cols []string, colType, suffix string) string {
	defs := []string{quote(key) + " " + keyType + " NOT NULL PRIMARY KEY"}
	for _, col := range cols {
		defs = append(defs, quote(col)+" "+colType)
	}
	return "CREATE TABLE IF NOT EXISTS " + table + " (" + strings.Join(defs, ", ") + ")" + suffix
}

// dollar is PostgreSQL's $n placeholder.
func dollar(n int) string { return "$" + strconv.Itoa(n) }

// queryColumns runs an introspection query returning name, type,
// nullable, collation and base type, the last two "" where not known.
func queryColumns(ctx context.Context, db *sql.DB, query string, args ...any) ([]column, error) {
	rows, err := db.QueryContext(ctx, query, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []column
	for rows.Next() {
		var c column
		if err := rows.Scan(&c.name, &c.typ, &c.nullable, &c.collation, &c.baseType); err != nil {
			return nil, err
		}
		out = append(out, c)
	}
	return out, rows.Err()
}

// queryStrings runs a query returning one string column.
func queryStrings(ctx context.Context, db *sql.DB, query string, args ...any) ([]string, error) {
	rows, err := db.QueryContext(ctx, query, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []string
	for rows.Next() {
		var s string
		if err := rows.Scan(&s); err != nil {
			return nil, err
		}
		out = append(out, s)
	}
	return out, rows.Err()
}
