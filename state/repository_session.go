package state

import (
	"context"
	"database/sql"
	"database/sql/driver"
	"os"
	"sync"
	"sync/atomic"
)

// RepositorySession runs a long series of Repo transactions — the batches of a
// synchronization pass — on a connection of its own, and checkpoints the
// write-ahead log beside them instead of inside their commits.
//
// SQLite checkpoints in the commit that takes the log past 1,000 pages:
// that writer copies the log's pages into the database file before it
// can go on (a tenth of an import's time). A session turns this off on
// its connection, and every sessionCheckpointEvery commits hands a
// goroutine of its own a round: it copies the log from another connection
// with a passive checkpoint, which writers do not wait for. The log can
// start over only once it was copied whole while nobody wrote to it, so
// when it holds restartFrames pages the round copies what is left while
// holding the store's write slot: the next batch waits for about one
// batch's pages, then writes the log from its start again.
//
// A writer never gets more than one round ahead of the checkpointer: when
// it hands over a round while the last one is still running, it waits for
// that one to end. However slow the checkpointer (a loaded machine, a slow
// disk), the log so never holds more than restartFrames pages and what
// 2×sessionCheckpointEvery commits wrote — unless a reader in another
// connection holds a snapshot across the restart, which keeps any log
// from starting over. Should a checkpoint fail, the session's commits
// checkpoint themselves again, as without a session.
//
// Checkpoints only move committed pages from one file to the other:
// a session changes what is stored, and when, in no way.
//
// A RepositorySession is used by one goroutine at a time; Close ends it.
type RepositorySession struct {
	s             *Store
	conn          *sql.Conn
	restartFrames int64

	round   chan struct{} // unbuffered: the writer hands the checkpointer a round
	done    chan struct{} // closed by Close
	stopped chan struct{} // closed when the checkpointer returned
	// inline is set when a background checkpoint failed: the next
	// transaction turns automatic checkpoints back on.
	inline   atomic.Bool
	restored bool
	commits  int
	// nextAnalyze is the commit after which a PostgreSQL session next
	// analyzes the repository's tables (0: 4, not yet set).
	nextAnalyze int
	kept        keptStmts
	raw         *rawStmts   // SQLite's (repository_raw.go)
	names       *takenNames // the names of users that may be taken (repository_names.go)
	closing     sync.Once
	hooks       sessionHooks
	// wal is the log's file, open while commits are deferred (DeferSync):
	// Sync flushes it to the disk. walMu orders Sync with Close.
	walMu sync.Mutex
	wal   *os.File
}

// sessionHooks let tests see a session's goroutines meet; both are nil
// outside tests.
type sessionHooks struct {
	roundStarts func() // in the checkpointer, before each round
	writerWaits func() // in the writer, when the last round is still running
}

// sessionCheckpointEvery is how many commits a session lets pass before
// it has the checkpointer copy the log: a page that several of them
// changed (the last page of a table, an index's pages where rows go in)
// is then copied once.
const sessionCheckpointEvery = 8

// sessionRestartFrames is the size of the log, in pages, at which a
// session's checkpointer has it start over (32 MB of 4 KB pages).
const sessionRestartFrames = 8192

// RepositorySession starts a session; it holds one of the store's connections
// until Close. With DeferSync its commits do not wait for the disk
// (repository_session_sync.go).
func (s *Store) RepositorySession(ctx context.Context, opts ...SessionOption) (*RepositorySession, error) {
	rs, err := s.repoSession(ctx, sessionRestartFrames, sessionHooks{})
	if err != nil {
		return nil, err
	}
	for _, opt := range opts {
		if opt == DeferSync {
			if err := rs.deferSync(ctx); err != nil {
				_ = rs.Close()
				return nil, s.fail("repository", err, "")
			}
		}
	}
	return rs, nil
}

