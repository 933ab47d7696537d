package sqltable

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"slices"

	"github.com/syncline/syncline/engine/connector"
)

// postgresMaxIdent is the longest identifier PostgreSQL keeps, in bytes;
// it cuts longer ones short with only a notice.
const postgresMaxIdent = 63

// ensureTable makes sure the table is there before op uses it, and
// reports whether it is. It has work to do only with create_table when the
// table did not exist at open. Then, when create is set (Test and the
// writes), it creates the table — unless it appeared meanwhile — and
// reads its columns as opening does; without create (Search and Get,
// which read a missing table as an empty one and so write nothing), it
// only looks again and returns false while the table is still missing.
func (c *Connector) ensureTable(ctx context.Context, op string, create bool) (bool, error) {
	if !c.missing.Load() {
		return true, nil
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if !c.missing.Load() {
		return true, nil
	}
	if c.noFile && !create {
		// Asking SQLite would create the file.
		if _, err := os.Stat(c.cfg.DSN); errors.Is(err, fs.ErrNotExist) {
			return false, nil
		}
	}
	cols, err := c.d.columns(ctx, c.db, c.schema, c.cfg.Table)
	if err != nil {
		return false, c.fail(op, "", err)
	}
	if len(cols) == 0 {
		if !create {
			return false, nil
		}
		if cols, err = c.createTable(ctx, op); err != nil {
			return false, err
		}
	}
	if err := c.pickColumns(op, cols); err != nil {
		return false, err
	}
	if err := c.readKeyRule(ctx, op); err != nil {
		return false, err
	}
	c.noFile = false
	c.missing.Store(false)
	return true, nil
}

// createTable creates the table with the key and the columns setting, in
// that order, and returns its columns as the database reports them.
func (c *Connector) createTable(ctx context.Context, op string) ([]column, error) {
	var cols []string
	for _, name := range c.cfg.Columns {
		if name != c.cfg.Key && !slices.Contains(cols, name) {
			cols = append(cols, name)
		}
	}
	if c.cfg.Driver == Postgres {
		for _, name := range append([]string{c.cfg.Table, c.cfg.Key}, cols...) {
			if len(name) > postgresMaxIdent {
				return nil, c.errs.New(connector.ErrConfig, op,
					fmt.Errorf("cannot create table %s: the name %q is longer than PostgreSQL's %d bytes", c.table, name, postgresMaxIdent),
					"PostgreSQL would cut it short; choose a shorter name.")
			}
		}
	}
	if _, err := c.db.ExecContext(ctx, c.d.createTable(c.table, c.cfg.Key, cols)); err != nil {
		// Another process may have created it at the same moment
		// (PostgreSQL then reports a duplicate in pg_type, despite IF NOT
		// EXISTS): take the table it made, which opening checks as usual.
		if found, colsErr := c.d.columns(ctx, c.db, c.schema, c.cfg.Table); colsErr == nil && len(found) > 0 {
			return found, nil
		}
		return nil, c.fail(op, "", fmt.Errorf("creating table %s: %w", c.table, err))
	}
	c.created = "table " + c.table
	if c.noFile {
		c.created = "database file and table " + c.table
	}
	created, err := c.d.columns(ctx, c.db, c.schema, c.cfg.Table)
	if err == nil && len(created) == 0 {
		err = fmt.Errorf("table %s was created but has no columns to read", c.table)
	}
	if err != nil {
		return nil, c.fail(op, "", err)
	}
	return created, nil
}
