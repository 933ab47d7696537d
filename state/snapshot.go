package state

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
)

// Snapshot reads the state a plan is computed against: lineage, serial,
// every stored definition and the live shadows of each resource, in one
// consistent read.
func (s *Store) Snapshot(ctx context.Context) (*Snapshot, error) {
	snap := &Snapshot{}
	err := s.read(ctx, func(tx *sql.Tx) error {
		var err error
		if snap.Lineage, err = readLineage(ctx, tx); err != nil {
			return err
		}
		if snap.Serial, err = readSerial(ctx, tx); err != nil {
			return err
		}
		if snap.Key, err = readSecretKey(ctx, tx); err != nil {
			return err
		}
		if snap.Definitions, err = readDefinitions(ctx, tx); err != nil {
			return err
		}
		snap.ShadowCounts, err = readShadowCounts(ctx, tx)
		return err
	})
	if err != nil {
		return nil, s.fail("snapshot", err, "")
	}
	return snap, nil
}

const selectDefinitions = `SELECT kind, name, spec, hash, source_file, source_line, revision, updated_at
FROM definitions ORDER BY address`

func readDefinitions(ctx context.Context, q queryer) (map[string]*Definition, error) {
	rows, err := q.QueryContext(ctx, selectDefinitions)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	defs := map[string]*Definition{}
	for rows.Next() {
		d, err := scanDefinition(rows)
		if err != nil {
			return nil, err
		}
		defs[d.Address()] = d
	}
	return defs, rows.Err()
}

func scanDefinition(rows *sql.Rows) (*Definition, error) {
	var (
		d         Definition
		spec      string
		updatedAt string
	)
	err := rows.Scan(&d.Kind, &d.Name, &spec, &d.Hash, &d.SourceFile, &d.SourceLine, &d.Revision, &updatedAt)
	if err != nil {
		return nil, err
	}
	if err := json.Unmarshal([]byte(spec), &d.Spec); err != nil {
		return nil, fmt.Errorf("definition %s: spec: %w", d.Address(), err)
	}
	if d.Spec == nil {
		d.Spec = map[string]string{}
	}
	if d.UpdatedAt, err = parseTime(updatedAt); err != nil {
		return nil, fmt.Errorf("definition %s: updated_at: %w", d.Address(), err)
	}
	return &d, nil
}
