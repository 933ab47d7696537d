package sqltable

import (
	"fmt"
	"slices"
	"strings"

	"github.com/syncline/syncline/engine/connector"
)

// maxParams is the most parameters one statement binds: SQLite's limit
// (32,766 since 3.32); PostgreSQL and MySQL take 65,535.
const maxParams = 32_766

// maxInsertRows bounds the rows of one multi-row INSERT.
const maxInsertRows = 1_000

// segment is a run of creates, updates and deletes of a batch, each on a
// key no other of them names; it goes to the database together.
type segment struct {
	keys                     map[string]bool // MatchKey of every key named
	creates, updates, delete []int           // indexes into the batch
}

func newSegment() *segment { return &segment{keys: map[string]bool{}} }

// names reports whether op names a key the segment names already.
func (s *segment) names(c *Connector, op connector.Operation) bool {
	return s.keys[c.MatchKey(op.Target())]
}

func (s *segment) add(c *Connector, i int, op connector.Operation) {
	s.keys[c.MatchKey(op.Target())] = true
	switch op.Kind {
	case connector.OpCreate:
		s.creates = append(s.creates, i)
	case connector.OpUpdate:
		s.updates = append(s.updates, i)
	case connector.OpDelete:
		s.delete = append(s.delete, i)
	}
}

// flush writes a segment: it locks and reads every row the segment names
// in one SELECT (a chunk of keys at a time), checks each operation
// against them, and writes what passes.
func (b *batch) flush(s *segment, ops []connector.Operation, errs []error) error {
	n := len(s.creates) + len(s.updates) + len(s.delete)
	if n == 0 {
		return nil
	}
	ids := make([]string, 0, n)
	for _, list := range [][]int{s.creates, s.updates, s.delete} {
		for _, i := range list {
			ids = append(ids, ops[i].Target())
		}
	}
	rows, err := b.lockRows(ids)
	if err != nil {
		return err
	}
	if err := b.creates(s.creates, ops, errs, rows); err != nil {
		return err
	}
	if err := b.deletes(s.delete, ops, errs, rows); err != nil {
		return err
	}
	return b.updates(s.updates, ops, errs, rows)
}

// lockRows reads and locks the rows keyed ids, by MatchKey.
func (b *batch) lockRows(ids []string) (map[string][]scanned, error) {
	c := b.c
	out := make(map[string][]scanned, len(ids))
	sc := c.newScanner("batch")
	for chunk := range slices.Chunk(ids, maxParams) {
		query := fmt.Sprintf("SELECT %s FROM %s WHERE %s IN (%s)%s", c.selectList(), c.table, c.keyColumn(), c.placeholders(1, len(chunk)), c.d.forUpdate())
		rows, err := b.tx.QueryContext(b.ctx, query, anys(chunk)...)
		if err != nil {
			return nil, err
		}
		for rows.Next() {
			s, err := sc.scan(rows)
			if err != nil {
				rows.Close()
				return nil, err
			}
			mk := c.MatchKey(s.key)
			out[mk] = append(out[mk], s)
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return nil, err
		}
	}
	return out, nil
}

// creates inserts the objects whose key no row has, as multi-row INSERTs
// of the objects that set the same columns.
func (b *batch) creates(list []int, ops []connector.Operation, errs []error, rows map[string][]scanned) error {
	c := b.c
	groups := map[string][][]any{}
	var order []string
	cols := map[string][]string{}
	for _, i := range list {
		obj := ops[i].Object
		if len(rows[c.MatchKey(obj.ID)]) > 0 {
			errs[i] = c.errs.Object(connector.ErrAlreadyExists, "create", obj.ID, nil, "")
			continue
		}
		names, args, err := c.createValues(b.cols, obj)
		if err != nil {
			errs[i] = err
			continue
		}
		sig := strings.Join(names, ",")
		if _, ok := groups[sig]; !ok {
			order = append(order, sig)
			cols[sig] = names
		}
		groups[sig] = append(groups[sig], args)
	}
	for _, sig := range order {
		if b.usesCopy(len(groups[sig])) {
			if err := b.copyRows(cols[sig], groups[sig]); err != nil {
				return err
			}
			continue
		}
		per := max(1, min(maxInsertRows, maxParams/len(cols[sig])))
		for chunk := range slices.Chunk(groups[sig], per) {
			var args []any
			for _, a := range chunk {
				args = append(args, a...)
			}
			if _, err := b.tx.ExecContext(b.ctx, c.insertRows(cols[sig], len(chunk)), args...); err != nil {
				return err
			}
		}
	}
	return nil
}

