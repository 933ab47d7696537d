package state

import (
	"context"
	"database/sql"
	"strconv"
	"time"
)

// The repository's read side: each method reads in one read transaction,
// so it sees one consistent state and never waits for a writer.

// callbackError carries an error of a caller's callback through a read,
// so that it comes back unwrapped.
type callbackError struct{ err error }

func (e callbackError) Error() string { return e.err.Error() }

// readFn is read for methods that call back into the caller: the
// callback's error comes back as it was, others as the store's *Error.
func (s *Store) readFn(ctx context.Context, fn func(*sql.Tx) error) error {
	err := s.read(ctx, fn)
	if cb, ok := err.(callbackError); ok {
		return cb.err
	}
	if err != nil {
		return s.fail("repository", err, "")
	}
	return nil
}

// UserGet returns the user named name, or nil when there is none.
func (s *Store) UserGet(ctx context.Context, name string) (*User, error) {
	var u *User
	err := s.readFn(ctx, func(tx *sql.Tx) error {
		users, err := queryUsers(ctx, tx, `SELECT `+userColumns+` FROM users WHERE name = ?`, name)
		if len(users) > 0 {
			u = users[0]
		}
		return err
	})
	return u, err
}

// UsersEach calls fn for every user, by name; an error fn returns stops the
// walk and is returned as it is.
func (s *Store) UsersEach(ctx context.Context, fn func(*User) error) error {
	return readEach(ctx, s, scanUser, fn, `SELECT `+userColumns+` FROM users ORDER BY name`)
}

// readEach runs query in one read transaction and calls fn with each row
// as scan reads it; an error fn returns stops the walk and is returned as
// it is (callbackError).
func readEach[T any](ctx context.Context, s *Store, scan func(rowScanner) (T, error), fn func(T) error, query string, args ...any) error {
	return s.readFn(ctx, func(tx *sql.Tx) error {
		rows, err := tx.QueryContext(ctx, query, args...)
		if err != nil {
			return err
		}
		defer rows.Close()
		for rows.Next() {
			v, err := scan(rows)
			if err != nil {
				return err
			}
			if err := fn(v); err != nil {
				return callbackError{err}
			}
		}
		return rows.Err()
	})
}

func queryUsers(ctx context.Context, q queryer, query string, args ...any) ([]*User, error) {
	rows, err := q.QueryContext(ctx, query, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var users []*User
	for rows.Next() {
		u, err := scanUser(rows)
		if err != nil {
			return nil, err
		}
		users = append(users, u)
	}
	return users, rows.Err()
}

// UserShadows returns the shadows linked to user userID, ordered by
// resource, kind, intent and key.
func (s *Store) UserShadows(ctx context.Context, userID int64) ([]*Shadow, error) {
	return s.readShadows(ctx, `SELECT `+shadowColumns+` FROM shadows WHERE owner = ?
ORDER BY resource, kind, intent, key`, userID)
}

// ShadowsByID returns the shadows with the given IDs, ordered by ID; an
// ID no shadow has is left out.
func (s *Store) ShadowsByID(ctx context.Context, ids []int64) ([]*Shadow, error) {
	if len(ids) == 0 {
		return nil, nil
	}
	list := make([]byte, 0, 8*len(ids)+2)
	list = append(list, '[')
	for i, id := range ids {
		if i > 0 {
			list = append(list, ',')
		}
		list = strconv.AppendInt(list, id, 10)
	}
	list = append(list, ']')
	return s.readShadows(ctx, `SELECT `+shadowColumns+` FROM shadows
WHERE id IN (`+sqlIDsOfList+`) ORDER BY id`, string(list))
}

// sqlIDsOfList are the IDs of a JSON list.
const sqlIDsOfList = `SELECT value FROM json_each(?)`

// ShadowsPending returns at most limit (all when limit < 1) shadows of
// resource with pending operations due at or before due, the longest
// due first.
func (s *Store) ShadowsPending(ctx context.Context, resource string, due time.Time, limit int) ([]*Shadow, error) {
	if limit < 1 {
		limit = noLimit
	}
	return s.readShadows(ctx, `SELECT `+shadowColumns+` FROM shadows
WHERE resource = ? AND pending IS NOT NULL AND next_attempt_at <= ?
ORDER BY next_attempt_at, id LIMIT ?`, resource, formatTime(due), limit)
}

func (s *Store) readShadows(ctx context.Context, query string, args ...any) ([]*Shadow, error) {
	var shadows []*Shadow
	err := readEach(ctx, s, scanShadow, func(sh *Shadow) error {
		shadows = append(shadows, sh)
		return nil
	}, query, args...)
	return shadows, err
}

// RepositoryCounts are the sizes of the repository.
type RepositoryCounts struct {
	Users, ActiveUsers int
	// Shadows counts the live (not dead) shadows of each resource that
	// has any.
	Shadows map[string]int
}

// RepositoryCounts counts users and live shadows.
func (s *Store) RepositoryCounts(ctx context.Context) (*RepositoryCounts, error) {
	counts := &RepositoryCounts{}
	err := s.readFn(ctx, func(tx *sql.Tx) error {
		err := tx.QueryRowContext(ctx, `SELECT count(*), count(*) FILTER (WHERE status = 'active') FROM users`).
			Scan(&counts.Users, &counts.ActiveUsers)
		if err != nil {
			return err
		}
		counts.Shadows, err = readShadowCounts(ctx, tx)
		return err
	})
	if err != nil {
		return nil, err
	}
	return counts, nil
}

// readShadowCounts counts the live shadows of each resource: all of them
// (a scan of the unique index) less the dead ones (the small partial
// index shadows_dead).
func readShadowCounts(ctx context.Context, q queryer) (map[string]int, error) {
	counts := map[string]int{}
	err := countByResource(ctx, q, `SELECT resource, count(*) FROM shadows GROUP BY resource`, func(r string, n int) {
		counts[r] = n
	})
	if err != nil {
		return nil, err
	}
	err = countByResource(ctx, q, `SELECT resource, count(*) FROM shadows WHERE dead = 1 GROUP BY resource`, func(r string, n int) {
		if counts[r] -= n; counts[r] == 0 {
			delete(counts, r)
		}
	})
	return counts, err
}

func countByResource(ctx context.Context, q queryer, query string, each func(resource string, n int)) error {
	rows, err := q.QueryContext(ctx, query)
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		var (
			resource string
			n        int
		)
		if err := rows.Scan(&resource, &n); err != nil {
			return err
		}
		each(resource, n)
	}
	return rows.Err()
}
