package state

import (
	"context"
	"database/sql"
	"time"
)

// The read-only queries of the report activity (engine/activity/report):
// each reads in one read transaction and changes nothing.

// ShadowsEach calls fn for every shadow of resource's kind/intent, by key;
// an error fn returns stops the walk and is returned as it is.
func (s *Store) ShadowsEach(ctx context.Context, resource, kind, intent string, fn func(*Shadow) error) error {
	return readEach(ctx, s, scanShadow, fn, `SELECT `+shadowColumns+` FROM shadows
WHERE resource = ? AND kind = ? AND intent = ? ORDER BY key`, resource, kind, intent)
}

// UserNames returns every user's name by ID.
func (s *Store) UserNames(ctx context.Context) (map[int64]string, error) {
	names := map[int64]string{}
	err := s.readFn(ctx, func(tx *sql.Tx) error {
		rows, err := tx.QueryContext(ctx, `SELECT id, name FROM users`)
		if err != nil {
			return err
		}
		defer rows.Close()
		for rows.Next() {
			var (
				id   int64
				name string
			)
			if err := rows.Scan(&id, &name); err != nil {
				return err
			}
			names[id] = name
		}
		return rows.Err()
	})
	return names, err
}

// sqlPendingFailed is a pending operation of a shadow whose last attempt
// failed.
const sqlPendingFailed = `SELECT 1 FROM json_each(pending) WHERE coalesce(json_extract(value, '$.LastError'), '') <> ''`

// ShadowsInTrouble returns the live shadows that need a person: those in
// the disputed situation and those with a pending operation whose last
// attempt failed, ordered by resource, kind, intent and key.
func (s *Store) ShadowsInTrouble(ctx context.Context) ([]*Shadow, error) {
	return s.readShadows(ctx, `SELECT `+shadowColumns+` FROM shadows
WHERE dead = 0 AND (situation = 'disputed' OR (pending IS NOT NULL AND EXISTS (
    `+sqlPendingFailed+`)))
ORDER BY resource, kind, intent, key`)
}

// RunsFinishedSince returns the runs that finished at or after since,
// oldest (lowest ID) first.
func (s *Store) RunsFinishedSince(ctx context.Context, since time.Time) ([]Run, error) {
	runs, err := queryRuns(ctx, s.db, `SELECT `+runColumns+` FROM runs
WHERE finished_at IS NOT NULL AND finished_at >= ? ORDER BY id`, formatTime(since))
	if err != nil {
		return nil, s.fail("runs", err, "")
	}
	return runs, nil
}
