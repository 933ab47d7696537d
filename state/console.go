package state

import (
	"context"
	"database/sql"
	"strings"
)

// RunPageFilter selects one page of runs for the console: by task, states
// and trigger (each "" or empty for all), newest first.
type RunPageFilter struct {
	Task    string
	State   []RunState
	Trigger Trigger
	Offset  int
	Limit   int // <= 0: no limit
}

// RunPage returns the runs f selects, newest (highest ID) first, and how
// many runs match in all; it only reads.
func (s *Store) RunPage(ctx context.Context, f RunPageFilter) ([]Run, int, error) {
	var (
		where []string
		args  []any
	)
	if f.Task != "" {
		where, args = append(where, "task = ?"), append(args, f.Task)
	}
	if f.Trigger != "" {
		where, args = append(where, `"trigger" = ?`), append(args, f.Trigger)
	}
	if len(f.State) > 0 {
		where = append(where, "state IN (?"+strings.Repeat(", ?", len(f.State)-1)+")")
		for _, st := range f.State {
			args = append(args, st)
		}
	}
	cond := ""
	if len(where) > 0 {
		cond = " WHERE " + strings.Join(where, " AND ")
	}
	limit := f.Limit
	if limit <= 0 {
		limit = noLimit
	}
	var (
		runs  []Run
		total int
	)
	err := s.read(ctx, func(tx *sql.Tx) error {
		if err := tx.QueryRowContext(ctx, `SELECT count(*) FROM runs`+cond, args...).Scan(&total); err != nil {
			return err
		}
		var err error
		runs, err = queryRuns(ctx, tx, `SELECT `+runColumns+` FROM runs`+cond+` ORDER BY id DESC LIMIT ? OFFSET ?`,
			append(args, limit, max(f.Offset, 0))...)
		return err
	})
	if err != nil {
		return nil, 0, s.fail("runs", err, "")
	}
	return runs, total, nil
}

// Definitions returns the applied definitions by address, without the
// rest of a Snapshot (no secret key, no shadow counts).
func (s *Store) Definitions(ctx context.Context) (map[string]*Definition, error) {
	return s.DefinitionsOfKind(ctx, "")
}

// DefinitionsOfKind is Definitions of one kind ("resource", "schedule",
// "task"); "" reads every kind. A plan's impact needs the resources
// alone, and ten thousand tasks decoded for nothing cost it a fifth of
// its time.
func (s *Store) DefinitionsOfKind(ctx context.Context, kind string) (map[string]*Definition, error) {
	var defs map[string]*Definition
	err := s.read(ctx, func(tx *sql.Tx) error {
		var err error
		if kind == "" {
			defs, err = readDefinitions(ctx, tx, nil)
		} else {
			defs, err = readDefinitionsOf(ctx, tx, kind)
		}
		return err
	})
	if err != nil {
		return nil, s.fail("definitions", err, "")
	}
	return defs, nil
}
