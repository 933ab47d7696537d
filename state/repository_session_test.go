package state

import (
	"fmt"
	"os"
	"strings"
	"testing"
)

// A session stores what its transactions store, and keeps the log from
// growing with them: it starts over once it holds restartFrames pages.
func TestRepoSessionStoresAndBoundsTheLog(t *testing.T) {
	t.Parallel()
	b := setup(t)
	const (
		restartFrames = 256
		commits       = 40
		perCommit     = 50 // shadows of about a page each
	)
	rs, err := b.store.repoSession(b.ctx, restartFrames)
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
	// Without restarts the log would hold every page written: more than
	// commits*perCommit frames of 4 KB. With them, it holds at most
	// restartFrames and what the commits since the last checkpoint added
	// (a shadow's row and its index entries: less than two pages).
	fi, err := os.Stat(b.path + "-wal")
	if err != nil {
		t.Fatal(err)
	}
	if limit := int64(restartFrames+(sessionCheckpointEvery+2)*perCommit*2) * 4120; fi.Size() > limit {
		t.Errorf("the log is %d bytes; want at most %d", fi.Size(), limit)
	}
	var busy, frames, copied int64
	if err := b.store.db.QueryRowContext(b.ctx, `PRAGMA wal_checkpoint(PASSIVE)`).Scan(&busy, &frames, &copied); err != nil {
		t.Fatal(err)
	}
	if frames != copied {
		t.Errorf("after Close, %d of the log's %d pages are checkpointed", copied, frames)
	}
}

// A failed transaction of a session leaves nothing, as Store.RepositoryWrite's.
func TestRepoSessionRollsBack(t *testing.T) {
	t.Parallel()
	b := setup(t)
	rs, err := b.store.RepositorySession(b.ctx)
	if err != nil {
		t.Fatal(err)
	}
	defer rs.Close()
	boom := fmt.Errorf("boom")
	err = rs.RepositoryWrite(b.ctx, func(r *RepositoryTx) error {
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
