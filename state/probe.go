package state

import (
	"bytes"
	"context"
	"database/sql"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"slices"
	"strings"

	"modernc.org/sqlite"
	sqlite3 "modernc.org/sqlite/lib"
)

// sqliteHeader starts every SQLite database file.
var sqliteHeader = []byte("SQLite format 3\x00")

// checkExisting decides whether the existing file at path may be opened as
// a store, looking at it without writing: its header, then (read-only) its
// tables and schema version.
func checkExisting(ctx context.Context, path string, opts Options) error {
	header, err := readHeader(path)
	if err != nil {
		return err
	}
	db, err := sql.Open("sqlite", probeDSN(path, opts, canReadImmutable(path, header)))
	if err != nil {
		return err
	}
	defer db.Close()
	tables, err := userTables(ctx, db)
	if err != nil {
		return unreadable(path, err)
	}
	return checkTables(ctx, db, path, tables, opts)
}

// headerSize is the size of the SQLite database header.
const headerSize = 100

// readHeader returns the database header of path, refusing empty files
// and files that are not SQLite databases.
func readHeader(path string) ([]byte, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	head := make([]byte, headerSize)
	n, err := io.ReadFull(f, head)
	switch {
	case n == 0 && err == io.EOF:
		return nil, &NotStoreError{Path: path, Reason: "the file is empty"}
	case errors.Is(err, io.ErrUnexpectedEOF) || (err == nil && !bytes.HasPrefix(head, sqliteHeader)):
		return nil, &NotStoreError{Path: path, Reason: "the file is not a SQLite database"}
	}
	return head, err
}

// canReadImmutable reports whether path can be read as an immutable file:
// it is in WAL mode (header bytes 18 and 19 are 2) and has no write-ahead
// log, so the file alone holds the whole database. Reading it so creates
// no -wal or -shm file beside a database that is not ours; any other
// database is read with SQLite's ordinary read-only locking, which creates
// none either.
func canReadImmutable(path string, header []byte) bool {
	if header[18] != 2 || header[19] != 2 {
		return false
	}
	_, err := os.Stat(path + "-wal")
	return errors.Is(err, fs.ErrNotExist)
}

// checkTables accepts a database without tables (it becomes a store) and
// a Syncline store of a known schema version; it refuses anything else.
func checkTables(ctx context.Context, db *sql.DB, path string, tables []string, opts Options) error {
	if len(tables) == 0 {
		if opts.ReadOnly {
			return &SchemaVersionError{StoreVersion: 0, KnownVersion: latestVersion}
		}
		return nil
	}
	if !slices.Contains(tables, "schema_migrations") || !slices.Contains(tables, "meta") {
		return &NotStoreError{Path: path, Reason: fmt.Sprintf(
			"it is a SQLite database of another application (tables: %s)", listTables(tables))}
	}
	v, err := schemaVersion(ctx, db)
	if err != nil {
		return err
	}
	if v > latestVersion {
		return &SchemaVersionError{StoreVersion: v, KnownVersion: latestVersion}
	}
	return nil
}

const sqlUserTables = `SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite\_%' ESCAPE '\' ORDER BY name`

// userTables lists the tables of a database, leaving out SQLite's own.
func userTables(ctx context.Context, db *sql.DB) ([]string, error) {
	rows, err := db.QueryContext(ctx, sqlUserTables)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var names []string
	for rows.Next() {
		var name string
		if err := rows.Scan(&name); err != nil {
			return nil, err
		}
		names = append(names, name)
	}
	return names, rows.Err()
}

// listTables names at most five tables, enough to recognize a database.
func listTables(tables []string) string {
	const most = 5
	if len(tables) <= most {
		return strings.Join(tables, ", ")
	}
	return fmt.Sprintf("%s and %d more", strings.Join(tables[:most], ", "), len(tables)-most)
}

// unreadable turns SQLite's "not a database" and "malformed" into a
// NotStoreError; other errors (permissions, locks) stay as they are.
func unreadable(path string, err error) error {
	var e *sqlite.Error
	if !errors.As(err, &e) {
		return err
	}
	switch e.Code() & 0xff {
	case sqlite3.SQLITE_NOTADB:
		return &NotStoreError{Path: path, Reason: "the file is not a SQLite database"}
	case sqlite3.SQLITE_CORRUPT:
		return &NotStoreError{Path: path, Reason: "the SQLite database is damaged (" + e.Error() + ")"}
	}
	return err
}
