package state

import (
	"context"
	"database/sql"
	"errors"
	"github.com/syncline/syncline/internal/clock"
	"time"
)

// applyLockName is the one lock v1 has: whoever holds it may apply.
const applyLockName = "apply"

// lockPollInterval is how often a waiting Lock retries.
const lockPollInterval = 100 * time.Millisecond

// LockAcquire takes the apply lock for operation ("apply", …), waiting up to
// timeout (0: not at all) while someone else holds it, then failing with
// a LockedError that names the holder. The lock is a row in the store, so
// it works across processes and, with shared state, across hosts; it is
// held until Unlock with the returned ID, even past the end of the
// process that took it.
func (s *Store) LockAcquire(ctx context.Context, operation string, timeout time.Duration) (*LockInfo, error) {
	want := newLockInfo(operation, s.now())
	deadline := s.now().Add(timeout)
	for {
		held, err := s.tryLock(ctx, want)
		switch {
		case err != nil:
			return nil, s.fail("lock", err, "")
		case held == nil:
			return want, nil
		case !s.now().Before(deadline):
			return nil, s.fail("lock", newLockedError(*held), "")
		}
		if err := sleep(ctx, s.clock, min(lockPollInterval, deadline.Sub(s.now()))); err != nil {
			return nil, s.fail("lock", err, "")
		}
	}
}

// tryLock takes the lock for want, or returns the lock someone else holds.
func (s *Store) tryLock(ctx context.Context, want *LockInfo) (*LockInfo, error) {
	var held *LockInfo
	err := s.write(ctx, func(tx *sql.Tx) error {
		res, err := tx.ExecContext(ctx, `INSERT INTO locks (name, id, operation, holder, host, pid, since)
VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT (name) DO NOTHING`,
			applyLockName, want.ID, want.Operation, want.Holder, want.Host, want.PID, formatTime(want.Since))
		if err != nil {
			return err
		}
		if n, err := res.RowsAffected(); err != nil || n == 1 {
			return err
		}
		held, err = readLock(ctx, tx)
		return err
	})
	return held, err
}

// LockRelease releases the lock with the given ID; an ID that does not hold the
// lock gets an UnknownLockError, and the lock stays as it is.
func (s *Store) LockRelease(ctx context.Context, id string) error {
	err := s.write(ctx, func(tx *sql.Tx) error {
		res, err := tx.ExecContext(ctx, `DELETE FROM locks WHERE name = ? AND id = ?`, applyLockName, id)
		if err != nil {
			return err
		}
		if n, err := res.RowsAffected(); err != nil || n == 1 {
			return err
		}
		held, err := readLock(ctx, tx)
		if err != nil {
			return err
		}
		return &UnknownLockError{ID: id, Held: held}
	})
	if err != nil {
		return s.fail("unlock", err, "")
	}
	return nil
}

// LockHolder returns who holds the lock, or nil when it is free.
func (s *Store) LockHolder(ctx context.Context) (*LockInfo, error) {
	held, err := readLock(ctx, s.db)
	if err != nil {
		return nil, s.fail("lock", err, "")
	}
	return held, nil
}

func readLock(ctx context.Context, q queryer) (*LockInfo, error) {
	var (
		l     LockInfo
		since string
	)
	err := q.QueryRowContext(ctx, `SELECT id, operation, holder, host, pid, since FROM locks WHERE name = ?`,
		applyLockName).Scan(&l.ID, &l.Operation, &l.Holder, &l.Host, &l.PID, &since)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	l.Since, err = parseTime(since)
	return &l, err
}

// sleep waits for d or until ctx is done.
func sleep(ctx context.Context, clk clock.Clock, d time.Duration) error {
	t := clk.NewTimer(d)
	defer t.Stop()
	select {
	case <-ctx.Done():
		return ctx.Err()
	case <-t.C():
		return nil
	}
}
