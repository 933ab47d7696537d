package state

import (
	"context"
	"database/sql"
	"errors"
	"time"
)

// SyncFailure is one sync of a followed git branch that failed, or the
// same failure seen again and again (Attempts) from FirstAt to LastAt.
type SyncFailure struct {
	FirstAt, LastAt time.Time
	Attempts        int
	Repository      string
	Branch          string
	Revision        string // the commit that failed; "" when the branch could not be read
	Error           string // what the sync printed or returned; never a secret
}

// keptSyncFailures is how many failures the store keeps.
const keptSyncFailures = 100

// SyncRecordFailure records a failed sync, now: the same failure as the
// newest one (branch, revision and error) counts one more attempt, any
// other is a new row. The oldest rows beyond keptSyncFailures go.
func (s *Store) SyncRecordFailure(ctx context.Context, f SyncFailure) error {
	now := s.now()
	err := s.write(ctx, func(tx *sql.Tx) error {
		var id int64
		err := tx.QueryRowContext(ctx, `SELECT id FROM sync_failures
			WHERE id = (SELECT max(id) FROM sync_failures) AND repository = ? AND branch = ? AND revision = ? AND error = ?`,
			f.Repository, f.Branch, f.Revision, f.Error).Scan(&id)
		switch {
		case err == nil:
			_, err = tx.ExecContext(ctx, `UPDATE sync_failures SET last_at = ?, attempts = attempts + 1 WHERE id = ?`, formatTime(now), id)
			return err
		case !errors.Is(err, sql.ErrNoRows):
			return err
		}
		if _, err := tx.ExecContext(ctx, `INSERT INTO sync_failures (first_at, last_at, attempts, repository, branch, revision, error)
			VALUES (?, ?, 1, ?, ?, ?, ?)`, formatTime(now), formatTime(now), f.Repository, f.Branch, f.Revision, f.Error); err != nil {
			return err
		}
		_, err = tx.ExecContext(ctx, `DELETE FROM sync_failures WHERE id <= (SELECT max(id) FROM sync_failures) - ?`, keptSyncFailures)
		return err
	})
	if err != nil {
		return s.fail("record a failed sync", err, "")
	}
	return nil
}

// SyncFailures returns the newest failed syncs first: at most limit, or
// all that are kept when limit is 0 or less.
func (s *Store) SyncFailures(ctx context.Context, limit int) ([]SyncFailure, error) {
	if limit <= 0 {
		limit = noLimit
	}
	var out []SyncFailure
	err := s.read(ctx, func(tx *sql.Tx) error {
		rows, err := tx.QueryContext(ctx, `SELECT first_at, last_at, attempts, repository, branch, revision, error
			FROM sync_failures ORDER BY id DESC LIMIT ?`, limit)
		if err != nil {
			return err
		}
		defer rows.Close()
		for rows.Next() {
			var f SyncFailure
			var first, last string
			if err := rows.Scan(&first, &last, &f.Attempts, &f.Repository, &f.Branch, &f.Revision, &f.Error); err != nil {
				return err
			}
			if f.FirstAt, err = parseTime(first); err != nil {
				return err
			}
			if f.LastAt, err = parseTime(last); err != nil {
				return err
			}
			out = append(out, f)
		}
		return rows.Err()
	})
	if err != nil {
		return nil, s.fail("read failed syncs", err, "")
	}
	return out, nil
}
