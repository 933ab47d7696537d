package state

import (
	"context"
	"database/sql"
	"encoding/json"
	"slices"
)

// UserIndexEnsure makes attributes part of the correlation index, so
// that FindUsers looks them up instead of reading every user. Names
// already indexed are left as they are; for each new one, the keys of
// every stored user are added in the same transaction. "name" and
// "status" are columns, always indexed, and ignored here. When nothing
// is new it only reads. Names are never removed from the index: an
// indexed name no mapping uses any more costs a little on every write and
// changes no result.
func (s *Store) UserIndexEnsure(ctx context.Context, attributes []string) error {
	want := indexableNames(attributes)
	if len(want) == 0 {
		return nil
	}
	var missing []string
	err := s.read(ctx, func(tx *sql.Tx) (err error) {
		missing, err = missingIndexNames(ctx, tx, want)
		return err
	})
	if err != nil {
		return s.fail("repository", err, "")
	}
	if len(missing) == 0 {
		return nil
	}
	err = s.writeTx(ctx, func(w *writeTx) error {
		// Read again under the write lock: another process may have
		// indexed some of them meanwhile.
		missing, err := missingIndexNames(w.ctx, w.tx, want)
		if err != nil || len(missing) == 0 {
			return err
		}
		return w.indexUserAttributes(missing)
	})
	if err != nil {
		return s.fail("repository", err, "")
	}
	return nil
}

const (
	// sqlIndexNames records the attribute names of a JSON list as indexed.
	sqlIndexNames = `INSERT INTO user_indexed_attributes (name) SELECT value FROM json_each(?)`
	// sqlIndexUserKeys adds the keys of the attributes of a JSON list.
	sqlIndexUserKeys = `INSERT INTO user_keys (attribute, value, user_id)
SELECT j.key, j.value, u.id FROM users AS u, json_each(u.attributes) AS j
WHERE j.type = 'text' AND j.key IN (SELECT value FROM json_each(?))
ON CONFLICT DO NOTHING`
)

// indexUserAttributes records names as indexed and adds the keys of
// every user that has one of them, in one INSERT … SELECT.
func (w *writeTx) indexUserAttributes(names []string) error {
	list, err := json.Marshal(names)
	if err != nil {
		return err
	}
	if _, err := w.exec(sqlIndexNames, string(list)); err != nil {
		return err
	}
	_, err = w.exec(sqlIndexUserKeys, string(list))
	return err
}

// indexableNames are attributes without duplicates, empty names, and the
// columns name and status, sorted.
func indexableNames(attributes []string) []string {
	var names []string
	for _, a := range attributes {
		if a != "" && a != "name" && a != "status" {
			names = append(names, a)
		}
	}
	slices.Sort(names)
	return slices.Compact(names)
}

// missingIndexNames are those of want that are not indexed yet.
func missingIndexNames(ctx context.Context, q queryer, want []string) ([]string, error) {
	rows, err := q.QueryContext(ctx, `SELECT name FROM user_indexed_attributes`)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	have := map[string]bool{}
	for rows.Next() {
		var n string
		if err := rows.Scan(&n); err != nil {
			return nil, err
		}
		have[n] = true
	}
	var missing []string
	for _, n := range want {
		if !have[n] {
			missing = append(missing, n)
		}
	}
	return missing, rows.Err()
}
