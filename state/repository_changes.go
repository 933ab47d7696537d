package state

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
)

// AddRunChanges appends changes to the changes recorded for run runID,
// numbering them after those already there. The run must exist.
func (r *RepositoryTx) AddRunChanges(runID int64, changes []RunChange) error {
	if len(changes) == 0 {
		return nil
	}
	var last int64
	err := r.query(stmtLastRunChange, func(rows *sql.Rows) error { return rows.Scan(&last) }, runID)
	if err != nil {
		return r.fail(err)
	}
	for i := range changes {
		b, err := json.Marshal(&changes[i])
		if err != nil {
			return r.fail(err)
		}
		if _, err := r.exec(stmtInsertRunChange, runID, last+int64(i)+1, string(b)); err != nil {
			return r.fail(err)
		}
	}
	return nil
}

// RunChanges returns at most limit (all when limit < 1) of the changes
// recorded for run runID, in the order they were added, skipping the
// first offset, and how many there are in all.
func (s *Store) RunChanges(ctx context.Context, runID int64, offset, limit int) (changes []RunChange, total int, err error) {
	if limit < 1 {
		limit = noLimit
	}
	err = s.read(ctx, func(tx *sql.Tx) error {
		err := tx.QueryRowContext(ctx, `SELECT count(*) FROM run_changes WHERE run_id = ?`, runID).Scan(&total)
		if err != nil {
			return err
		}
		changes, err = readRunChanges(ctx, tx, runID, max(offset, 0), limit)
		return err
	})
	if err != nil {
		return nil, 0, s.fail("repository", err, "")
	}
	return changes, total, nil
}

func readRunChanges(ctx context.Context, q queryer, runID int64, offset, limit int) ([]RunChange, error) {
	rows, err := q.QueryContext(ctx, `SELECT seq, change FROM run_changes WHERE run_id = ?
ORDER BY seq LIMIT ? OFFSET ?`, runID, limit, offset)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var changes []RunChange
	for rows.Next() {
		var (
			seq int64
			raw []byte
			c   RunChange
		)
		if err := rows.Scan(&seq, &raw); err != nil {
			return nil, err
		}
		if err := json.Unmarshal(raw, &c); err != nil {
			return nil, fmt.Errorf("run %d change %d: %w", runID, seq, err)
		}
		changes = append(changes, c)
	}
	return changes, rows.Err()
}
