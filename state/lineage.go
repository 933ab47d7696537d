package state

import (
	"context"
	"database/sql"
	"errors"
	"strconv"

	"github.com/google/uuid"
)

// Init gives the store a lineage — a random UUID naming this state for
// its whole life — unless it has one. It reports the lineage and whether
// it was created now.
func (s *Store) Init(ctx context.Context) (lineage string, created bool, err error) {
	err = s.write(ctx, func(tx *sql.Tx) error {
		lineage, created, err = ensureLineage(ctx, tx)
		return err
	})
	if err != nil {
		return "", false, s.fail("init", err, "")
	}
	return lineage, created, nil
}

func ensureLineage(ctx context.Context, tx *sql.Tx) (string, bool, error) {
	lineage, err := readLineage(ctx, tx)
	if err != nil || lineage != "" {
		return lineage, false, err
	}
	lineage = uuid.NewString()
	_, err = tx.ExecContext(ctx, `INSERT INTO meta (key, value) VALUES ('lineage', ?)`, lineage)
	return lineage, err == nil, err
}

// readLineage returns "" when the store has no lineage yet.
func readLineage(ctx context.Context, q queryer) (string, error) {
	var lineage string
	err := q.QueryRowContext(ctx, `SELECT value FROM meta WHERE key = 'lineage'`).Scan(&lineage)
	if errors.Is(err, sql.ErrNoRows) {
		return "", nil
	}
	return lineage, err
}

func readSerial(ctx context.Context, q queryer) (int64, error) {
	var text string
	if err := q.QueryRowContext(ctx, `SELECT value FROM meta WHERE key = 'serial'`).Scan(&text); err != nil {
		return 0, err
	}
	return strconv.ParseInt(text, 10, 64)
}

// Serial returns the store's serial, the count of applies that changed
// definitions; runtime changes (suspending a task, runs) never move it. It
// is one cheap read: a long-running scheduler polls it to notice applies
// made by other processes.
func (s *Store) Serial(ctx context.Context) (int64, error) {
	serial, err := readSerial(ctx, s.db)
	if err != nil {
		return 0, s.fail("serial", err, "")
	}
	return serial, nil
}
