package state

import (
	"context"
	"database/sql"
)

// RepositoryRead runs fn with a RepositoryTx over one read-only
// transaction: every read fn makes sees the same state, and any write it
// tries fails, since the transaction is read-only. It is how the plan's
// impact evaluation reads the repository (a read-only store works too).
//
// A RepositoryTx must not be used after fn returns, nor by several goroutines.
func (s *Store) RepositoryRead(ctx context.Context, fn func(*RepositoryTx) error) error {
	return s.repo(ctx, s.readFn, nil, fn)
}

// ShadowKeysDiffering returns up to limit (identifier, key) pairs of
// resource's shadows whose key differs from their identifier: what the
// impact evaluation learns a resource's key matching from (a key column
// that ignores case, an LDAP DN) without reaching the resource.
func (s *Store) ShadowKeysDiffering(ctx context.Context, resource string, limit int) ([][2]string, error) {
	var out [][2]string
	err := s.readFn(ctx, func(tx *sql.Tx) error {
		rows, err := tx.QueryContext(ctx, `SELECT identifier, key FROM shadows WHERE resource = ? AND key <> identifier ORDER BY key LIMIT ?`, resource, limit)
		if err != nil {
			return err
		}
		defer rows.Close()
		for rows.Next() {
			var p [2]string
			if err := rows.Scan(&p[0], &p[1]); err != nil {
				return err
			}
			out = append(out, p)
		}
		return rows.Err()
	})
	return out, err
}