// repoSession starts a session whose log starts over at restartFrames.
func (s *Store) repoSession(ctx context.Context, restartFrames int64, hooks sessionHooks) (*RepositorySession, error) {
	conn, err := s.db.Conn(ctx)
	if err != nil {
		return nil, s.fail("repository", err, "")
	}
	if s.dialect == dialectPostgres {
		// PostgreSQL has no log for a session to look after: the session
		// only keeps its connection and statements.
		rs := &RepositorySession{s: s, conn: conn, names: newTakenNames(), done: make(chan struct{}), stopped: make(chan struct{})}
		close(rs.stopped)
		return rs, nil
	}
	// Statement journals in memory: a multi-row insert inside a batch's
	// transaction keeps one, to undo the statement alone should a row
	// fail, and SQLite spills any over 64 KiB to a temporary file — a
	// tenth of an import's CPU in write calls. A session's statements
	// are bounded (64 shadows, 128 users), and so is the memory.
	for _, pragma := range []string{"PRAGMA wal_autocheckpoint = 0", "PRAGMA temp_store = MEMORY"} {
		if _, err := conn.ExecContext(ctx, pragma); err != nil {
			discard(conn)
			return nil, s.fail("repository", err, "")
		}
	}
	rs := &RepositorySession{s: s, conn: conn, raw: &rawStmts{conn: conn}, restartFrames: restartFrames, hooks: hooks, names: newTakenNames(),
		round: make(chan struct{}), done: make(chan struct{}), stopped: make(chan struct{})}
	go rs.checkpoints()
	return rs, nil
}

// RepositoryWrite is Store.RepositoryWrite on the session's connection.
func (rs *RepositorySession) RepositoryWrite(ctx context.Context, fn func(*RepositoryTx) error) error {
	err := rs.s.repo(ctx, rs.write, &rs.kept, rs.raw, rs.names, fn)
	if err != nil {
		return err
	}
	rs.commits++
	if rs.s.dialect == dialectPostgres {
		rs.analyzeAsItGrows(ctx)
		return nil
	}
	if rs.commits%sessionCheckpointEvery == 0 {
		rs.startRound(ctx)
	}
	return nil
}

// analyzeAsItGrows has PostgreSQL gather the statistics of the tables a
// session fills after its 4th, 16th, 64th, … commit, so the queries of
// its later transactions are planned for the tables as they are now.
// Without statistics — a new schema, or a server whose autovacuum has
// not come round yet (or is off) — the planner takes a table of a million
// keys for a small one: a correlation lookup of 500 values then reads
// every key of the attribute instead of 500 index entries (68 ms against
// 4 ms at 600,000 users, measured). ANALYZE samples a bounded number of
// rows, so each costs a fraction of a second however large the table;
// growing the interval fourfold keeps them a handful in any import. It
// takes no lock that writers wait for, and a failure (a user without the
// privilege) leaves the statistics as they were, so it is not an error.
func (rs *RepositorySession) analyzeAsItGrows(ctx context.Context) {
	if rs.commits < rs.nextAnalyze {
		return
	}
	if rs.nextAnalyze == 0 {
		rs.nextAnalyze = 4
		if rs.commits < rs.nextAnalyze {
			return
		}
	}
	rs.nextAnalyze *= 4
	_, _ = rs.conn.ExecContext(ctx, "ANALYZE users, user_keys, shadows")
}

// startRound hands the checkpointer its next round, first waiting for
// the last one to end if it has not: this wait is what bounds the log.
// A checkpointer that stopped (a checkpoint failed) takes no more rounds.
func (rs *RepositorySession) startRound(ctx context.Context) {
	select {
	case rs.round <- struct{}{}:
		return
	case <-rs.stopped:
		return
	default:
	}
	if rs.hooks.writerWaits != nil {
		rs.hooks.writerWaits()
	}
	select {
	case rs.round <- struct{}{}:
	case <-rs.stopped:
	case <-ctx.Done(): // the next transaction fails with ctx's error
	}
}

// write is Store.write on the session's connection.
func (rs *RepositorySession) write(ctx context.Context, fn func(*sql.Tx) error) error {
	release, err := rs.s.takeWriteSlot(ctx)
	if err != nil {
		return err
	}
	defer release()
	if rs.inline.Load() && !rs.restored {
		if _, err := rs.conn.ExecContext(ctx, "PRAGMA wal_autocheckpoint = 1000"); err != nil {
			return err
		}
		rs.restored = true
	}
	tx, err := rs.conn.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	if err := rs.s.takeWriteLock(ctx, tx, nil); err != nil {
		_ = tx.Rollback()
		return err
	}
	if err := fn(tx); err != nil {
		_ = tx.Rollback()
		return err
	}
	return tx.Commit()
}