// deletes removes the rows of the deletes whose key is on exactly one row.
func (b *batch) deletes(list []int, ops []connector.Operation, errs []error, rows map[string][]scanned) error {
	c := b.c
	var ids []string
	for _, i := range list {
		id := ops[i].ID
		if err := c.one("delete", id, len(rows[c.MatchKey(id)])); err != nil {
			errs[i] = err
			continue
		}
		ids = append(ids, id)
	}
	for chunk := range slices.Chunk(ids, maxParams) {
		query := fmt.Sprintf("DELETE FROM %s WHERE %s IN (%s)", c.table, c.keyColumn(), c.placeholders(1, len(chunk)))
		if _, err := b.tx.ExecContext(b.ctx, query, anys(chunk)...); err != nil {
			return err
		}
	}
	return nil
}

// updates writes each update's changed columns to its row, read by
// lockRows: on PostgreSQL, updates of the same columns together
// (updateGroup), the others one statement a row.
func (b *batch) updates(list []int, ops []connector.Operation, errs []error, rows map[string][]scanned) error {
	c := b.c
	groups := map[string][]groupedUpdate{}
	var order [][]string
	for _, i := range list {
		id := ops[i].ID
		found := rows[c.MatchKey(id)]
		if err := c.one("update", id, len(found)); err != nil {
			errs[i] = err
			continue
		}
		if found[0].err != nil {
			errs[i] = found[0].err
			continue
		}
		names, args, err := c.updateValues(b.cols, id, found[0].obj.Attributes, ops[i].Mods)
		if err != nil {
			errs[i] = err
			continue
		}
		if len(names) == 0 {
			continue
		}
		if b.groupable(names, args) {
			sig := strings.Join(names, ",")
			if _, ok := groups[sig]; !ok {
				order = append(order, names)
			}
			groups[sig] = append(groups[sig], groupedUpdate{id: id, args: args})
			continue
		}
		if err := b.updateRow(names, id, args); err != nil {
			return err
		}
	}
	for _, names := range order {
		group := groups[strings.Join(names, ",")]
		if len(group) >= minGroupedUpdates {
			if err := b.updateGroup(names, group); err != nil {
				return err
			}
			continue
		}
		for _, u := range group {
			if err := b.updateRow(names, u.id, u.args); err != nil {
				return err
			}
		}
	}
	return nil
}

// updateRow writes one update's columns.
func (b *batch) updateRow(names []string, id string, args []any) error {
	if _, err := b.tx.ExecContext(b.ctx, b.c.updateStatement(names), append(args, id)...); err != nil {
		b.at = id
		return err
	}
	return nil
}

// insertRows is a multi-row INSERT of n rows of names.
func (c *Connector) insertRows(names []string, n int) string {
	var sb strings.Builder
	fmt.Fprintf(&sb, "INSERT INTO %s (%s) VALUES ", c.table, strings.Join(names, ", "))
	for r := range n {
		if r > 0 {
			sb.WriteString(", ")
		}
		sb.WriteString("(")
		sb.WriteString(c.placeholders(r*len(names)+1, len(names)))
		sb.WriteString(")")
	}
	return sb.String()
}

// placeholders is n parameters from the from-th, comma-separated.
func (c *Connector) placeholders(from, n int) string {
	ph := make([]string, n)
	for i := range ph {
		ph[i] = c.d.placeholder(from + i)
	}
	return strings.Join(ph, ", ")
}

func anys(ss []string) []any {
	out := make([]any, len(ss))
	for i, s := range ss {
		out[i] = s
	}
	return out
}
