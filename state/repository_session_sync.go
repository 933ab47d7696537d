package state

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"strings"
)

// Deferred sync. A SQLite store commits with synchronous = FULL: each
// commit waits until the log is on the disk (an fsync of the -wal file,
// about 3 ms on the development machine's disk, once per batch of 500
// objects: a fifth of a 1,000,000-row import's wall time went to the
// committer waiting for it). Durability matters before something outside
// the store acts on a commit — a write batch sent to a resource must never
// leave the store forgetting that it was queued — not at every commit.
//
// A session started with DeferSync commits with synchronous = NORMAL on its
// connection: a commit is written to the log, not flushed, so a power loss
// (not a crash of the process: the operating system keeps what was
// written) may undo the commits since the last flush, never tear one, and
// never corrupt the store. Sync flushes the log; whoever acts outside the
// store on the session's commits calls it first (the synchronization
// executor does before each write batch it sends), and Close calls it, so
// that a session that ended has every commit on the disk, as without
// DeferSync. Checkpoints, on the store's other connections, keep flushing
// the database file as before, so a commit the log no longer holds is on
// the disk already.
//
// DeferSync changes nothing on PostgreSQL, whose commits are durable, nor
// on a SQLite store not in WAL mode.

// A SessionOption changes how a RepositorySession commits.
type SessionOption int

const (
	// DeferSync lets the session's commits go without waiting for the
	// disk; RepositorySession.Sync makes them durable.
	DeferSync SessionOption = iota + 1
)

// deferSync turns the session's commits to synchronous = NORMAL and opens
// the log's file for Sync; it leaves the session as it is when the store
// is not a SQLite file in WAL mode, or the log's file cannot be opened.
func (rs *RepositorySession) deferSync(ctx context.Context) error {
	if rs.s.dialect != dialectSQLite {
		return nil
	}
	var mode string
	if err := rs.conn.QueryRowContext(ctx, "PRAGMA journal_mode").Scan(&mode); err != nil {
		return err
	}
	if !strings.EqualFold(mode, "wal") {
		return nil
	}
	wal, err := os.Open(rs.s.path + "-wal")
	if errors.Is(err, fs.ErrNotExist) {
		return nil // commits stay synchronous
	}
	if err != nil {
		return err
	}
	if _, err := rs.conn.ExecContext(ctx, "PRAGMA synchronous = NORMAL"); err != nil {
		_ = wal.Close()
		return err
	}
	rs.walMu.Lock()
	rs.wal = wal
	rs.walMu.Unlock()
	return nil
}

// Deferred reports whether the session's commits wait for Sync to be
// durable (DeferSync on a SQLite store in WAL mode).
func (rs *RepositorySession) Deferred() bool {
	rs.walMu.Lock()
	defer rs.walMu.Unlock()
	return rs.wal != nil
}

// Sync makes every commit of the session so far durable: it flushes the
// log to the disk when the session defers its commits' sync, and does
// nothing otherwise. Unlike the session's other methods it may be called
// from any goroutine, while the session commits.
func (rs *RepositorySession) Sync() error {
	rs.walMu.Lock()
	defer rs.walMu.Unlock()
	if rs.wal == nil {
		return nil
	}
	if err := rs.wal.Sync(); err != nil {
		return rs.s.fail("repository", fmt.Errorf("flushing the write-ahead log to the disk: %w", err), "")
	}
	return nil
}

// closeWAL flushes the log one last time and closes its file.
func (rs *RepositorySession) closeWAL() error {
	rs.walMu.Lock()
	defer rs.walMu.Unlock()
	if rs.wal == nil {
		return nil
	}
	err := rs.wal.Sync()
	if cerr := rs.wal.Close(); err == nil {
		err = cerr
	}
	rs.wal = nil
	return err
}
