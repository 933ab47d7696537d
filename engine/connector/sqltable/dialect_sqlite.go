package sqltable

import (
	"context"
	"database/sql"
	"database/sql/driver"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"

	"github.com/syncline/syncline/engine/connector"
	"modernc.org/sqlite"
	sqlite3 "modernc.org/sqlite/lib"
)

// sqliteDialect is a SQLite file through modernc.org/sqlite.
type sqliteDialect struct{}

// errNoDatabase says the database file is missing. syncline creates a
// resource's database only when the connection sets create_table: an
// empty one would look like every account was deleted.
var errNoDatabase = errors.New("the sqlite database file named by dsn does not exist")

func (sqliteDialect) open(path string, createFile bool) (*sql.DB, error) {
	if createFile {
		// create_table, and the file is missing: mode=rwc creates it on
		// first use. Still no journal-mode change.
		return openSQLite(sqliteURI(path) + "?mode=rwc&_pragma=busy_timeout(5000)&_txlock=immediate"), nil
	}
	info, err := os.Stat(path)
	switch {
	case errors.Is(err, fs.ErrNotExist):
		return nil, errNoDatabase
	case err != nil:
		return nil, fmt.Errorf("cannot read the sqlite database file named by dsn: %w", unwrapPath(err))
	case info.IsDir():
		return nil, errors.New("dsn names a directory, not a sqlite database file")
	}
	// mode=rw: never create the file; no journal-mode change either, since
	// the database belongs to the application.
	return openSQLite(sqliteURI(path) + "?mode=rw&_pragma=busy_timeout(5000)&_txlock=immediate"), nil
}

// sqliteDriver is modernc.org/sqlite's driver, as registered.
var sqliteDriver = func() driver.Driver {
	db, _ := sql.Open("sqlite", "") // does not connect
	defer db.Close()
	return db.Driver()
}()

// openSQLite returns a handle on uri whose connection errors are marked
// (guarded), like the servers'.
func openSQLite(uri string) *sql.DB {
	return sql.OpenDB(guarded{dsnConnector{drv: sqliteDriver, dsn: uri}})
}

// parseReason is never asked: open's own errors name no path.
func (sqliteDialect) parseReason(string, error) string { return "invalid path" }

// connectReason names the SQLite result code; SQLite's messages do not
// quote the file name, but the code says enough.
func (sqliteDialect) connectReason(err error) string {
	var se *sqlite.Error
	if !errors.As(err, &se) {
		if r := networkReason(err); r != "" {
			return r
		}
		return "the database file could not be opened"
	}
	switch se.Code() & 0xff {
	case sqlite3.SQLITE_NOTADB:
		return "the file is not an SQLite database"
	case sqlite3.SQLITE_CANTOPEN:
		return "the file cannot be opened (check that it and its directory exist and are readable)"
	case sqlite3.SQLITE_READONLY, sqlite3.SQLITE_PERM:
		return "the file cannot be written"
	case sqlite3.SQLITE_BUSY, sqlite3.SQLITE_LOCKED:
		return "the database is locked"
	case sqlite3.SQLITE_CORRUPT:
		return "the database file is corrupt"
	}
	return fmt.Sprintf("SQLite result code %d", se.Code())
}

// sqliteURI makes an SQLite URI filename of path, escaping the characters
// that URIs give a meaning to.
func sqliteURI(path string) string {
	r := strings.NewReplacer("%", "%25", "?", "%3f", "#", "%23")
	return "file:" + r.Replace(filepath.Clean(path))
}

func (sqliteDialect) secrets(path string) []string {
	out := []string{filepath.Base(path)}
	if abs, err := filepath.Abs(path); err == nil {
		out = append(out, abs)
	}
	return out
}

func (sqliteDialect) address(string) string { return "sqlite database (dsn)" }

func (sqliteDialect) quote(ident string) string { return quoteWith(`"`, ident) }
func (sqliteDialect) placeholder(int) string    { return "?" }
func (sqliteDialect) forUpdate() string         { return "" } // _txlock=immediate locks on BEGIN

