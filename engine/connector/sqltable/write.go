package sqltable

import (
	"context"
	"database/sql"
	"fmt"
	"slices"
	"strings"

	"github.com/syncline/syncline/engine/connector"
)

// Create inserts a row for obj. Columns obj leaves out get the table's
// defaults; attributes with no values are NULL. Create, Update and Delete
// first create a table that create_table has yet to create.
func (c *Connector) Create(ctx context.Context, obj connector.Object) error {
	if obj.ID == "" {
		return c.errs.New(connector.ErrInvalidObject, "create", fmt.Errorf("the object has no identifier"), "")
	}
	if _, err := c.ensureTable(ctx, "create", true); err != nil {
		return err
	}
	names, args, err := c.createValues(c.columnNames(), obj)
	if err != nil {
		return err
	}
	return c.inTx(ctx, "create", obj.ID, func(tx *sql.Tx) error {
		n, err := c.countKey(ctx, tx, obj.ID)
		if err != nil {
			return err
		}
		if n > 0 {
			return c.errs.Object(connector.ErrAlreadyExists, "create", obj.ID, nil, "")
		}
		_, err = tx.ExecContext(ctx, c.insertStatement(names), args...)
		return err
	})
}

// createValues checks the object to create and returns its quoted column
// names and values, as values does, the key among them. The table must be
// known (ensureTable).
func (c *Connector) createValues(cols columnNames, obj connector.Object) ([]string, []any, error) {
	if obj.ID == "" {
		return nil, nil, c.errs.New(connector.ErrInvalidObject, "create", fmt.Errorf("the object has no identifier"), "")
	}
	attrs := obj.Attributes.Clone()
	if vs := connector.Values(attrs[c.cfg.Key]...); len(vs) > 0 && !slices.Equal(vs, []string{obj.ID}) {
		return nil, nil, c.errs.Object(connector.ErrInvalidObject, "create", obj.ID,
			fmt.Errorf("the key attribute %q holds %q, not the object's identifier", c.cfg.Key, vs), "")
	}
	attrs[c.cfg.Key] = []string{obj.ID}
	return c.values(cols, "create", obj.ID, attrs)
}

// columnNames is the table's columns read and written, by name, each
// quoted: built once for a batch, not for every attribute of every row.
type columnNames map[string]string

func (c *Connector) columnNames() columnNames {
	out := make(columnNames, len(c.attrs))
	for _, col := range c.attrs {
		out[col.name] = c.d.quote(col.name)
	}
	return out
}

// values checks attributes against the columns and returns the quoted
// column names and their values (nil for NULL), in attribute-name order.
func (c *Connector) values(cols columnNames, op, id string, attrs connector.Attributes) ([]string, []any, error) {
	names := make([]string, 0, len(attrs))
	args := make([]any, 0, len(attrs))
	for _, name := range attrs.Names() {
		quoted, ok := cols[name]
		if !ok {
			return nil, nil, c.errs.Object(connector.ErrInvalidObject, op, id, fmt.Errorf("unknown attribute %q", name),
				fmt.Sprintf("The table's columns read and written are %s.", strings.Join(quoteAll(c.attrNames()), ", ")))
		}
		vs := connector.Values(attrs[name]...)
		if len(vs) > 1 {
			return nil, nil, c.errs.Object(connector.ErrInvalidObject, op, id,
				fmt.Errorf("attribute %q is single-valued and cannot hold %d values", name, len(vs)), "A sql column holds one value.")
		}
		names = append(names, quoted)
		if len(vs) == 0 {
			args = append(args, nil)
		} else {
			args = append(args, vs[0])
		}
	}
	return names, args, nil
}

func (c *Connector) attrNames() []string {
	out := make([]string, len(c.attrs))
	for i, col := range c.attrs {
		out[i] = col.name
	}
	return out
}

func (c *Connector) insertStatement(names []string) string {
	ph := make([]string, len(names))
	for i := range names {
		ph[i] = c.d.placeholder(i + 1)
	}
	return fmt.Sprintf("INSERT INTO %s (%s) VALUES (%s)", c.table, strings.Join(names, ", "), strings.Join(ph, ", "))
}

// countKey counts the rows whose key is id.
func (c *Connector) countKey(ctx context.Context, tx *sql.Tx, id string) (int, error) {
	var n int
	err := tx.QueryRowContext(ctx, fmt.Sprintf("SELECT COUNT(*) FROM %s WHERE %s = %s", c.table, c.keyColumn(), c.d.placeholder(1)), id).Scan(&n)
	return n, err
}

// Update reads the row, applies mods and writes back only the columns
// the modifications name, in one transaction holding the row's lock.
func (c *Connector) Update(ctx context.Context, id string, mods []connector.Modification) error {
	if _, err := c.ensureTable(ctx, "update", true); err != nil {
		return err
	}
	return c.inTx(ctx, "update", id, func(tx *sql.Tx) error {
		current, err := c.lockRow(ctx, tx, id)
		if err != nil {
			return err
		}
		names, args, err := c.updateValues(c.columnNames(), id, current, mods)
		if err != nil || len(names) == 0 {
			return err
		}
		_, err = tx.ExecContext(ctx, c.updateStatement(names), append(args, id)...)
		return err
	})
}

