package state

import (
	"context"
	"database/sql"
	"errors"
	"time"
)

// SyncPlan is the plan of a sync that planned a revision without applying
// it (the plan_only policy), or the same plan seen again and again from
// FirstAt to LastAt.
type SyncPlan struct {
	FirstAt, LastAt time.Time
	Repository      string // without credentials
	Branch          string
	Revision        string
	// Serial is the state serial the plan was made against.
	Serial int64
	// Changes is the plan's change list, JSON, in the form an apply
	// records (applies.changes, ApplyRecord.Changes).
	Changes []byte
}

// keptSyncPlans is how many plans the store keeps.
const keptSyncPlans = 20

// SyncRecordPlan records the plan of a sync that did not apply, now: the
// same plan as the newest one (repository, branch, revision, serial and
// changes) only moves its LastAt, any other is a new row. The oldest rows
// beyond keptSyncPlans go.
func (s *Store) SyncRecordPlan(ctx context.Context, p SyncPlan) error {
	if len(p.Changes) == 0 {
		p.Changes = []byte("[]")
	}
	now := formatTime(s.now())
	err := s.write(ctx, func(tx *sql.Tx) error {
		var id int64
		err := tx.QueryRowContext(ctx, `SELECT id FROM sync_plans
			WHERE id = (SELECT max(id) FROM sync_plans) AND repository = ? AND branch = ? AND revision = ? AND serial = ? AND changes = ?`,
			p.Repository, p.Branch, p.Revision, p.Serial, string(p.Changes)).Scan(&id)
		switch {
		case err == nil:
			_, err = tx.ExecContext(ctx, `UPDATE sync_plans SET last_at = ? WHERE id = ?`, now, id)
			return err
		case !errors.Is(err, sql.ErrNoRows):
			return err
		}
		if _, err := tx.ExecContext(ctx, `INSERT INTO sync_plans (first_at, last_at, repository, branch, revision, serial, changes)
			VALUES (?, ?, ?, ?, ?, ?, ?)`, now, now, p.Repository, p.Branch, p.Revision, p.Serial, string(p.Changes)); err != nil {
			return err
		}
		_, err = tx.ExecContext(ctx, `DELETE FROM sync_plans WHERE id <= (SELECT max(id) FROM sync_plans) - ?`, keptSyncPlans)
		return err
	})
	if err != nil {
		return s.fail("record a sync's plan", err, "")
	}
	return nil
}

// SyncPlans returns the plans of the newest syncs that did not apply,
// newest first: at most limit, or all that are kept when limit is 0 or
// less.
func (s *Store) SyncPlans(ctx context.Context, limit int) ([]SyncPlan, error) {
	if limit <= 0 {
		limit = noLimit
	}
	var out []SyncPlan
	err := s.read(ctx, func(tx *sql.Tx) error {
		rows, err := tx.QueryContext(ctx, `SELECT first_at, last_at, repository, branch, revision, serial, changes
			FROM sync_plans ORDER BY id DESC LIMIT ?`, limit)
		if err != nil {
			return err
		}
		defer rows.Close()
		for rows.Next() {
			var (
				p           SyncPlan
				first, last string
				changes     string
			)
			if err := rows.Scan(&first, &last, &p.Repository, &p.Branch, &p.Revision, &p.Serial, &changes); err != nil {
				return err
			}
			if p.FirstAt, err = parseTime(first); err != nil {
				return err
			}
			if p.LastAt, err = parseTime(last); err != nil {
				return err
			}
			p.Changes = []byte(changes)
			out = append(out, p)
		}
		return rows.Err()
	})
	if err != nil {
		return nil, s.fail("read the plans of syncs", err, "")
	}
	return out, nil
}
