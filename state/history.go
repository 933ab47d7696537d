package state

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
)

// applyColumns are the columns scanApplyRecord reads, in its order.
const applyColumns = `id, at, who, revision, serial, changes, forced_over`

// ApplyHistory returns the most recent applies that changed something, newest
// first: at most limit of them, or all when limit is 0 or less.
func (s *Store) ApplyHistory(ctx context.Context, limit int) ([]ApplyRecord, error) {
	if limit <= 0 {
		limit = noLimit
	}
	var records []ApplyRecord
	err := s.read(ctx, func(tx *sql.Tx) error {
		rows, err := tx.QueryContext(ctx,
			`SELECT `+applyColumns+` FROM applies ORDER BY id DESC LIMIT ?`, limit)
		if err != nil {
			return err
		}
		defer rows.Close()
		for rows.Next() {
			r, err := scanApplyRecord(rows)
			if err != nil {
				return err
			}
			records = append(records, r)
		}
		return rows.Err()
	})
	if err != nil {
		return nil, s.fail("history", err, "")
	}
	return records, nil
}

// ApplyAt returns the apply that produced serial, or nil when no apply
// did (serial 0, or a serial this store never had): what a reader of a
// snapshot at that serial is looking at.
func (s *Store) ApplyAt(ctx context.Context, serial int64) (*ApplyRecord, error) {
	var rec *ApplyRecord
	err := s.read(ctx, func(tx *sql.Tx) error {
		rows, err := tx.QueryContext(ctx, `SELECT `+applyColumns+` FROM applies WHERE serial = ?`, serial)
		if err != nil {
			return err
		}
		defer rows.Close()
		if rows.Next() {
			r, err := scanApplyRecord(rows)
			if err != nil {
				return err
			}
			rec = &r
		}
		return rows.Err()
	})
	if err != nil && !errors.Is(err, sql.ErrNoRows) {
		return nil, s.fail("history", err, "")
	}
	return rec, nil
}

func scanApplyRecord(rows *sql.Rows) (ApplyRecord, error) {
	var (
		r       ApplyRecord
		at      string
		changes sql.NullString
	)
	if err := rows.Scan(&r.ID, &at, &r.Who, &r.Revision, &r.Serial, &changes, &r.ForcedOver); err != nil {
		return r, err
	}
	t, err := parseTime(at)
	if err != nil {
		return r, fmt.Errorf("apply %d: at: %w", r.ID, err)
	}
	r.At = t
	if changes.Valid {
		r.Changes = []byte(changes.String)
	}
	return r, nil
}
