package sqltable_test

import (
	"errors"
	"fmt"
	"testing"

	"github.com/syncline/syncline/engine/connector"
	"github.com/syncline/syncline/engine/connector/connectortest"
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

// TestBatchBadRowAmongMany: one create the database refuses among a
// hundred that set the same columns — the group PostgreSQL writes with
// COPY — is reported as that create's error (a taken unique value:
// already exists; a value the column's type refuses: invalid object), and
// every other row is written exactly, tabs, newlines and backslashes
// included.
func TestBatchBadRowAmongMany(t *testing.T) {
	t.Parallel()
	for name, d := range allDatabases {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			dsn := d.dsn(t)
			table := d.plainTable(t, dsn, true)
			db := d.admin(t, dsn)
			exec(t, db, fmt.Sprintf("CREATE UNIQUE INDEX %s ON %s (name)", d.quote(table+"_name"), d.quote(table)),
				fmt.Sprintf("INSERT INTO %s (login, name) VALUES ('taken', 'Taken')", d.quote(table)))
			c, err := d.open(t, sqltableConfig(table, dsn))
			if err != nil {
				t.Fatal(err)
			}
			const dup, badAge = 58, 41
			var ops []connector.Operation
			for i := range 100 {
				attrs := connector.Attributes{"name": {fmt.Sprintf("Name\t%d\nwith \\N and \\", i)}, "age": {fmt.Sprint(i)}}
				switch i {
				case dup:
					attrs["name"] = []string{"Taken"}
				case badAge:
					attrs["age"] = []string{"forty-one"}
				}
				ops = append(ops, connector.CreateOp(connector.Object{ID: fmt.Sprintf("u%03d", i), Attributes: attrs}))
			}
			typed := d.driver != sqltable.SQLite // SQLite stores "forty-one" in an INTEGER column
			for i, err := range c.Apply(t.Context(), ops) {
				switch {
				case i == dup && !errors.Is(err, connector.ErrAlreadyExists):
					t.Errorf("operation %d: %v, want already exists", i, err)
				case i == badAge && typed && !errors.Is(err, connector.ErrInvalidObject):
					t.Errorf("operation %d: %v, want invalid object", i, err)
				case i != dup && (i != badAge || !typed) && err != nil:
					t.Errorf("operation %d: %v", i, err)
				}
			}
			want := 1 + 99
			if typed {
				want--
			}
			var n int
			var got string
			if err := db.QueryRow(fmt.Sprintf("SELECT COUNT(*) FROM %s", d.quote(table))).Scan(&n); err != nil || n != want {
				t.Errorf("%d rows (%v), want %d", n, err, want)
			}
			if err := db.QueryRow(fmt.Sprintf("SELECT name FROM %s WHERE login = 'u007'", d.quote(table))).Scan(&got); err != nil ||
				got != "Name\t7\nwith \\N and \\" {
				t.Errorf("u007's name = %q (%v)", got, err)
			}
		})
	}
}

// TestBatchCopyDropped: PostgreSQL's connection drops in the middle of the
// COPY of a batch's creates (past the locking SELECT, within the rows).
// Nothing of the batch is written, and every create says unreachable.
func TestBatchCopyDropped(t *testing.T) {
	t.Parallel()
	through, direct, p := postgresDB.proxied(t, connectortest.Standard)
	t.Cleanup(func() { through.Close(); direct.Close() })
	const n = 2000
	var ops []connector.Operation
	for i := range n {
		ops = append(ops, connector.CreateOp(connector.Object{ID: fmt.Sprintf("copy%05d", i), Attributes: connector.Attributes{
			connectortest.AttrGiven: {fmt.Sprintf("A name long enough to fill the wire, and then some more of it %d", i)}}}))
	}
	p.CutAfter(100 << 10) // the SELECT of 2,000 keys takes about 40 KB, the COPY about 150 KB
	for i, err := range through.(connector.Batcher).Apply(t.Context(), ops) {
		if !errors.Is(err, connector.ErrUnreachable) {
			t.Fatalf("operation %d: %v, want unreachable", i, err)
		}
	}
	if res, err := direct.Test(t.Context()); err != nil || res.Objects != 0 {
		t.Errorf("after the batch: %d objects, %v; want none", res.Objects, err)
	}
}

// TestBatchUpdatesBadRowAmongMany: a hundred updates of the same columns
// — the group PostgreSQL writes with one statement — one of them with a
// value the column's type refuses: that update gets invalid object, every
// other row is updated.
func TestBatchUpdatesBadRowAmongMany(t *testing.T) {
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
			var creates, updates []connector.Operation
			for i := range 100 {
				id := fmt.Sprintf("u%03d", i)
				creates = append(creates, connector.CreateOp(connector.Object{ID: id, Attributes: connector.Attributes{"name": {"n"}}}))
				age := fmt.Sprint(i)
				if i == 63 {
					age = "sixty-three"
				}
				updates = append(updates, connector.UpdateOp(id, connector.Replace("age", age), connector.Replace("name", fmt.Sprintf("Name\t%d ž", i))))
			}
			for i, err := range c.Apply(t.Context(), creates) {
				if err != nil {
					t.Fatalf("create %d: %v", i, err)
				}
			}
			typed := d.driver != sqltable.SQLite
			for i, err := range c.Apply(t.Context(), updates) {
				switch {
				case i == 63 && typed && !errors.Is(err, connector.ErrInvalidObject):
					t.Errorf("update %d: %v, want invalid object", i, err)
				case (i != 63 || !typed) && err != nil:
					t.Errorf("update %d: %v", i, err)
				}
			}
			db := d.admin(t, dsn)
			var n int
			if err := db.QueryRow(fmt.Sprintf("SELECT COUNT(*) FROM %s WHERE name = 'n'", d.quote(table))).Scan(&n); err != nil || typed && n != 1 || !typed && n != 0 {
				t.Errorf("%d rows not updated (%v)", n, err)
			}
			var got string
			var age int
			if err := db.QueryRow(fmt.Sprintf("SELECT name, age FROM %s WHERE login = 'u042'", d.quote(table))).Scan(&got, &age); err != nil ||
				got != "Name\t42 ž" || age != 42 {
				t.Errorf("u042 = %q, %d (%v)", got, age, err)
			}
		})
	}
}
