package state

import (
	"context"
	"database/sql"
	"errors"
	"time"
)

// applyTx is one apply's transaction. Every statement goes through exec
// or queryRow, which run the store's test hook after it.
type applyTx struct {
	ctx  context.Context
	tx   *sql.Tx
	now  time.Time
	hook func(stmt string) error
}

func (a *applyTx) exec(query string, args ...any) (sql.Result, error) {
	res, err := a.tx.ExecContext(a.ctx, query, args...)
	if err != nil {
		return nil, err
	}
	return res, a.afterStatement(query)
}

// queryRow runs a query expected to return at most one row and scans it
// into dest; it returns sql.ErrNoRows when there is none.
func (a *applyTx) queryRow(query string, args []any, dest ...any) error {
	err := a.tx.QueryRowContext(a.ctx, query, args...).Scan(dest...)
	if err != nil && !errors.Is(err, sql.ErrNoRows) {
		return err
	}
	if hookErr := a.afterStatement(query); hookErr != nil {
		return hookErr
	}
	return err
}

func (a *applyTx) afterStatement(query string) error {
	if a.hook == nil {
		return nil
	}
	return a.hook(query)
}
