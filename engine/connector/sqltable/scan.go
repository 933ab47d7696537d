package sqltable

import (
	"database/sql"
	"fmt"
	"strings"
	"unicode/utf8"

	"github.com/syncline/syncline/engine/connector"
)

// selectList is the quoted attribute columns, comma-separated.
func (c *Connector) selectList() string {
	names := make([]string, len(c.attrs))
	for i, col := range c.attrs {
		names[i] = c.d.quote(col.name)
	}
	return strings.Join(names, ", ")
}

// scanned is one row read: its object, or the row's error, and its key
// (which paging needs either way).
type scanned struct {
	obj connector.Object
	key string
	err error
}

// rowScanner reads attribute rows; its scan destinations are reused from
// row to row, the values copied out.
type rowScanner struct {
	c    *Connector
	op   string
	vals []sql.NullString
	dest []any
}

// newScanner returns a scanner for rows that have extra columns (the
// change column) before the attribute columns.
func (c *Connector) newScanner(op string, extra ...any) *rowScanner {
	sc := &rowScanner{c: c, op: op, vals: make([]sql.NullString, len(c.attrs))}
	sc.dest = append(sc.dest, extra...)
	for i := range sc.vals {
		sc.dest = append(sc.dest, &sc.vals[i])
	}
	return sc
}

// scan reads the current row.
func (sc *rowScanner) scan(rows *sql.Rows) (scanned, error) {
	if err := rows.Scan(sc.dest...); err != nil {
		return scanned{}, err
	}
	c := sc.c
	key := sc.vals[c.key].String
	s := scanned{key: key, obj: connector.Object{ID: key, Attributes: make(connector.Attributes, len(c.attrs))}}
	strs := make([]string, len(c.attrs)) // one backing array for the values
	for i, col := range c.attrs {
		v := sc.vals[i]
		if !utf8.ValidString(v.String) {
			s.err = c.errs.Object(connector.ErrInvalidObject, sc.op, strings.ToValidUTF8(key, "\uFFFD"),
				fmt.Errorf("column %q holds bytes that are not UTF-8 text", col.name), "Map only text columns; leave binary ones out of the columns setting.")
			return s, nil
		}
		if v.String == "" {
			s.obj.Attributes[col.name] = nil
			continue
		}
		strs[i] = v.String
		s.obj.Attributes[col.name] = strs[i : i+1 : i+1]
	}
	return s, nil
}
