package state

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"strings"
)

// Snapshot reads the state a plan is computed against: lineage, serial,
// every stored definition and the live shadows of each resource, in one
// consistent read.
func (s *Store) Snapshot(ctx context.Context) (*Snapshot, error) {
	return s.SnapshotReusing(ctx, nil)
}

// SnapshotReusing is Snapshot for a caller that already holds canonical
// definitions by address, such as the desired ones of a plan: a stored
// definition whose hash equals the held one's at its address takes the held
// Spec (an equal hash is an equal spec) instead of decoding its own. The
// unchanged definitions, nearly all of them in a typical plan, are then
// neither decoded nor held twice. The snapshot shares those Spec maps with
// held, so neither may be modified.
func (s *Store) SnapshotReusing(ctx context.Context, held map[string]*Definition) (*Snapshot, error) {
	return s.snapshot(ctx, held, true)
}

// SnapshotCounts is Snapshot without the definitions: lineage, serial,
// key and the live shadows of each resource — what a plan's identity
// impact needs beside the definitions the plan already holds.
func (s *Store) SnapshotCounts(ctx context.Context) (*Snapshot, error) {
	return s.snapshot(ctx, nil, false)
}

func (s *Store) snapshot(ctx context.Context, held map[string]*Definition, definitions bool) (*Snapshot, error) {
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
		if definitions {
			if snap.Definitions, err = readDefinitions(ctx, tx, held); err != nil {
				return err
			}
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

// SecretKey reads the store's secret key alone: the Key a snapshot would
// carry, which canonical definitions need before the snapshot is read.
func (s *Store) SecretKey(ctx context.Context) (SecretKey, error) {
	var key SecretKey
	err := s.read(ctx, func(tx *sql.Tx) error {
		var err error
		key, err = readSecretKey(ctx, tx)
		return err
	})
	if err != nil {
		return nil, s.fail("snapshot", err, "")
	}
	return key, nil
}

func readDefinitions(ctx context.Context, q queryer, held map[string]*Definition) (map[string]*Definition, error) {
	if len(held) == 0 {
		return scanDefinitions(ctx, q, nil, selectDefinitions)
	}
	return readDefinitionsHeld(ctx, q, held)
}

const selectDefinitionHeads = `SELECT kind, name, hash, source_file, source_line, revision, updated_at
FROM definitions ORDER BY address`

// readDefinitionsHeld reads the definitions without their specs first,
// then the specs of those whose hash held does not have: the specs of
// the unchanged ones, nearly all of them in a typical plan, are neither
// copied out of the database nor decoded.
func readDefinitionsHeld(ctx context.Context, q queryer, held map[string]*Definition) (map[string]*Definition, error) {
	rows, err := q.QueryContext(ctx, selectDefinitionHeads)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	defs := map[string]*Definition{}
	var missing []string
	for rows.Next() {
		var d Definition
		var updatedAt string
		if err := rows.Scan(&d.Kind, &d.Name, &d.Hash, &d.SourceFile, &d.SourceLine, &d.Revision, &updatedAt); err != nil {
			return nil, err
		}
		if d.UpdatedAt, err = parseTime(updatedAt); err != nil {
			return nil, fmt.Errorf("definition %s: updated_at: %w", d.Address(), err)
		}
		if h := held[d.Address()]; h != nil && h.Hash == d.Hash && h.Spec != nil {
			d.Spec = h.Spec
		} else {
			missing = append(missing, d.Address())
		}
		defs[d.Address()] = &d
	}
	if err := rows.Err(); err != nil {
		return nil, err
	}
	rows.Close()
	for len(missing) > 0 {
		n := min(len(missing), specsAtOnce)
		if err := readSpecs(ctx, q, defs, missing[:n]); err != nil {
			return nil, err
		}
		missing = missing[n:]
	}
	return defs, nil
}

// specsAtOnce is how many specs readSpecs reads in one statement.
const specsAtOnce = 500

// readSpecs reads and decodes the specs of the definitions at addrs.
func readSpecs(ctx context.Context, q queryer, defs map[string]*Definition, addrs []string) error {
	query := `SELECT address, spec FROM definitions WHERE address IN (?` + strings.Repeat(", ?", len(addrs)-1) + `)`
	args := make([]any, len(addrs))
	for i, a := range addrs {
		args[i] = a
	}
	rows, err := q.QueryContext(ctx, query, args...)
	if err != nil {
		return err
	}
	defer rows.Close()
	found := 0
	for rows.Next() {
		var (
			addr string
			spec sql.RawBytes
		)
		if err := rows.Scan(&addr, &spec); err != nil {
			return err
		}
		d := defs[addr]
		if d == nil || d.Spec != nil {
			return fmt.Errorf("definition %s: spec read twice or without its row", addr)
		}
		if err := json.Unmarshal(spec, &d.Spec); err != nil {
			return fmt.Errorf("definition %s: spec: %w", addr, err)
		}
		if d.Spec == nil {
			d.Spec = map[string]string{}
		}
		found++
	}
	if err := rows.Err(); err != nil {
		return err
	}
	if found != len(addrs) {
		return fmt.Errorf("read %d of %d definition specs", found, len(addrs))
	}
	return nil
}

// readDefinitionsOf reads the stored definitions of one kind.
func readDefinitionsOf(ctx context.Context, q queryer, kind string) (map[string]*Definition, error) {
	return scanDefinitions(ctx, q, nil, selectDefinitionsOf, kind)
}

const selectDefinitionsOf = `SELECT kind, name, spec, hash, source_file, source_line, revision, updated_at
FROM definitions WHERE kind = ? ORDER BY address`

func scanDefinitions(ctx context.Context, q queryer, held map[string]*Definition, query string, args ...any) (map[string]*Definition, error) {
	rows, err := q.QueryContext(ctx, query, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	defs := map[string]*Definition{}
	for rows.Next() {
		d, err := scanDefinition(rows, held)
		if err != nil {
			return nil, err
		}
		defs[d.Address()] = d
	}
	return defs, rows.Err()
}

// scanDefinition reads one row of selectDefinitions; the spec is held's
// when held has a definition of the same hash at the address.
func scanDefinition(rows *sql.Rows, held map[string]*Definition) (*Definition, error) {
	var (
		d         Definition
		spec      sql.RawBytes // decoded before the next row
		updatedAt string
	)
	err := rows.Scan(&d.Kind, &d.Name, &spec, &d.Hash, &d.SourceFile, &d.SourceLine, &d.Revision, &updatedAt)
	if err != nil {
		return nil, err
	}
	if h := held[d.Address()]; h != nil && h.Hash == d.Hash && h.Spec != nil {
		d.Spec = h.Spec
	} else if err := json.Unmarshal(spec, &d.Spec); err != nil {
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

// ShadowResources names the resources that have any shadow, dead ones
// included: the identity impact skips reading the shadows of the others,
// one query per object type, in a configuration with many resources that
// have none yet. It reads the unique index (resource, kind, intent, key),
// as the shadow counts of a snapshot do.
func (s *Store) ShadowResources(ctx context.Context) (map[string]bool, error) {
	out := map[string]bool{}
	err := s.read(ctx, func(tx *sql.Tx) error {
		rows, err := tx.QueryContext(ctx, `SELECT DISTINCT resource FROM shadows`)
		if err != nil {
			return err
		}
		defer rows.Close()
		for rows.Next() {
			var r string
			if err := rows.Scan(&r); err != nil {
				return err
			}
			out[r] = true
		}
		return rows.Err()
	})
	if err != nil {
		return nil, s.fail("repository", err, "")
	}
	return out, nil
}
