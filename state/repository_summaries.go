package state

import (
	"context"
	"database/sql"
	"errors"
)

// ShadowSummaries calls fn with the summary of every shadow of resource's
// object type kind/intent, dead ones too, ordered by key; an error fn
// returns stops the walk and is returned as it is.
//
// It is built for a million shadows: one read of the type's index, with
// values that repeat (situation, and the mapping hash most shadows share)
// delivered without a fresh string per row.
func (s *Store) ShadowSummaries(ctx context.Context, resource, kind, intent string, fn func(ShadowSummary) error) error {
	return s.readFn(ctx, func(tx *sql.Tx) error {
		// The mapping hash of one shadow is, most of the time, that of
		// all: rows that have it return NULL instead, and share one
		// string.
		var common string
		err := tx.QueryRowContext(ctx, `SELECT mapping_hash FROM shadows
WHERE resource = ? AND kind = ? AND intent = ? LIMIT 1`, resource, kind, intent).Scan(&common)
		if errors.Is(err, sql.ErrNoRows) {
			return nil
		}
		if err != nil {
			return err
		}
		return walkSummaries(ctx, tx, resource, kind, intent, common, fn)
	})
}

// situations are the situations summaries deliver as constants; the
// query numbers them from 0, and returns any other as text.
var situations = [...]string{"", "linked", "unlinked", "disputed", "unmatched", "deleted"}

// summaryQuery returns few columns, because each costs two lock round
// trips in the driver: the owner and the small fields are packed into one
// integer (owner << 8 | situation << 2 | has pending << 1 | dead; SQLite
// gives << and | the same precedence, hence the parentheses), where
// situation is the index in situations or 7 for one returned as text.
const summaryQuery = `SELECT id, key, hash, nullif(mapping_hash, ?4),
    (coalesce(owner, 0) << 8)
    | (CASE situation WHEN '' THEN 0 WHEN 'linked' THEN 1 WHEN 'unlinked' THEN 2 WHEN 'disputed' THEN 3
        WHEN 'unmatched' THEN 4 WHEN 'deleted' THEN 5 ELSE 7 END << 2)
    | (CASE WHEN pending IS NULL THEN 0 ELSE 2 END) | dead,
    CASE WHEN situation IN ('', 'linked', 'unlinked', 'disputed', 'unmatched', 'deleted') THEN NULL ELSE situation END
FROM shadows WHERE resource = ?1 AND kind = ?2 AND intent = ?3 ORDER BY key`

func walkSummaries(ctx context.Context, tx *sql.Tx, resource, kind, intent, common string, fn func(ShadowSummary) error) error {
	rows, err := tx.QueryContext(ctx, summaryQuery, resource, kind, intent, common)
	if err != nil {
		return err
	}
	defer rows.Close()
	var (
		sum         ShadowSummary
		mappingHash sql.NullString
		packed      int64
		other       sql.NullString
	)
	for rows.Next() {
		if err := rows.Scan(&sum.ID, &sum.Key, &sum.Hash, &mappingHash, &packed, &other); err != nil {
			return err
		}
		sum.MappingHash = common
		if mappingHash.Valid {
			sum.MappingHash = mappingHash.String
		}
		sum.Owner = packed >> 8
		sum.Dead, sum.HasPending = packed&1 != 0, packed&2 != 0
		sum.Situation = other.String
		if code := packed >> 2 & 7; int(code) < len(situations) {
			sum.Situation = situations[code]
		}
		if err := fn(sum); err != nil {
			return callbackError{err}
		}
	}
	return rows.Err()
}

// ShadowCount is how many shadows, dead ones too, resource's object type
// kind/intent has: what ShadowSummaries will deliver, for sizing what
// holds them.
func (s *Store) ShadowCount(ctx context.Context, resource, kind, intent string) (int, error) {
	var n int
	err := s.readFn(ctx, func(tx *sql.Tx) error {
		return tx.QueryRowContext(ctx, `SELECT count(*) FROM shadows WHERE resource = ? AND kind = ? AND intent = ?`,
			resource, kind, intent).Scan(&n)
	})
	return n, err
}
