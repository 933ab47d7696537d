package state

import (
	"context"
	"database/sql"
	"errors"
	"io/fs"
	"os"
)

// Open opens the store at location — a file path, "sqlite://PATH" or a
// PostgreSQL URL "postgres://…" (see openPostgres) — creating and
// migrating it as needed. Relative paths are used as given.
//
// Open never changes a file that is not a Syncline store: an existing file
// must be a SQLite database that either has no tables yet or carries
// Syncline's schema, at a version this binary knows (NotStoreError,
// SchemaVersionError); so must a PostgreSQL schema. A PostgreSQL URL is
// never shown with its password, nor is any error that quotes it.
func Open(ctx context.Context, location string, opts Options) (*Store, error) {
	opts = opts.withDefaults()
	if isPostgresLocation(location) {
		return openPostgres(ctx, location, opts)
	}
	path, err := parseLocation(location)
	if err != nil {
		return nil, &Error{Op: "open", Err: err, Hint: hintFor(err)}
	}
	s := &Store{path: path, readOnly: opts.ReadOnly, now: opts.Clock.Now, clock: opts.Clock, writeSlot: make(chan struct{}, 1)}
	if err := s.prepareFile(ctx, opts); err != nil {
		return nil, s.fail("open", err, "")
	}
	db, err := sql.Open("sqlite", dsn(path, opts))
	if err != nil {
		return nil, s.fail("open", err, "")
	}
	s.db = db
	if err := s.finishOpen(ctx); err != nil {
		_ = db.Close()
		return nil, s.fail("open", err, "")
	}
	return s, nil
}

// prepareFile checks an existing file, or creates a new store when there
// is none.
func (s *Store) prepareFile(ctx context.Context, opts Options) error {
	_, err := os.Stat(s.path)
	switch {
	case err == nil:
		return checkExisting(ctx, s.path, opts)
	case !errors.Is(err, fs.ErrNotExist):
		return err
	case opts.ReadOnly:
		return err
	}
	err = createStore(ctx, s.path, opts)
	if errors.Is(err, fs.ErrExist) {
		// Another process created it first; check theirs.
		return checkExisting(ctx, s.path, opts)
	}
	return err
}

// finishOpen migrates a writable store, and checks that a read-only one
// needs no migration.
func (s *Store) finishOpen(ctx context.Context) error {
	if !s.readOnly {
		return s.migrate(ctx)
	}
	v, err := schemaVersion(ctx, s.db)
	if err != nil {
		return err
	}
	if v != latestVersion {
		return &SchemaVersionError{StoreVersion: v, KnownVersion: latestVersion}
	}
	return nil
}