// changeExpr reads a timestamp as the text it is stored as, so that the
// token compares with the stored values as text, the way SQLite does.
func (sqliteDialect) changeExpr(col, typ string) string {
	if typ == ChangeSequence {
		return col
	}
	return "CAST(" + col + " AS TEXT)"
}

// createTable declares the key NOT NULL as well: an SQLite PRIMARY KEY
// that is not an INTEGER one would otherwise accept NULL.
func (d sqliteDialect) createTable(table, key string, cols []string) string {
	return createStatement(d.quote, table, key, "TEXT", cols, "TEXT", "")
}

// keyRule asks SQLite how the key column compares, rather than parsing
// the table's CREATE statement: with its collation — BINARY (the default)
// exactly, NOCASE folding ASCII letters only, RTRIM ignoring trailing
// spaces. The result column of a compound SELECT takes the collation of
// its leftmost arm, so comparing the literal row of one whose first arm
// selects the key tells, without reading a row of the table (a view's
// too).
func (d sqliteDialect) keyRule(ctx context.Context, db *sql.DB, table string, key column) (keyRule, error) {
	var fold, trim bool
	q := `SELECT k = 'a', k = 'A ' FROM (SELECT ` + d.quote(key.name) + ` AS k FROM ` + table + ` WHERE 0 UNION ALL SELECT 'A')`
	if err := db.QueryRowContext(ctx, q).Scan(&fold, &trim); err != nil {
		return keyExact, err
	}
	r := keyExact
	if fold {
		r |= keyFoldASCII
	}
	if trim {
		r |= keyTrim
	}
	return r, nil
}

func (sqliteDialect) createdKeyRule() keyRule { return keyExact } // TEXT, BINARY

func (sqliteDialect) defaultSchema(context.Context, *sql.DB) (string, error) { return "main", nil }

func (sqliteDialect) columns(ctx context.Context, db *sql.DB, schema, table string) ([]column, error) {
	return queryColumns(ctx, db, `SELECT name, type, "notnull" = 0, '', '' FROM pragma_table_info(?, ?) ORDER BY cid`, table, schema)
}

func (sqliteDialect) tables(ctx context.Context, db *sql.DB, schema string) ([]string, error) {
	return queryStrings(ctx, db, `SELECT name FROM pragma_table_list WHERE schema = ? AND type IN ('table', 'view') AND name NOT LIKE 'sqlite\_%' ESCAPE '\' ORDER BY name`, schema)
}

func (sqliteDialect) version(ctx context.Context, db *sql.DB) (string, error) {
	var v string
	err := db.QueryRowContext(ctx, `SELECT sqlite_version()`).Scan(&v)
	return "SQLite " + v, err
}

// kind sorts SQLite result codes.
func (sqliteDialect) kind(err error) error {
	var se *sqlite.Error
	switch {
	case errors.Is(err, errNoDatabase):
		return connector.ErrUnreachable
	case !errors.As(err, &se):
		return nil
	}
	switch code := se.Code(); {
	case code == sqlite3.SQLITE_CONSTRAINT_PRIMARYKEY || code == sqlite3.SQLITE_CONSTRAINT_UNIQUE:
		return connector.ErrAlreadyExists
	case code&0xff == sqlite3.SQLITE_CONSTRAINT || code&0xff == sqlite3.SQLITE_MISMATCH || code&0xff == sqlite3.SQLITE_TOOBIG:
		return connector.ErrInvalidObject
	case code&0xff == sqlite3.SQLITE_ERROR && strings.Contains(se.Error(), "no such"):
		return connector.ErrSchema
	case code&0xff == sqlite3.SQLITE_BUSY || code&0xff == sqlite3.SQLITE_LOCKED || code&0xff == sqlite3.SQLITE_CANTOPEN ||
		code&0xff == sqlite3.SQLITE_IOERR || code&0xff == sqlite3.SQLITE_NOTADB || code&0xff == sqlite3.SQLITE_READONLY:
		return connector.ErrUnreachable
	}
	return connector.ErrRejected
}

// unwrapPath drops the path from a *fs.PathError: the dsn is a secret.
func unwrapPath(err error) error {
	var pe *fs.PathError
	if errors.As(err, &pe) {
		return pe.Err
	}
	return err
}
