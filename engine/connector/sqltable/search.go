package sqltable

import (
	"context"
	"fmt"
	"iter"

	"github.com/syncline/syncline/engine/connector"
)

// Search pages through the table in key order. Each page is read whole and
// its connection released before the page's objects are yielded, so a
// slow consumer holds no connection and may write to the table meanwhile.
// A table that create_table has yet to create holds no objects: Search
// does not create it.
func (c *Connector) Search(ctx context.Context, q connector.Query) iter.Seq2[connector.Object, error] {
	return func(yield func(connector.Object, error) bool) {
		if err := c.checkClass("search", q.ObjectClass); err != nil {
			yield(connector.Object{}, err)
			return
		}
		if ok, err := c.ensureTable(ctx, "search", false); err != nil || !ok {
			if err != nil {
				yield(connector.Object{}, err)
			}
			return
		}
		size := q.Size()
		var after *string
		for {
			page, err := c.page(ctx, after, size)
			if err != nil {
				yield(connector.Object{}, err)
				return
			}
			for _, s := range page {
				if !yield(s.obj, s.err) {
					return
				}
			}
			if len(page) < size {
				return
			}
			after = &page[len(page)-1].key
		}
	}
}

// page reads up to size rows with keys after *after (from the start when
// after is nil).
func (c *Connector) page(ctx context.Context, after *string, size int) ([]scanned, error) {
	query := fmt.Sprintf("SELECT %s FROM %s WHERE %s IS NOT NULL ORDER BY %s LIMIT %d",
		c.selectList(), c.table, c.keyColumn(), c.keyColumn(), size)
	var args []any
	if after != nil {
		query = fmt.Sprintf("SELECT %s FROM %s WHERE %s > %s ORDER BY %s LIMIT %d",
			c.selectList(), c.table, c.keyColumn(), c.d.placeholder(1), c.keyColumn(), size)
		args = append(args, *after)
	}
	return c.query(ctx, "search", "", query, args...)
}

// query runs a query returning attribute rows and reads them all.
func (c *Connector) query(ctx context.Context, op, id, query string, args ...any) ([]scanned, error) {
	rows, err := c.db.QueryContext(ctx, query, args...)
	if err != nil {
		return nil, c.fail(op, id, err)
	}
	defer rows.Close()
	var out []scanned
	sc := c.newScanner(op)
	for rows.Next() {
		s, err := sc.scan(rows)
		if err != nil {
			return nil, c.fail(op, id, err)
		}
		out = append(out, s)
	}
	if err := rows.Err(); err != nil {
		return nil, c.fail(op, id, err)
	}
	return out, nil
}

// checkClass accepts the default object class only.
func (c *Connector) checkClass(op, class string) error {
	if class == "" || class == connector.DefaultObjectClass {
		return nil
	}
	return c.errs.New(connector.ErrSchema, op, fmt.Errorf("unknown object class %q", class),
		fmt.Sprintf("A sql resource has one object class, %q: each row of the table is an object. Leave object_class out.", connector.DefaultObjectClass))
}

// Get reads the row whose key is id. A table that create_table has yet to
// create holds no rows: Get does not create it.
func (c *Connector) Get(ctx context.Context, id string) (connector.Object, error) {
	if ok, err := c.ensureTable(ctx, "get", false); err != nil || !ok {
		if err == nil {
			err = c.errs.Object(connector.ErrNotFound, "get", id, nil, "")
		}
		return connector.Object{}, err
	}
	query := fmt.Sprintf("SELECT %s FROM %s WHERE %s = %s", c.selectList(), c.table, c.keyColumn(), c.d.placeholder(1))
	rows, err := c.query(ctx, "get", id, query, id)
	if err != nil {
		return connector.Object{}, err
	}
	if err := c.one("get", id, len(rows)); err != nil {
		return connector.Object{}, err
	}
	return rows[0].obj, rows[0].err
}

// one checks that exactly one row has the key id.
func (c *Connector) one(op, id string, n int) error {
	switch {
	case n == 0:
		return c.errs.Object(connector.ErrNotFound, op, id, nil, "")
	case n > 1:
		return c.errs.Object(connector.ErrInvalidObject, op, id, fmt.Errorf("%d rows have this key", n),
			"Make the key column unique (a primary key or a unique index); nothing was changed.")
	}
	return nil
}
