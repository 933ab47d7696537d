package state

import (
	"context"
	"database/sql/driver"
	"errors"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/stdlib"
)

// The PostgreSQL store talks database/sql through pgx's stdlib adapter,
// so every method of the store is the same code on both engines. The
// adapter is wrapped once more here: each statement is rewritten for
// PostgreSQL (rewritePostgres), and Go booleans are passed as 0 or 1,
// which is how both schemas store them.

// pgConnector makes pgConns.
type pgConnector struct{ inner driver.Connector }

func newPGConnector(cfg *pgx.ConnConfig) driver.Connector {
	return pgConnector{inner: stdlib.GetConnector(*cfg)}
}

func (c pgConnector) Connect(ctx context.Context) (driver.Conn, error) {
	conn, err := c.inner.Connect(ctx)
	if err != nil {
		return nil, err
	}
	sc, ok := conn.(*stdlib.Conn)
	if !ok {
		_ = conn.Close()
		return nil, errors.New("pgx stdlib returned an unexpected connection type")
	}
	return &pgConn{c: sc}, nil
}

func (c pgConnector) Driver() driver.Driver { return c.inner.Driver() }

// pgConn is a stdlib.Conn whose statements are rewritten.
type pgConn struct{ c *stdlib.Conn }

var (
	_ driver.ConnPrepareContext = (*pgConn)(nil)
	_ driver.ConnBeginTx        = (*pgConn)(nil)
	_ driver.ExecerContext      = (*pgConn)(nil)
	_ driver.QueryerContext     = (*pgConn)(nil)
	_ driver.Pinger             = (*pgConn)(nil)
	_ driver.NamedValueChecker  = (*pgConn)(nil)
	_ driver.SessionResetter    = (*pgConn)(nil)
)

// pgx is the connection itself, for what database/sql cannot do (COPY).
func (p *pgConn) pgx() *pgx.Conn { return p.c.Conn() }

func (p *pgConn) Prepare(query string) (driver.Stmt, error) {
	return p.c.Prepare(rewritePostgres(query))
}

func (p *pgConn) PrepareContext(ctx context.Context, query string) (driver.Stmt, error) {
	return p.c.PrepareContext(ctx, rewritePostgres(query))
}

func (p *pgConn) Close() error { return p.c.Close() }

func (p *pgConn) Begin() (driver.Tx, error) { return p.c.Begin() } //nolint:staticcheck // driver.Conn requires it

func (p *pgConn) BeginTx(ctx context.Context, opts driver.TxOptions) (driver.Tx, error) {
	return p.c.BeginTx(ctx, opts)
}

func (p *pgConn) ExecContext(ctx context.Context, query string, args []driver.NamedValue) (driver.Result, error) {
	if query == pgCopyQuery {
		return p.copyIn(ctx, args)
	}
	return p.c.ExecContext(ctx, rewritePostgres(query), args)
}

func (p *pgConn) QueryContext(ctx context.Context, query string, args []driver.NamedValue) (driver.Rows, error) {
	return p.c.QueryContext(ctx, rewritePostgres(query), args)
}

func (p *pgConn) Ping(ctx context.Context) error { return p.c.Ping(ctx) }

func (p *pgConn) ResetSession(ctx context.Context) error { return p.c.ResetSession(ctx) }

// CheckNamedValue passes booleans as 0 and 1 (the schemas keep flags in
// integer columns) and everything else as pgx takes it.
func (p *pgConn) CheckNamedValue(nv *driver.NamedValue) error {
	if b, ok := nv.Value.(bool); ok {
		nv.Value = int64(0)
		if b {
			nv.Value = int64(1)
		}
	}
	return nil
}
