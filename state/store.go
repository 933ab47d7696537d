package state

import (
	"context"
	"database/sql"
	"github.com/syncline/syncline/internal/clock"
	"time"

	_ "modernc.org/sqlite" // registers the "sqlite" driver
)

// Store is an open state store. It is safe for concurrent use, and several
// Stores (in one process or many) may open the same file: writes serialize
// on SQLite's write lock, and Apply refuses a stale plan.
type Store struct {
	db       *sql.DB
	path     string // the file, or the PostgreSQL URL without its secrets
	dialect  dialect
	readOnly bool
	now      func() time.Time
	clock    clock.Clock

	// writeSlot lets one write transaction of this Store run at a time.
	// Writers of one process then queue here, in Go, instead of in
	// SQLite's busy handler, which sleeps up to 100 ms between tries:
	// with a dozen workers claiming runs, that made claims wait for
	// hundreds of milliseconds. Writers in other processes still meet at
	// SQLite's write lock. Nil (in tests that build a Store by hand): no
	// queueing.
	writeSlot chan struct{}

	// testHookAfterStatement, when set, runs after every statement of an
	// apply; an error it returns fails the apply there. Tests use it to
	// prove that a failure at any point leaves the state as it was.
	testHookAfterStatement func(stmt string) error
}

// Close releases the database. A Store must not be used after Close.
func (s *Store) Close() error {
	if err := s.db.Close(); err != nil {
		return s.fail("close", err, "")
	}
	return nil
}

// Path is the file the store lives in, or for a PostgreSQL store its URL
// with any password replaced by "xxxxx".
func (s *Store) Path() string { return s.path }

// IsPostgres reports whether the store is a PostgreSQL database rather
// than a SQLite file: then it has no file, and nothing is to be put
// beside one.
func (s *Store) IsPostgres() bool { return s.dialect == dialectPostgres }

// write runs fn in a write transaction (BEGIN IMMEDIATE, so concurrent
// writers wait for each other at the start instead of failing halfway),
// committing when fn succeeds and rolling back otherwise.
func (s *Store) write(ctx context.Context, fn func(*sql.Tx) error) error {
	if s.writeSlot != nil {
		select {
		case s.writeSlot <- struct{}{}:
			defer func() { <-s.writeSlot }()
		case <-ctx.Done():
			return ctx.Err()
		}
	}
	return s.inTx(ctx, nil, true, fn)
}

// read runs fn in a read transaction, so it sees one consistent state
// (on PostgreSQL a REPEATABLE READ one: one snapshot for all its reads).
func (s *Store) read(ctx context.Context, fn func(*sql.Tx) error) error {
	opts := &sql.TxOptions{ReadOnly: true}
	if s.dialect == dialectPostgres {
		opts.Isolation = sql.LevelRepeatableRead
	}
	return s.inTx(ctx, opts, true, fn)
}

// inTx runs fn in a transaction of opts, committed when fn succeeds; a
// write transaction takes the write lock (takeWriteLock) when lock is set.
func (s *Store) inTx(ctx context.Context, opts *sql.TxOptions, lock bool, fn func(*sql.Tx) error) error {
	tx, err := s.db.BeginTx(ctx, opts)
	if err != nil {
		return err
	}
	if lock {
		if err := s.takeWriteLock(ctx, tx, opts); err != nil {
			_ = tx.Rollback()
			return err
		}
	}
	if err := fn(tx); err != nil {
		_ = tx.Rollback()
		return err
	}
	return tx.Commit()
}

// fail wraps err as an *Error of operation op, with hint or, when hint is
// empty, the hint that goes with the cause.
func (s *Store) fail(op string, err error, hint string) error {
	if e, ok := err.(*Error); ok {
		return e
	}
	if hint == "" {
		hint = hintFor(err)
	}
	return &Error{Op: op, Location: s.path, Err: err, Hint: hint}
}
