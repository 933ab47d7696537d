package report

import (
	"slices"
	"strings"
)

// table is what a source produces and a format renders: named columns,
// in order, and rows of cells by column name. A row holds every field of
// its source (empty or not) under the field's name and each attribute
// under "attributes.NAME"; a column that is neither a field nor an
// attribute the row has is an empty cell.
type table struct {
	columns []string
	// numeric columns are written as numbers where a format has them
	// (JSON); their cells are decimal integers.
	numeric map[string]bool
	rows    []map[string]string
}

// columnSet collects a source's default columns: its fields, in their
// order, then every attribute name seen, sorted.
type columnSet struct {
	fields []string
	attrs  map[string]bool
}

func newColumnSet(fields ...string) *columnSet {
	return &columnSet{fields: fields, attrs: map[string]bool{}}
}

// attribute records an attribute name for the default columns.
func (c *columnSet) attribute(name string) {
	c.attrs[attributeColumn(c.fields, name)] = true
}

// list returns the default columns.
func (c *columnSet) list() []string {
	attrs := make([]string, 0, len(c.attrs))
	for a := range c.attrs {
		attrs = append(attrs, a)
	}
	slices.Sort(attrs)
	return append(slices.Clone(c.fields), attrs...)
}

// attributeColumn is the default column of attribute name among fields:
// the bare name, or "attributes.NAME" when a field has that name (or the
// name starts with the prefix itself).
func attributeColumn(fields []string, name string) string {
	if slices.Contains(fields, name) || strings.HasPrefix(name, attributePrefix) {
		return attributePrefix + name
	}
	return name
}

// attributePrefix names an attribute column explicitly.
const attributePrefix = "attributes."

// selectColumns returns the columns to write: those the activity lists,
// else the defaults.
func selectColumns(listed []string, defaults []string) []string {
	if len(listed) > 0 {
		return listed
	}
	return defaults
}

// lookup returns the cell of column col in row: a field, or else the
// attribute col names, bare or as "attributes.NAME".
func lookup(row map[string]string, col string) string {
	if v, ok := row[col]; ok {
		return v
	}
	return row[attributePrefix+col]
}