// Close stops the checkpointer, checkpoints the log once more, as the
// session's last commit would have, and gives the connection up: it is
// closed rather than pooled, so no other write runs with automatic
// checkpoints off. The error is the last checkpoint's; every commit of
// the session stands whatever it says.
func (rs *RepositorySession) Close() error {
	var err error
	rs.closing.Do(func() {
		close(rs.done)
		<-rs.stopped
		// Deferred commits are made durable before the connection goes:
		// a run that ended has its batches on the disk, as without
		// DeferSync.
		err = rs.closeWAL()
		if err == nil && rs.s.dialect == dialectSQLite {
			_, err = walCheckpoint(context.Background(), rs.conn)
		}
		rs.kept.close()
		rs.raw.close()
		discard(rs.conn)
	})
	if err != nil {
		return rs.s.fail("repository", err, "")
	}
	return nil
}

// checkpoints runs the rounds the writer hands it until Close, or until
// a checkpoint fails.
func (rs *RepositorySession) checkpoints() {
	defer close(rs.stopped)
	ctx := context.Background()
	for {
		select {
		case <-rs.round:
		case <-rs.done:
			return
		}
		if rs.hooks.roundStarts != nil {
			rs.hooks.roundStarts()
		}
		if err := rs.checkpoint(ctx); err != nil {
			rs.inline.Store(true)
			return
		}
	}
}

// checkpoint copies the log, and has it start over once it is large.
func (rs *RepositorySession) checkpoint(ctx context.Context) error {
	frames, err := walCheckpoint(ctx, rs.s.db)
	if err != nil || frames < rs.restartFrames {
		return err
	}
	release, err := rs.s.takeWriteSlot(ctx)
	if err != nil {
		return err
	}
	defer release()
	_, err = walCheckpoint(ctx, rs.s.db)
	return err
}

// walCheckpoint runs a passive checkpoint and returns the log's size in
// pages (0 when the store is not in WAL mode).
func walCheckpoint(ctx context.Context, q interface {
	QueryRowContext(context.Context, string, ...any) *sql.Row
}) (frames int64, err error) {
	var busy, copied int64
	err = q.QueryRowContext(ctx, "PRAGMA wal_checkpoint(PASSIVE)").Scan(&busy, &frames, &copied)
	return frames, err
}

// takeWriteSlot waits for the store's write slot (see Store.writeSlot)
// and returns the function that gives it back.
func (s *Store) takeWriteSlot(ctx context.Context) (release func(), err error) {
	if s.writeSlot == nil {
		return func() {}, nil
	}
	select {
	case s.writeSlot <- struct{}{}:
		return func() { <-s.writeSlot }, nil
	case <-ctx.Done():
		return nil, ctx.Err()
	}
}

// discard closes conn instead of returning it to the pool.
func discard(conn *sql.Conn) {
	_ = conn.Raw(func(any) error { return driver.ErrBadConn })
	_ = conn.Close()
}

// keptStmts are the statements a session prepared, for its later
// transactions: preparing the multi-row inserts again for every batch
// cost a fifteenth of an import's committer.
type keptStmts struct {
	byQuery map[string]*sql.Stmt
}

// maxKeptStmts bounds a session's statements (FindUsersByValues makes
// one per number of values).
const maxKeptStmts = 64

// stmt returns the statement of query, preparing it on db; nil when the
// session keeps no more statements.
func (k *keptStmts) stmt(ctx context.Context, db *sql.DB, query string) (*sql.Stmt, error) {
	if st := k.byQuery[query]; st != nil {
		return st, nil
	}
	if len(k.byQuery) >= maxKeptStmts {
		return nil, nil
	}
	st, err := db.PrepareContext(ctx, query)
	if err != nil {
		return nil, err
	}
	if k.byQuery == nil {
		k.byQuery = map[string]*sql.Stmt{}
	}
	k.byQuery[query] = st
	return st, nil
}

func (k *keptStmts) close() {
	for _, st := range k.byQuery {
		_ = st.Close()
	}
	k.byQuery = nil
}
