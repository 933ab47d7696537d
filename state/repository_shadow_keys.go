package state

import (
	"context"
	"database/sql"
)

// ShadowKeys calls fn with the key of every shadow of resource's object
// type kind/intent, dead ones too, and returns the largest shadow ID
// stored when it began: a shadow stored after that — by anyone — has a
// larger ID (LastShadowID), so a caller that keeps the keys can tell when
// they may no longer be all.
func (s *Store) ShadowKeys(ctx context.Context, resource, kind, intent string, fn func(key string) error) (lastID int64, err error) {
	err = s.readFn(ctx, func(tx *sql.Tx) error {
		if err := tx.QueryRowContext(ctx, `SELECT coalesce(max(id), 0) FROM shadows`).Scan(&lastID); err != nil {
			return err
		}
		rows, err := tx.QueryContext(ctx, `SELECT key FROM shadows WHERE resource = ? AND kind = ? AND intent = ?`, resource, kind, intent)
		if err != nil {
			return err
		}
		defer rows.Close()
		var key string
		for rows.Next() {
			if err := rows.Scan(&key); err != nil {
				return err
			}
			if err := fn(key); err != nil {
				return err
			}
		}
		return rows.Err()
	})
	return lastID, err
}

// LastShadowID returns the largest shadow ID stored, the new shadows of
// this transaction included (0 when there is none). New shadows get
// larger IDs than every stored one (repository_buffered.go).
func (r *RepositoryTx) LastShadowID() (int64, error) {
	if err := r.flush(); err != nil {
		return 0, r.fail(err)
	}
	var id int64
	if err := r.tx.QueryRowContext(r.stmtCtx, `SELECT coalesce(max(id), 0) FROM shadows`).Scan(&id); err != nil {
		return 0, r.fail(err)
	}
	return id, nil
}
