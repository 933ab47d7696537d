package sqltable

import (
	"context"
	"fmt"

	"github.com/syncline/syncline/engine/connector"
)

// Test asks the server for its version, counts the rows and describes the
// columns read and written. With create_table, a missing table is created
// first (Created says so).
func (c *Connector) Test(ctx context.Context) (*connector.TestResult, error) {
	if _, err := c.ensureTable(ctx, "test", true); err != nil {
		return nil, err
	}
	version, err := c.d.version(ctx, c.db)
	if err != nil {
		return nil, c.fail("test", "", err)
	}
	var total, keyed int64
	query := fmt.Sprintf("SELECT COUNT(*), COUNT(%s) FROM %s", c.keyColumn(), c.table)
	if err := c.db.QueryRowContext(ctx, query).Scan(&total, &keyed); err != nil {
		return nil, c.fail("test", "", err)
	}
	res := &connector.TestResult{
		Connector:    "sql",
		Location:     fmt.Sprintf("%s, table %s", c.d.address(c.cfg.DSN), c.table),
		Server:       version,
		ObjectClass:  connector.DefaultObjectClass,
		Identifier:   c.cfg.Key,
		Objects:      keyed,
		Capabilities: c.Capabilities(),
	}
	for _, col := range c.attrs {
		res.Attributes = append(res.Attributes, connector.AttributeInfo{Name: col.name, Type: col.typ, Nullable: col.nullable})
	}
	if total > keyed {
		res.AddProblem(c.errs.New(connector.ErrInvalidObject, "test", fmt.Errorf("%d rows have a NULL key and are not objects", total-keyed),
			"Give every row a key, or make the key column NOT NULL."))
	}
	return res, nil
}
