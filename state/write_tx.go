package state

import (
	"context"
	"database/sql"
	"errors"
	"time"
)

// writeTx is one write transaction: an apply, or a change to tasks and
// runs. Every statement goes through exec, query or queryRow, which run
// the store's test hook after it, so tests can fail a write at any
// statement and check that nothing of it remains.
type writeTx struct {
	ctx  context.Context
	tx   *sql.Tx
	now  time.Time
	hook func(stmt string) error
}

// writeTx runs fn in a write transaction (see write), committing when fn
// succeeds; now is the store's clock at the start.
func (s *Store) writeTx(ctx context.Context, fn func(*writeTx) error) error {
	return s.write(ctx, func(tx *sql.Tx) error {
		return fn(&writeTx{ctx: ctx, tx: tx, now: s.now(), hook: s.testHookAfterStatement})
	})
}

// rowTx runs fn in a write transaction that, on PostgreSQL, takes neither
// the store's write slot nor the schema's advisory lock, so it does not
// wait behind other writers' transactions: only for the single rows it
// writes. It is for a write of one row whose every other writer decides
// on that row's own columns in the same statement, so the row's lock is
// all the ordering it needs (a heartbeat). On SQLite, which has one
// writer at a time anyway, it is writeTx.
func (s *Store) rowTx(ctx context.Context, fn func(*writeTx) error) error {
	if s.dialect != dialectPostgres || s.readOnly {
		return s.writeTx(ctx, fn)
	}
	return s.inTx(ctx, nil, false, func(tx *sql.Tx) error {
		return fn(&writeTx{ctx: ctx, tx: tx, now: s.now(), hook: s.testHookAfterStatement})
	})
}

func (w *writeTx) exec(query string, args ...any) (sql.Result, error) {
	res, err := w.tx.ExecContext(w.ctx, query, args...)
	if err != nil {
		return nil, err
	}
	return res, w.afterStatement(query)
}

// queryRow runs a query expected to return at most one row and scans it
// into dest; it returns sql.ErrNoRows when there is none.
func (w *writeTx) queryRow(query string, args []any, dest ...any) error {
	err := w.tx.QueryRowContext(w.ctx, query, args...).Scan(dest...)
	if err != nil && !errors.Is(err, sql.ErrNoRows) {
		return err
	}
	if hookErr := w.afterStatement(query); hookErr != nil {
		return hookErr
	}
	return err
}

// queryRuns runs a query (often an UPDATE … RETURNING) whose rows are
// runs in runColumns order, and reads them all.
func (w *writeTx) queryRuns(query string, args ...any) ([]Run, error) {
	runs, err := queryRuns(w.ctx, w.tx, query, args...)
	if err != nil {
		return nil, err
	}
	return runs, w.afterStatement(query)
}

func (w *writeTx) afterStatement(query string) error {
	if w.hook == nil {
		return nil
	}
	return w.hook(query)
}
