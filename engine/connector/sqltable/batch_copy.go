package sqltable

import (
	"bytes"
	"fmt"
	"strings"

	"github.com/jackc/pgx/v5/stdlib"
)

// copyMinRows is the fewest rows a PostgreSQL create group is written
// with COPY rather than a multi-row INSERT. It is a judgement, not a
// measurement: COPY pays a round trip of its own, which a few rows do not
// earn back; and the halves a refused batch is split into, down to the row
// at fault, end up as INSERTs, the path that has always reported one bad
// row as its own.
const copyMinRows = 32

// copyRows writes rows of the quoted columns names into the table with
// COPY FROM STDIN in text format, on the connection that holds the
// batch's transaction, so that the rows are part of it. Every value is
// sent as text and read by the column type's input function, as a
// parameter of an INSERT is.
func (b *batch) copyRows(names []string, rows [][]any) error {
	data := encodeCopyText(rows)
	query := fmt.Sprintf("COPY %s (%s) FROM STDIN", b.c.table, strings.Join(names, ", "))
	return b.conn.Raw(func(dc any) error {
		pc, ok := dc.(*stdlib.Conn)
		if !ok {
			return fmt.Errorf("COPY needs a pgx connection, not %T", dc)
		}
		tag, err := pc.Conn().PgConn().CopyFrom(b.ctx, bytes.NewReader(data), query)
		if err == nil && tag.RowsAffected() != int64(len(rows)) {
			err = fmt.Errorf("COPY wrote %d rows, not %d", tag.RowsAffected(), len(rows))
		}
		return err
	})
}

// encodeCopyText encodes rows in COPY's text format: a line per row,
// values separated by tabs, NULL as \N, and backslash, tab, newline and
// carriage return escaped.
func encodeCopyText(rows [][]any) []byte {
	var buf bytes.Buffer
	for _, row := range rows {
		for j, v := range row {
			if j > 0 {
				buf.WriteByte('\t')
			}
			s, ok := v.(string)
			if !ok { // nil: createValues gives strings or nil
				buf.WriteString(`\N`)
				continue
			}
			copyEscaper.WriteString(&buf, s)
		}
		buf.WriteByte('\n')
	}
	return buf.Bytes()
}

var copyEscaper = strings.NewReplacer(`\`, `\\`, "\t", `\t`, "\n", `\n`, "\r", `\r`)

// usesCopy reports whether a group of n creates goes by COPY.
func (b *batch) usesCopy(n int) bool {
	return b.c.cfg.Driver == Postgres && b.conn != nil && n >= copyMinRows
}
