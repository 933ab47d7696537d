package state

import (
	"bytes"
	"context"
	"database/sql/driver"
	"errors"
	"fmt"
	"strconv"
)

// A PostgreSQL store inserts the rows a RepositoryTx held back (new
// users, their correlation keys, new shadows) with COPY … FROM STDIN
// rather than multi-row INSERTs: COPY's rows are neither planned nor
// bound as parameters, and a transaction's rows of one table go in one
// statement however many there are. database/sql cannot run a COPY, so
// the transaction hands its rows to its own connection as the one
// argument of a statement whose text is pgCopyQuery, which pgConn runs
// as the COPY the argument names, on the same connection and so inside
// the transaction.

// pgCopyQuery is the text of the statement a pgConn runs as a COPY.
const pgCopyQuery = "-- syncline: COPY FROM STDIN"

// pgCopyIn is the argument of pgCopyQuery.
type pgCopyIn struct {
	stmt string // COPY table (columns) FROM STDIN
	data []byte // the rows, in COPY's text format
}

// copyIn runs the COPY that the one argument of pgCopyQuery names.
func (p *pgConn) copyIn(ctx context.Context, args []driver.NamedValue) (driver.Result, error) {
	var in *pgCopyIn
	if len(args) == 1 {
		in, _ = args[0].Value.(*pgCopyIn)
	}
	if in == nil {
		return nil, errors.New("a COPY needs its rows as its one argument")
	}
	tag, err := p.c.Conn().PgConn().CopyFrom(ctx, bytes.NewReader(in.data), in.stmt)
	if err != nil {
		return nil, err
	}
	return driver.RowsAffected(tag.RowsAffected()), nil
}

// appendCopyRows appends values, width to a row, in COPY's text format.
func appendCopyRows(b []byte, values []any, width int) ([]byte, error) {
	for i, v := range values {
		if i%width != 0 {
			b = append(b, '\t')
		}
		var err error
		if b, err = appendCopyValue(b, v); err != nil {
			return b, err
		}
		if i%width == width-1 {
			b = append(b, '\n')
		}
	}
	return b, nil
}

// appendCopyValue appends one column's value: the types the store's
// held rows hold, booleans as 0 and 1 (as pgConn passes them).
func appendCopyValue(b []byte, v any) ([]byte, error) {
	switch v := v.(type) {
	case nil:
		return append(b, `\N`...), nil
	case string:
		return appendCopyText(b, v), nil
	case int64:
		return strconv.AppendInt(b, v, 10), nil
	case int:
		return strconv.AppendInt(b, int64(v), 10), nil
	case bool:
		if v {
			return append(b, '1'), nil
		}
		return append(b, '0'), nil
	}
	return b, fmt.Errorf("a COPY cannot carry a value of type %T", v)
}

// copyEscapes are the characters COPY's text format gives a meaning,
// each with the letter that follows its backslash.
var copyEscapes = [256]byte{'\\': '\\', '\n': 'n', '\r': 'r', '\t': 't'}

// appendCopyText appends s with copyEscapes escaped.
func appendCopyText(b []byte, s string) []byte {
	start := 0
	for i := 0; i < len(s); i++ {
		if esc := copyEscapes[s[i]]; esc != 0 {
			b = append(append(b, s[start:i]...), '\\', esc)
			start = i + 1
		}
	}
	return append(b, s[start:]...)
}
