package csvfile

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"unicode/utf8"

	"github.com/syncline/syncline/engine/connector"
)

// Create appends a row for obj. Columns obj leaves out are empty.
func (c *Connector) Create(ctx context.Context, obj connector.Object) error {
	if err := c.checkNewID("create", obj); err != nil {
		return err
	}
	return c.rewrite(ctx, edit{op: "create", id: obj.ID, add: func(rr *rowReader) ([]string, error) {
		attrs := obj.Attributes.Clone()
		attrs[c.cfg.Identifier] = []string{obj.ID}
		return c.encode("create", obj.ID, rr.columns, attrs)
	}})
}

// checkNewID checks the identifier of an object to create.
func (c *Connector) checkNewID(op string, obj connector.Object) error {
	if obj.ID == "" {
		return c.errs.New(connector.ErrInvalidObject, op, fmt.Errorf("the object has no identifier"), "")
	}
	if vs := connector.Values(obj.Attributes[c.cfg.Identifier]...); len(vs) > 0 && !slices.Equal(vs, []string{obj.ID}) {
		return c.errs.Object(connector.ErrInvalidObject, op, obj.ID,
			fmt.Errorf("the identifier attribute %q holds %q, not the object's identifier", c.cfg.Identifier, vs), "")
	}
	return nil
}

// Update rewrites the row with identifier id with mods applied.
func (c *Connector) Update(ctx context.Context, id string, mods []connector.Modification) error {
	return c.rewrite(ctx, edit{op: "update", id: id, replace: func(rr *rowReader, rw row) ([]string, error) {
		next, err := rr.object(rw).Attributes.Apply(mods, c.cfg.MultivalueDelimiter != 0)
		if err != nil {
			return nil, c.errs.Object(connector.ErrInvalidObject, "update", id, err, "")
		}
		if vs := next[c.cfg.Identifier]; !slices.Equal(vs, []string{id}) {
			return nil, c.errs.Object(connector.ErrInvalidObject, "update", id,
				fmt.Errorf("the identifier attribute %q cannot change", c.cfg.Identifier), "To rename an object, delete it and create it anew.")
		}
		return c.encode("update", id, rr.columns, next)
	}})
}

// Rename gives the row with identifier id the identifier newID, keeping
// its other fields; a row that has newID already is ErrAlreadyExists and
// the file is left as it was.
func (c *Connector) Rename(ctx context.Context, id, newID string) error {
	if newID == "" {
		return c.errs.Object(connector.ErrInvalidObject, "rename", id, fmt.Errorf("the new identifier is empty"), "")
	}
	return c.rewrite(ctx, edit{op: "rename", id: id, taken: newID, replace: func(rr *rowReader, rw row) ([]string, error) {
		next := rr.object(rw).Attributes.Clone()
		next[c.cfg.Identifier] = []string{newID}
		return c.encode("rename", id, rr.columns, next)
	}})
}

// Delete removes the row with identifier id.
func (c *Connector) Delete(ctx context.Context, id string) error {
	return c.rewrite(ctx, edit{op: "delete", id: id, replace: func(*rowReader, row) ([]string, error) {
		return nil, nil
	}})
}

// encode turns attributes into a record in the file's column order.
func (c *Connector) encode(op, id string, columns []string, attrs connector.Attributes) ([]string, error) {
	for _, name := range attrs.Names() {
		if !slices.Contains(columns, name) {
			return nil, c.errs.Object(connector.ErrInvalidObject, op, id, fmt.Errorf("unknown attribute %q", name),
				fmt.Sprintf("The file's columns are %s; syncline does not add columns.", quoteList(columns, 20)))
		}
	}
	rec := make([]string, len(columns))
	for i, col := range columns {
		field, err := c.join(col, connector.Values(attrs[col]...))
		if err != nil {
			return nil, c.errs.Object(connector.ErrInvalidObject, op, id, err, "")
		}
		rec[i] = field
	}
	return rec, nil
}

// join turns the values of an attribute into one field.
func (c *Connector) join(name string, values []string) (string, error) {
	m := c.cfg.MultivalueDelimiter
	for _, v := range values {
		switch {
		case !utf8.ValidString(v):
			return "", fmt.Errorf("attribute %q: a value is not valid UTF-8", name)
		case m != 0 && strings.ContainsRune(v, m):
			return "", fmt.Errorf("attribute %q: the value %q contains the multivalue delimiter %q", name, v, m)
		}
	}
	switch {
	case len(values) > 1 && m == 0:
		return "", fmt.Errorf("attribute %q is single-valued and cannot hold %d values (set multivalue_delimiter for several)", name, len(values))
	case len(values) == 1:
		return values[0], nil
	}
	return strings.Join(values, string(m)), nil
}
