package sqltable

import (
	"encoding/json"
	"fmt"
	"slices"
	"strings"
	"unicode/utf8"
)

// minGroupedUpdates is the fewest updates of the same columns PostgreSQL
// writes with one statement; fewer go one UPDATE a row.
const minGroupedUpdates = 4

// groupedUpdate is one row of a grouped UPDATE: its key and the values of
// the group's columns.
type groupedUpdate struct {
	id   string
	args []any
}

// groupable reports whether an update of the quoted columns names to
// args may be part of a grouped UPDATE: on PostgreSQL, every column of a
// type whose input function reads the value as an INSERT's parameter
// would be read (see groupedTypes), every value valid UTF-8 (JSON could
// not carry it unchanged).
func (b *batch) groupable(names []string, args []any) bool {
	if b.c.cfg.Driver != Postgres {
		return false
	}
	for j, n := range names {
		col, ok := b.column(n)
		if !ok || !groupedTypes[col.typ] && col.baseType != "citext" {
			return false
		}
		if s, ok := args[j].(string); ok && !utf8.ValidString(s) {
			return false
		}
	}
	return true
}

// groupedTypes are the PostgreSQL types (information_schema's data_type)
// json_populate_recordset reads from a JSON string with the type's input
// function, as a text parameter is read: not json, jsonb, arrays or
// composite types, which it would read as JSON.
var groupedTypes = map[string]bool{
	"text": true, "character varying": true, "character": true,
	"smallint": true, "integer": true, "bigint": true, "numeric": true, "real": true, "double precision": true,
	"boolean": true, "uuid": true, "date": true,
	"timestamp without time zone": true, "timestamp with time zone": true,
}

// column returns the column whose quoted name is quoted.
func (b *batch) column(quoted string) (column, bool) {
	i := slices.IndexFunc(b.c.attrs, func(col column) bool { return b.cols[col.name] == quoted })
	if i < 0 {
		return column{}, false
	}
	return b.c.attrs[i], true
}

// updateGroup writes rows, updates of the same quoted columns names, with
// one UPDATE … FROM json_populate_recordset: the values travel as one JSON
// array of records of the table's row type, each read by its column's
// input function.
func (b *batch) updateGroup(names []string, rows []groupedUpdate) error {
	c := b.c
	key := c.attrs[c.key].name
	raw := make([]string, len(names))
	sets := make([]string, len(names))
	for j, n := range names {
		col, _ := b.column(n)
		raw[j], sets[j] = col.name, n+" = v."+n
	}
	for chunk := range slices.Chunk(rows, maxInsertRows) {
		recs := make([]map[string]any, len(chunk))
		for r, u := range chunk {
			rec := map[string]any{key: u.id}
			for j, name := range raw {
				rec[name] = u.args[j]
			}
			recs[r] = rec
		}
		data, err := json.Marshal(recs)
		if err != nil {
			return err
		}
		query := fmt.Sprintf("UPDATE %s AS t SET %s FROM json_populate_recordset(NULL::%s, $1::json) AS v WHERE t.%s = v.%s",
			c.table, strings.Join(sets, ", "), c.table, c.keyColumn(), c.keyColumn())
		res, err := b.tx.ExecContext(b.ctx, query, string(data))
		if err != nil {
			return err
		}
		if n, err := res.RowsAffected(); err == nil && n != int64(len(chunk)) {
			return fmt.Errorf("a grouped UPDATE of %d rows changed %d", len(chunk), n)
		}
	}
	return nil
}
