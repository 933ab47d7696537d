package state

import (
	"context"
	"database/sql"
	"database/sql/driver"
	"errors"
	"fmt"
)

// rawStmts run a SQLite session's statements built at run time — the
// multi-row inserts of held rows and the outcomes' updates — on the
// driver's connection (sql.Conn.Raw) with statements prepared there and
// one argument slice reused. Through database/sql each of them had its
// arguments converted into a new []driver.NamedValue (up to 1,024
// values a statement): a quarter of what an import allocated, and half
// a second of its committer at 1,000,000 rows.
//
// They run on the connection the session's transaction holds, so inside
// that transaction, as the statements of database/sql did; the driver
// sees the same statements, values and errors.
type rawStmts struct {
	conn    *sql.Conn
	byQuery map[string]driver.Stmt
	args    []driver.NamedValue
}

// maxRawStmts bounds the statements a session keeps on the driver: a
// multi-row statement's text differs with its number of rows. A
// statement beyond them is prepared for one run.
const maxRawStmts = 128

// errTxEnded is the error of a statement that would have run after the
// transaction it belongs to ended (its context was cancelled, and
// database/sql rolled it back): on the driver it would run alone, outside
// any transaction.
var errTxEnded = errors.New("the transaction has ended")

// exec runs query with args on the session's connection, inside the
// transaction txCtx began; ctx runs the statement.
func (k *rawStmts) exec(txCtx, ctx context.Context, query string, args []any) (res driver.Result, err error) {
	err = k.conn.Raw(func(dc any) error {
		// database/sql rolls the transaction back, holding the
		// connection, once txCtx is done, and only then: checked while
		// holding it, the transaction is still open.
		if err := txCtx.Err(); err != nil {
			return fmt.Errorf("%w: %w", errTxEnded, err)
		}
		st, once, err := k.stmt(ctx, dc, query)
		if err != nil {
			return err
		}
		if once {
			defer func() { _ = st.Close() }()
		}
		nv := k.args[:0]
		for i, a := range args {
			v, err := driverValue(a)
			if err != nil {
				clear(nv)
				k.args = nv[:0]
				return fmt.Errorf("sql: converting argument $%d type: %w", i+1, err)
			}
			nv = append(nv, driver.NamedValue{Ordinal: i + 1, Value: v})
		}
		res, err = st.(driver.StmtExecContext).ExecContext(ctx, nv)
		clear(nv)
		k.args = nv[:0]
		return err
	})
	return res, err
}

// stmt returns the driver's statement of query, prepared on dc; once is
// set for one beyond maxRawStmts, which the caller closes after its run.
func (k *rawStmts) stmt(ctx context.Context, dc any, query string) (st driver.Stmt, once bool, err error) {
	if st := k.byQuery[query]; st != nil {
		return st, false, nil
	}
	st, err = dc.(driver.ConnPrepareContext).PrepareContext(ctx, query)
	if err != nil {
		return nil, false, err
	}
	if len(k.byQuery) >= maxRawStmts {
		return st, true, nil
	}
	if k.byQuery == nil {
		k.byQuery = map[string]driver.Stmt{}
	}
	k.byQuery[query] = st
	return st, false, nil
}

// close closes the statements (none on a nil k); the connection stays
// open.
func (k *rawStmts) close() {
	if k == nil || len(k.byQuery) == 0 {
		return
	}
	_ = k.conn.Raw(func(any) error {
		for _, st := range k.byQuery {
			_ = st.Close()
		}
		return nil
	})
	k.byQuery = nil
}

// driverValue is v as database/sql hands it to the SQLite driver, which
// checks no values of its own: driver.DefaultParameterConverter's value.
// The types of the session's statements are converted without it.
func driverValue(v any) (driver.Value, error) {
	switch x := v.(type) {
	case nil, string, int64, bool, float64:
		return x, nil
	case int:
		return int64(x), nil
	}
	return driver.DefaultParameterConverter.ConvertValue(v)
}
