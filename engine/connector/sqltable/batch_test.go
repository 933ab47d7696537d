package sqltable_test

import (
	"errors"
	"fmt"
	"testing"

	"github.com/syncline/syncline/engine/connector"
	"github.com/syncline/syncline/engine/connector/sqltable"
)

// TestBatchBisect: rows the database refuses (a NOT NULL column left out,
// which only the database checks) are reported at their index, and every
// other operation of the batch is done.
func TestBatchBisect(t *testing.T) {
	t.Parallel()
	for name, d := range allDatabases {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			dsn := d.dsn(t)
			table := d.plainTable(t, dsn, true)
			c, err := d.open(t, sqltableConfig(table, dsn))
			if err != nil {
				t.Fatal(err)
			}
			var ops []connector.Operation
			bad := map[int]bool{17: true, 33: true}
			for i := range 50 {
				attrs := connector.Attributes{"name": {fmt.Sprintf("Name %d", i)}}
				if bad[i] {
					attrs = connector.Attributes{"age": {"3"}}
				}
				ops = append(ops, connector.CreateOp(connector.Object{ID: fmt.Sprintf("u%02d", i), Attributes: attrs}))
			}
			errs := c.Apply(t.Context(), ops)
			for i, err := range errs {
				switch {
				case bad[i] && !errors.Is(err, connector.ErrInvalidObject):
					t.Errorf("operation %d: %v, want invalid object", i, err)
				case bad[i]:
					var ce *connector.Error
					if !errors.As(err, &ce) || ce.Object != ops[i].Target() || ce.Op != "create" {
						t.Errorf("operation %d: %v does not name create of %q", i, err, ops[i].Target())
					}
				case err != nil:
					t.Errorf("operation %d: %v", i, err)
				}
			}
			res, err := c.Test(t.Context())
			if err != nil || res.Objects != 48 {
				t.Errorf("after the batch: %v objects, %v; want 48", res.Objects, err)
			}
		})
	}
}

func sqltableConfig(table, dsn string) sqltable.Config {
	return sqltable.Config{DSN: dsn, Table: table, Key: "login"}
}
