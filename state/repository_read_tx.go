package state

import (
	"context"
	"database/sql"
	"strings"
)

// RepositoryRead runs fn with a RepositoryTx over one read-only
// transaction: every read fn makes sees the same state, and any write it
// tries fails, since the transaction is read-only. It is how the plan's
// impact evaluation reads the repository (a read-only store works too).
//
// A RepositoryTx must not be used after fn returns, nor by several goroutines.
func (s *Store) RepositoryRead(ctx context.Context, fn func(*RepositoryTx) error) error {
	return s.repo(ctx, s.readFn, nil, nil, nil, fn)
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

// UsersByID returns the users with the given IDs that exist, by ID, read
// in one statement: the impact evaluation reads a batch's owners at once.
func (s *Store) UsersByID(ctx context.Context, ids []int64) (map[int64]*User, error) {
	out := make(map[int64]*User, len(ids))
	if len(ids) == 0 {
		return out, nil
	}
	err := readEach(ctx, s, scanUser, func(u *User) error {
		out[u.ID] = u
		return nil
	}, `SELECT `+userColumns+` FROM users WHERE id IN (`+placeholders(len(ids))+`)`, int64Args(ids)...)
	return out, err
}

// ShadowsOfUsers returns the shadows linked to each of the given users,
// by owner, each list ordered by resource, kind, intent and key as
// RepositoryTx.ShadowsOfUser orders it; a user without any has an empty
// list.
func (s *Store) ShadowsOfUsers(ctx context.Context, ids []int64) (map[int64][]*Shadow, error) {
	out := make(map[int64][]*Shadow, len(ids))
	for _, id := range ids {
		out[id] = []*Shadow{}
	}
	if len(ids) == 0 {
		return out, nil
	}
	err := readEach(ctx, s, scanShadow, func(sh *Shadow) error {
		out[sh.Owner] = append(out[sh.Owner], sh)
		return nil
	}, `SELECT `+shadowColumns+` FROM shadows WHERE owner IN (`+placeholders(len(ids))+`) ORDER BY owner, resource, kind, intent, key`, int64Args(ids)...)
	return out, err
}

// placeholders is "?, ?, ?" for n arguments.
func placeholders(n int) string {
	return strings.TrimSuffix(strings.Repeat("?, ", n), ", ")
}

func int64Args(ids []int64) []any {
	out := make([]any, len(ids))
	for i, id := range ids {
		out[i] = id
	}
	return out
}

// UserIDs returns every user's ID, in name order (UsersEach's order),
// without reading the users themselves.
func (s *Store) UserIDs(ctx context.Context) ([]int64, error) {
	var ids []int64
	err := s.readFn(ctx, func(tx *sql.Tx) error {
		rows, err := tx.QueryContext(ctx, `SELECT id FROM users ORDER BY name`)
		if err != nil {
			return err
		}
		defer rows.Close()
		for rows.Next() {
			var id int64
			if err := rows.Scan(&id); err != nil {
				return err
			}
			ids = append(ids, id)
		}
		return rows.Err()
	})
	return ids, err
}
