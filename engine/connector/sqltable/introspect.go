package sqltable

import (
	"context"
	"fmt"
	"slices"
	"strings"

	"github.com/agext/levenshtein"
	"github.com/syncline/syncline/engine/connector"
)

// resolve reads the table's columns and checks the key, the columns
// setting and the change column against them.
func (c *Connector) resolve(ctx context.Context) error {
	c.schema = c.cfg.Schema
	if c.schema == "" {
		s, err := c.d.defaultSchema(ctx, c.db)
		if err != nil {
			return c.fail("open", "", err)
		}
		c.schema = s
	}
	c.table = c.d.quote(c.schema) + "." + c.d.quote(c.cfg.Table)
	// Until create_table creates the table, keys match as in the table it
	// would create.
	c.match.Store(uint32(c.d.createdKeyRule()))
	if c.noFile { // create_table: a new SQLite file has no tables
		c.missing.Store(true)
		return nil
	}
	cols, err := c.d.columns(ctx, c.db, c.schema, c.cfg.Table)
	if err != nil {
		return c.fail("open", "", err)
	}
	if len(cols) == 0 && c.cfg.CreateTable {
		c.missing.Store(true) // created on first need: see ensureTable
		return nil
	}
	if len(cols) == 0 {
		return c.missingTable(ctx)
	}
	if err := c.pickColumns("open", cols); err != nil {
		return err
	}
	return c.readKeyRule(ctx, "open")
}

// missingTable reports a table that does not exist, with the nearest name.
func (c *Connector) missingTable(ctx context.Context) error {
	tables, err := c.d.tables(ctx, c.db, c.schema)
	if err != nil {
		return c.fail("open", "", err)
	}
	hint := fmt.Sprintf("Create the table, or correct the table setting. The schema %q has %d tables.", c.schema, len(tables))
	if s := nearest(c.cfg.Table, tables); s != "" {
		hint = fmt.Sprintf("Did you mean %q?", s)
	}
	return c.errs.New(connector.ErrSchema, "open", fmt.Errorf("table %s does not exist", c.table), hint)
}

// pickColumns chooses the attribute columns and finds the key and the
// change column among the table's columns; op names the operation for
// errors.
func (c *Connector) pickColumns(op string, cols []column) error {
	c.attrs, c.change = nil, nil
	byName := func(setting, name string) (column, error) {
		i := slices.IndexFunc(cols, func(col column) bool { return col.name == name })
		if i < 0 {
			return column{}, c.missingColumn(op, setting, name, cols)
		}
		return cols[i], nil
	}
	if _, err := byName("key", c.cfg.Key); err != nil {
		return err
	}
	want := c.cfg.Columns
	if want == nil {
		for _, col := range cols {
			want = append(want, col.name)
		}
	}
	if !slices.Contains(want, c.cfg.Key) {
		want = append([]string{c.cfg.Key}, want...)
	}
	for _, name := range want {
		if slices.ContainsFunc(c.attrs, func(col column) bool { return col.name == name }) {
			continue // listed twice
		}
		col, err := byName("columns", name)
		if err != nil {
			return err
		}
		c.attrs = append(c.attrs, col)
	}
	c.key = slices.IndexFunc(c.attrs, func(col column) bool { return col.name == c.cfg.Key })
	if c.cfg.ChangeColumn != "" {
		col, err := byName("change_column", c.cfg.ChangeColumn)
		if err != nil {
			return err
		}
		c.change = &col
	}
	return nil
}

// missingColumn reports a column the settings name that the table lacks.
func (c *Connector) missingColumn(op, setting, name string, cols []column) error {
	names := make([]string, len(cols))
	for i, col := range cols {
		names[i] = col.name
	}
	hint := fmt.Sprintf("The table's columns are %s.", strings.Join(quoteAll(names), ", "))
	if s := nearest(name, names); s != "" {
		hint = fmt.Sprintf("Did you mean %q? ", s) + hint
	}
	return c.errs.New(connector.ErrSchema, op, fmt.Errorf("the %s setting names column %q, which table %s does not have", setting, name, c.table), hint)
}

// nearest returns the candidate closest to name: one equal but for case,
// else one within a few edits; "" when none is close.
func nearest(name string, candidates []string) string {
	best, bestDist := "", len(name)/3+2
	for _, cand := range candidates {
		if strings.EqualFold(cand, name) {
			return cand
		}
		if d := levenshtein.Distance(name, cand, nil); d < bestDist {
			best, bestDist = cand, d
		}
	}
	return best
}

func quoteAll(names []string) []string {
	out := make([]string, len(names))
	for i, n := range names {
		out[i] = fmt.Sprintf("%q", n)
	}
	return out
}
