package sqltable

import (
	"context"
	"fmt"

	"github.com/syncline/syncline/engine/connector"
)

var _ connector.Estimator = (*Connector)(nil)

// Estimate counts the rows Search streams, those with a key: an exact
// count, one query. A table that create_table has yet to create holds
// none.
func (c *Connector) Estimate(ctx context.Context, q connector.Query) (int64, bool, error) {
	if err := c.checkClass("estimate", q.ObjectClass); err != nil {
		return 0, false, err
	}
	if ok, err := c.ensureTable(ctx, "estimate", false); err != nil || !ok {
		return 0, err == nil, err
	}
	var n int64
	query := fmt.Sprintf("SELECT COUNT(%s) FROM %s", c.keyColumn(), c.table)
	if err := c.db.QueryRowContext(ctx, query).Scan(&n); err != nil {
		return 0, false, c.fail("estimate", "", err)
	}
	return n, true, nil
}
