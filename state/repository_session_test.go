package state

import (
	"fmt"
	"os"
	"strings"
	"sync"
	"testing"
)

// A session stores what its transactions store, and keeps the log from
// growing with them: it starts over once it holds restartFrames pages.
// The bound holds however the goroutines are scheduled (see
// TestRepoSessionWriterWaitsForASlowCheckpointer).
func TestRepoSessionStoresAndBoundsTheLog(t *testing.T) {
	t.Parallel()
	sqliteOnly(t, "the write-ahead log a session checkpoints")
	b := setup(t)
	const (
		restartFrames = 256
		commits       = 12 * sessionCheckpointEvery
		perCommit     = 50 // shadows of about a page each
		// A commit writes less than two pages a shadow: its row and
		// its index entries.
		perCommitFrames = 2 * perCommit
		// The log holds at most restartFrames pages and what the
		// commits of two rounds wrote.
		limitFrames = restartFrames + 2*sessionCheckpointEvery*perCommitFrames
	)
	if commits*perCommit <= limitFrames {
		t.Fatal("the commits do not write enough to tell a bounded log from one that is not")
	}
	rs, err := b.store.repoSession(b.ctx, restartFrames, sessionHooks{})
	if err != nil {
		t.Fatal(err)
	}
	big := strings.Repeat("x", 3000)
	for c := range commits {
		err := rs.RepositoryWrite(b.ctx, func(r *RepositoryTx) error {
			for i := range perCommit {
				sh := shadow("hr", fmt.Sprintf("k%d-%d", c, i))
				sh.Attributes["blob"] = []string{big}
				if err := r.PutShadow(sh); err != nil {
					return err
				}
			}
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
	}
	if err := rs.Close(); err != nil {
		t.Fatal(err)
	}
	if err := rs.Close(); err != nil {
		t.Fatalf("second Close: %v", err)
	}

	var n int
	if err := b.store.db.QueryRowContext(b.ctx, `SELECT count(*) FROM shadows`).Scan(&n); err != nil {
		t.Fatal(err)
	}
	if n != commits*perCommit {
		t.Errorf("%d shadows stored, want %d", n, commits*perCommit)
	}
	// The log file is never truncated, only written from its start
	// again: its size is the most pages it ever held (a 32-byte header,
	// then frames of a 24-byte header and a 4 KB page).
	fi, err := os.Stat(b.path + "-wal")
	if err != nil {
		t.Fatal(err)
	}
	if limit := int64(32 + limitFrames*(24+4096)); fi.Size() > limit {
		t.Errorf("the log is %d bytes (%d pages); want at most %d pages", fi.Size(), (fi.Size()-32)/(24+4096), limitFrames)
	}
	var busy, frames, copied int64
	if err := b.store.db.QueryRowContext(b.ctx, `PRAGMA wal_checkpoint(PASSIVE)`).Scan(&busy, &frames, &copied); err != nil {
		t.Fatal(err)
	}
	if frames != copied {
		t.Errorf("after Close, %d of the log's %d pages are checkpointed", copied, frames)
	}
}

// A writer never gets more than one round ahead of the checkpointer: with
// the checkpointer stuck in its first round (handed over after
// sessionCheckpointEvery commits), the writer waits when it hands over
// the second, and goes on when the first ends.
func TestRepoSessionWriterWaitsForASlowCheckpointer(t *testing.T) {
	t.Parallel()
	sqliteOnly(t, "the write-ahead log a session checkpoints")
	b := setup(t)
	release := make(chan struct{})
	waited := make(chan int, 3*sessionCheckpointEvery)
	var rs *RepositorySession
	rounds := 0 // the checkpointer's
	hooks := sessionHooks{
		roundStarts: func() {
			if rounds++; rounds == 1 {
				<-release
			}
		},
		writerWaits: func() { waited <- rs.commits },
	}
	rs, err := b.store.repoSession(b.ctx, 1<<30, hooks)
	if err != nil {
		t.Fatal(err)
	}
	const commits = 3 * sessionCheckpointEvery
	done := make(chan error, 1)
	go func() {
		for c := range commits {
			err := rs.RepositoryWrite(b.ctx, func(r *RepositoryTx) error {
				return r.PutShadow(shadow("hr", fmt.Sprintf("k%d", c)))
			})
			if err != nil {
				done <- err
				return
			}
		}
		done <- nil
	}()
	var releaseOnce sync.Once
	t.Cleanup(func() {
		releaseOnce.Do(func() { close(release) })
		_ = rs.Close()
	})
	for n := 0; n != 2*sessionCheckpointEvery; {
		select {
		case n = <-waited:
			// The writer may wait as it hands over the first round
			// too, for the checkpointer to be ready to take it.
			if n != sessionCheckpointEvery && n != 2*sessionCheckpointEvery {
				t.Fatalf("the writer waited after commit %d; want it to wait after commit %d", n, 2*sessionCheckpointEvery)
			}
		case err := <-done:
			t.Fatalf("the writer made all %d commits (%v) while the checkpointer was stuck in its first round", commits, err)
		}
	}
	releaseOnce.Do(func() { close(release) })
	if err := <-done; err != nil {
		t.Fatal(err)
	}
	if err := rs.Close(); err != nil {
		t.Fatal(err)
	}
	var n int
	if err := b.store.db.QueryRowContext(b.ctx, `SELECT count(*) FROM shadows`).Scan(&n); err != nil {
		t.Fatal(err)
	}
	if n != commits {
		t.Errorf("%d shadows stored, want %d", n, commits)
	}
}

// A failed transaction of a session leaves nothing, as Store.RepositoryWrite's.
func TestRepoSessionRollsBack(t *testing.T) {
	t.Parallel()
	b := setup(t)
	rs := b.session(t)
	boom := fmt.Errorf("boom")
	err := rs.RepositoryWrite(b.ctx, func(r *RepositoryTx) error {
		if err := r.PutShadow(shadow("hr", "a1")); err != nil {
			return err
		}
		return boom
	})
	if err != boom {
		t.Fatalf("Repo = %v, want fn's error", err)
	}
	b.repo(t, func(r *RepositoryTx) error {
		if sh, err := r.ShadowByKey("hr", "account", "default", "a1"); sh != nil || err != nil {
			t.Errorf("after rollback: %+v, %v", sh, err)
		}
		return nil
	})
}

// A PostgreSQL session has the tables it fills analyzed after its 4th
// commit, not before, so later lookups are planned for their size.
func TestRepoSessionAnalyzesOnPostgres(t *testing.T) {
	t.Parallel()
	b := setup(t)
	if !b.store.IsPostgres() {
		t.Skip("SQLite keeps no statistics the planner waits for")
	}
	analyzed := func() bool {
		var n int
		err := b.store.db.QueryRowContext(b.ctx, `SELECT count(*) FROM pg_stat_user_tables
WHERE schemaname = current_schema() AND relname IN ('users', 'user_keys', 'shadows') AND last_analyze IS NOT NULL`).Scan(&n)
		if err != nil {
			t.Fatal(err)
		}
		return n == 3
	}
	rs := b.session(t)
	for i := range 4 {
		if analyzed() {
			t.Fatalf("analyzed after %d commits, want after 4", i)
		}
		err := rs.RepositoryWrite(b.ctx, func(r *RepositoryTx) error {
			return r.PutShadow(shadow("hr", fmt.Sprintf("a%d", i)))
		})
		if err != nil {
			t.Fatal(err)
		}
	}
	if !analyzed() {
		t.Error("not analyzed after 4 commits")
	}
}

// A session started with DeferSync commits without waiting for the disk
// on a SQLite store (synchronous = NORMAL on its connection alone) until
// Close, and Sync flushes the log; one started without it, and any session
// on PostgreSQL, commits durably as every transaction does.
func TestRepoSessionDeferSync(t *testing.T) {
	t.Parallel()
	b := setup(t)
	synchronous := func(rs *RepositorySession) int {
		t.Helper()
		var n int
		if err := rs.conn.QueryRowContext(b.ctx, "PRAGMA synchronous").Scan(&n); err != nil {
			t.Fatal(err)
		}
		return n
	}
	plain, err := b.store.RepositorySession(b.ctx)
	if err != nil {
		t.Fatal(err)
	}
	if plain.Deferred() {
		t.Error("a session without DeferSync defers its commits' sync")
	}
	if b.store.dialect == dialectSQLite && synchronous(plain) != 2 {
		t.Errorf("synchronous = %d without DeferSync, want 2 (FULL)", synchronous(plain))
	}
	if err := plain.Close(); err != nil {
		t.Fatal(err)
	}

	rs, err := b.store.RepositorySession(b.ctx, DeferSync)
	if err != nil {
		t.Fatal(err)
	}
	if want := b.store.dialect == dialectSQLite; rs.Deferred() != want {
		t.Fatalf("Deferred() = %v on %v, want %v", rs.Deferred(), b.store.dialect, want)
	}
	if b.store.dialect == dialectSQLite && synchronous(rs) != 1 {
		t.Errorf("synchronous = %d with DeferSync, want 1 (NORMAL)", synchronous(rs))
	}
	for i := range 3 {
		err := rs.RepositoryWrite(b.ctx, func(r *RepositoryTx) error { return r.PutShadow(shadow("hr", fmt.Sprintf("d%d", i))) })
		if err != nil {
			t.Fatal(err)
		}
		if err := rs.Sync(); err != nil {
			t.Fatal(err)
		}
	}
	b.repo(t, func(r *RepositoryTx) error {
		if sh, err := r.ShadowByKey("hr", "account", "default", "d2"); sh == nil || err != nil {
			t.Errorf("a deferred commit is not seen by another connection: %+v, %v", sh, err)
		}
		return nil
	})
	if err := rs.Close(); err != nil {
		t.Fatal(err)
	}
	if rs.Deferred() {
		t.Error("Deferred() after Close")
	}
	if err := rs.Sync(); err != nil {
		t.Errorf("Sync after Close: %v, want nothing to flush", err)
	}
}

// A log that cannot be flushed is Sync's error, naming what failed.
func TestRepoSessionSyncFails(t *testing.T) {
	t.Parallel()
	sqliteOnly(t, "the write-ahead log a session flushes")
	b := setup(t)
	rs, err := b.store.RepositorySession(b.ctx, DeferSync)
	if err != nil {
		t.Fatal(err)
	}
	defer rs.Close()
	if !rs.Deferred() {
		t.Fatal("the session does not defer its commits' sync")
	}
	_ = rs.wal.Close() // every later flush of it fails
	err = rs.Sync()
	if err == nil || !strings.Contains(err.Error(), "flushing the write-ahead log") {
		t.Fatalf("Sync of a closed log: %v", err)
	}
}