// updateValues applies mods to current, the row keyed id, and returns the
// quoted names and values of the columns the modifications name.
func (c *Connector) updateValues(cols columnNames, id string, current connector.Attributes, mods []connector.Modification) ([]string, []any, error) {
	next, err := current.Apply(mods, false)
	if err != nil {
		return nil, nil, c.errs.Object(connector.ErrInvalidObject, "update", id, err, "A sql column holds one value.")
	}
	if !c.sameKey(next[c.cfg.Key], current[c.cfg.Key]) {
		return nil, nil, c.errs.Object(connector.ErrInvalidObject, "update", id,
			fmt.Errorf("the key attribute %q cannot change", c.cfg.Key), "To rename an object, delete it and create it anew.")
	}
	changed := connector.Attributes{}
	for _, m := range mods {
		changed[m.Attribute] = next[m.Attribute]
	}
	return c.values(cols, "update", id, changed)
}

// lockRow reads the row whose key is id, locking it until the transaction
// ends.
func (c *Connector) lockRow(ctx context.Context, tx *sql.Tx, id string) (connector.Attributes, error) {
	query := fmt.Sprintf("SELECT %s FROM %s WHERE %s = %s%s", c.selectList(), c.table, c.keyColumn(), c.d.placeholder(1), c.d.forUpdate())
	rows, err := tx.QueryContext(ctx, query, id)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var found []scanned
	sc := c.newScanner("update")
	for rows.Next() {
		s, err := sc.scan(rows)
		if err != nil {
			return nil, err
		}
		found = append(found, s)
	}
	if err := rows.Err(); err != nil {
		return nil, err
	}
	if err := c.one("update", id, len(found)); err != nil {
		return nil, err
	}
	return found[0].obj.Attributes, found[0].err
}

func (c *Connector) updateStatement(names []string) string {
	sets := make([]string, len(names))
	for i, n := range names {
		sets[i] = n + " = " + c.d.placeholder(i+1)
	}
	return fmt.Sprintf("UPDATE %s SET %s WHERE %s = %s", c.table, strings.Join(sets, ", "), c.keyColumn(), c.d.placeholder(len(names)+1))
}

// Delete removes the row whose key is id; a key on several rows deletes
// none.
func (c *Connector) Delete(ctx context.Context, id string) error {
	if _, err := c.ensureTable(ctx, "delete", true); err != nil {
		return err
	}
	return c.inTx(ctx, "delete", id, func(tx *sql.Tx) error {
		res, err := tx.ExecContext(ctx, fmt.Sprintf("DELETE FROM %s WHERE %s = %s", c.table, c.keyColumn(), c.d.placeholder(1)), id)
		if err != nil {
			return err
		}
		n, err := res.RowsAffected()
		if err != nil {
			return err
		}
		return c.one("delete", id, int(n))
	})
}

// inTx runs fn in a transaction, committing when it returns nil. Errors
// come back as *connector.Error.
func (c *Connector) inTx(ctx context.Context, op, id string, fn func(*sql.Tx) error) error {
	tx, err := c.db.BeginTx(ctx, nil)
	if err != nil {
		return c.fail(op, id, err)
	}
	if err := fn(tx); err != nil {
		tx.Rollback()
		return c.fail(op, id, err)
	}
	if err := tx.Commit(); err != nil {
		return c.fail(op, id, err)
	}
	return nil
}

// sameKey reports whether an update keeps the object's key: the key's
// value may only change in ways the database's matching ignores.
func (c *Connector) sameKey(next, current []string) bool {
	return len(next) == 1 && len(current) == 1 && c.MatchKey(next[0]) == c.MatchKey(current[0])
}

// Rename changes the key of the row whose key is id to newID, in one
// transaction holding the row's lock; a row already keyed newID (as the
// database matches keys) is ErrAlreadyExists and nothing changes.
func (c *Connector) Rename(ctx context.Context, id, newID string) error {
	if newID == "" {
		return c.errs.Object(connector.ErrInvalidObject, "rename", id, fmt.Errorf("the new identifier is empty"), "")
	}
	if _, err := c.ensureTable(ctx, "rename", true); err != nil {
		return err
	}
	return c.inTx(ctx, "rename", id, func(tx *sql.Tx) error {
		return c.renameIn(ctx, tx, id, newID)
	})
}

// renameIn renames in tx: the row keyed id locked, then newID checked and
// written.
func (c *Connector) renameIn(ctx context.Context, tx *sql.Tx, id, newID string) error {
	if _, err := c.lockRow(ctx, tx, id); err != nil {
		return err
	}
	if c.MatchKey(newID) == c.MatchKey(id) {
		// Only the spelling changes (a case-insensitive key): write it.
	} else if n, err := c.countKey(ctx, tx, newID); err != nil {
		return err
	} else if n > 0 {
		return c.errs.Object(connector.ErrAlreadyExists, "rename", id, fmt.Errorf("an object with identifier %q exists", newID),
			"Two people would have the same identifier: resolve it on the resource or in the mappings.")
	}
	_, err := tx.ExecContext(ctx, fmt.Sprintf("UPDATE %s SET %s = %s WHERE %s = %s", c.table, c.keyColumn(), c.d.placeholder(1), c.keyColumn(), c.d.placeholder(2)), newID, id)
	return err
}
