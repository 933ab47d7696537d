package sqltable_test

import (
	"database/sql"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"

	"github.com/syncline/syncline/engine/connector"
	"github.com/syncline/syncline/engine/connector/connectortest"
	"github.com/syncline/syncline/engine/connector/sqltable"
)

// missingTable returns a unique table name that needs quoting and does not
// exist yet; a table by that name is dropped when t ends. For SQLite, dsn
// names a file in t's temporary directory, which goes with it.
func (d database) missingTable(t *testing.T, dsn string) string {
	table := connectortest.UniqueName(nastyTable)
	if d.driver == sqltable.SQLite {
		return table
	}
	db := d.admin(t, dsn)
	t.Cleanup(func() {
		if _, err := db.Exec("DROP TABLE IF EXISTS " + d.quote(table)); err != nil {
			t.Errorf("cleanup: %v", err)
		}
	})
	return table
}

// tableExists asks the database, through a plain connection, whether the
// connection's default schema has table.
func (d database) tableExists(t *testing.T, db *sql.DB, table string) bool {
	t.Helper()
	query := map[string]string{
		sqltable.Postgres: `SELECT COUNT(*) FROM information_schema.tables WHERE table_schema = current_schema() AND table_name = $1`,
		sqltable.MySQL:    `SELECT COUNT(*) FROM information_schema.TABLES WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = ?`,
		sqltable.SQLite:   `SELECT COUNT(*) FROM sqlite_master WHERE type = 'table' AND name = ?`,
	}[d.driver]
	var n int
	if err := db.QueryRowContext(t.Context(), query, table).Scan(&n); err != nil {
		t.Fatal(err)
	}
	return n > 0
}

// createdResource is the conformance harness's New on a table that
// create_table creates: the key is left out of columns (it is added).
func (d database) createdResource(t *testing.T, s connectortest.Schema) connectortest.Resource {
	dsn := d.dsn(t)
	table := d.missingTable(t, dsn)
	c, err := sqltable.New(t.Context(), "app", sqltable.Config{
		Driver: d.driver, DSN: dsn, Table: table, Key: s.Identifier, CreateTable: true,
		Columns: slices.DeleteFunc(slices.Clone(s.Attributes), func(a string) bool { return a == s.Identifier }),
	})
	if err != nil {
		t.Fatal(err)
	}
	seed := func(t *testing.T, objs []connector.Object) {
		if _, err := c.Test(t.Context()); err != nil { // creates the table
			t.Fatal(err)
		}
		d.seed(t, d.admin(t, dsn), table, s, objs)
	}
	return connectortest.Resource{Connector: c, Seed: seed}
}

// The whole contract holds on a table create_table made, with names that
// need quoting everywhere.
func TestCreateTableConformancePostgres(t *testing.T) {
	t.Parallel()
	connectortest.Run(t, connectortest.Harness{New: postgresDB.createdResource})
}

func TestCreateTableConformanceMariaDB(t *testing.T) {
	t.Parallel()
	connectortest.Run(t, connectortest.Harness{New: mariaDB.createdResource})
}

func TestCreateTableConformanceSQLite(t *testing.T) {
	t.Parallel()
	connectortest.Run(t, connectortest.Harness{New: sqliteDB.createdResource})
}

// existingFile makes sure a SQLite dsn names an existing database file,
// so that only the table is missing.
func (d database) existingFile(t *testing.T, dsn string) {
	if d.driver == sqltable.SQLite {
		exec(t, d.admin(t, dsn), "CREATE TABLE IF NOT EXISTS warmup (x)")
	}
}

// TestCreateTableExactly: the table appears on the first Test, not before,
// with exactly the key (a primary key) and the columns, all text; names
// full of quotes and semicolons are only names; a second connector finds
// it and creates nothing.
func TestCreateTableExactly(t *testing.T) {
	t.Parallel()
	want := map[string][]connector.AttributeInfo{
		"postgres": {{Name: `lo"gin`, Type: "text"}, {Name: "full name", Type: "text", Nullable: true}, {Name: "x`; DROP TABLE victim; --", Type: "text", Nullable: true}},
		"mariadb":  {{Name: `lo"gin`, Type: "varchar(255)"}, {Name: "full name", Type: "text", Nullable: true}, {Name: "x`; DROP TABLE victim; --", Type: "text", Nullable: true}},
		"sqlite":   {{Name: `lo"gin`, Type: "TEXT"}, {Name: "full name", Type: "TEXT", Nullable: true}, {Name: "x`; DROP TABLE victim; --", Type: "TEXT", Nullable: true}},
	}
	for name, d := range allDatabases {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			ctx := t.Context()
			dsn := d.dsn(t)
			d.existingFile(t, dsn)
			admin := d.admin(t, dsn)
			victim := d.plainTable(t, dsn, true)
			table := d.missingTable(t, dsn)
			key := `lo"gin`
			cfg := sqltable.Config{DSN: dsn, Table: table, Key: key, CreateTable: true,
				// The key listed and a column listed twice: created once.
				Columns: []string{"full name", key, "x`; DROP TABLE victim; --", "full name"}}
			c, err := d.open(t, cfg)
			if err != nil {
				t.Fatal(err)
			}
			// Reads create nothing: no objects, not found.
			for _, err := range c.Search(ctx, connector.Query{}) {
				t.Fatalf("Search on the missing table: %v", err)
			}
			if _, err := c.Get(ctx, "x"); !errors.Is(err, connector.ErrNotFound) {
				t.Errorf("Get on the missing table: %v, want not found", err)
			}
			if d.tableExists(t, admin, table) || c.Created() != "" {
				t.Fatalf("the table exists before Test (Created %q)", c.Created())
			}

			res, err := c.Test(ctx)
			if err != nil {
				t.Fatal(err)
			}
			wantCreated := fmt.Sprintf("table %s.%s", d.quote(schemaOf(t, d, admin)), d.quote(table))
			if c.Created() != wantCreated || res.Objects != 0 || res.Identifier != key {
				t.Errorf("Test: Created %q, want %q; %d objects, identifier %q", c.Created(), wantCreated, res.Objects, res.Identifier)
			}
			if !d.tableExists(t, admin, table) || !d.tableExists(t, admin, victim) {
				t.Fatalf("after Test: table exists %v, victim exists %v", d.tableExists(t, admin, table), d.tableExists(t, admin, victim))
			}

			// Exactly these columns: a connector reading all of them.
			all, err := d.open(t, sqltable.Config{DSN: dsn, Table: table, Key: key, CreateTable: true, Columns: []string{key}})
			if err != nil {
				t.Fatal(err)
			}
			all2, err := d.open(t, sqltable.Config{DSN: dsn, Table: table, Key: key})
			if err != nil {
				t.Fatal(err)
			}
			res2, err := all2.Test(ctx)
			if err != nil {
				t.Fatal(err)
			}
			if !slices.Equal(res2.Attributes, want[name]) {
				t.Errorf("columns:\n got %+v\nwant %+v", res2.Attributes, want[name])
			}

			// Idempotent: the second connector found the table and created
			// nothing; writes through either are seen by the other.
			if _, err := all.Test(ctx); err != nil || all.Created() != "" {
				t.Errorf("second connector: Created %q, %v", all.Created(), err)
			}
			if err := c.Create(ctx, connector.Object{ID: "Jiří", Attributes: connector.Attributes{"full name": {"Jiří Nováček"}}}); err != nil {
				t.Fatal(err)
			}
			// Keys are exact (a binary collation on MariaDB too).
			if err := all.Create(ctx, connector.Object{ID: "jiri"}); err != nil {
				t.Errorf("create jiri next to Jiří: %v", err)
			}
			if err := all.Create(ctx, connector.Object{ID: "Jiří"}); !errors.Is(err, connector.ErrAlreadyExists) {
				t.Errorf("create Jiří twice: %v", err)
			}
			if res, err := all2.Test(ctx); err != nil || res.Objects != 2 {
				t.Errorf("after creates: %+v, %v", res, err)
			}

			// The key is a primary key: NOT NULL and unique in the database itself.
			ins := fmt.Sprintf("INSERT INTO %s (%s) VALUES (NULL)", d.quote(table), d.quote(key))
			if _, err := admin.ExecContext(ctx, ins); err == nil {
				t.Error("the key column accepts NULL")
			}
			ins = fmt.Sprintf("INSERT INTO %s (%s) VALUES ('jiri')", d.quote(table), d.quote(key))
			if _, err := admin.ExecContext(ctx, ins); err == nil {
				t.Error("the key column accepts a duplicate")
			}
		})
	}
}

// schemaOf is the schema the test connections default to.
func schemaOf(t *testing.T, d database, db *sql.DB) string {
	query := map[string]string{sqltable.Postgres: "SELECT current_schema()", sqltable.MySQL: "SELECT DATABASE()", sqltable.SQLite: "SELECT 'main'"}[d.driver]
	var s string
	if err := db.QueryRowContext(t.Context(), query).Scan(&s); err != nil {
		t.Fatal(err)
	}
	return s
}

// TestCreateTableByWrites: a write is a first use that needs the table.
func TestCreateTableByWrites(t *testing.T) {
	t.Parallel()
	for name, d := range allDatabases {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			ctx := t.Context()
			dsn := d.dsn(t)
			d.existingFile(t, dsn)
			admin := d.admin(t, dsn)
			ops := map[string]func(*sqltable.Connector) error{
				"create": func(c *sqltable.Connector) error {
					return c.Create(ctx, connector.Object{ID: "ann", Attributes: connector.Attributes{"email": {"ann@example.com"}}})
				},
				"update": func(c *sqltable.Connector) error {
					return c.Update(ctx, "ann", []connector.Modification{connector.Replace("email", "a@example.com")})
				},
				"delete": func(c *sqltable.Connector) error { return c.Delete(ctx, "ann") },
			}
			for op, fn := range ops {
				table := d.missingTable(t, dsn)
				c, err := d.open(t, sqltable.Config{DSN: dsn, Table: table, Key: "login", Columns: []string{"email"}, CreateTable: true})
				if err != nil {
					t.Fatal(err)
				}
				err = fn(c)
				if op == "create" && err != nil || op != "create" && !errors.Is(err, connector.ErrNotFound) {
					t.Errorf("%s on a missing table: %v", op, err)
				}
				if !d.tableExists(t, admin, table) || c.Created() == "" {
					t.Errorf("%s did not create the table", op)
				}
			}
		})
	}
}

// TestCreateTableNeverAlters: an existing table that lacks a column is a
// schema mismatch as without create_table, and stays as it was.
func TestCreateTableNeverAlters(t *testing.T) {
	t.Parallel()
	for name, d := range allDatabases {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			dsn := d.dsn(t)
			d.existingFile(t, dsn)
			table := d.plainTable(t, dsn, true)
			_, err := d.open(t, sqltable.Config{DSN: dsn, Table: table, Key: "login", Columns: []string{"name", "email"}, CreateTable: true})
			wantErr(t, err, connector.ErrSchema, `open: schema mismatch: the columns setting names column "email"`)
			c, err := d.open(t, sqltable.Config{DSN: dsn, Table: table, Key: "login", Columns: []string{"name"}, CreateTable: true})
			if err != nil {
				t.Fatal(err)
			}
			res, err := c.Test(t.Context())
			if err != nil || c.Created() != "" {
				t.Fatalf("Test on an existing table: Created %q, %v", c.Created(), err)
			}
			all, err := d.open(t, sqltable.Config{DSN: dsn, Table: table, Key: "login"})
			if err != nil {
				t.Fatal(err)
			}
			if res, err = all.Test(t.Context()); err != nil || len(res.Attributes) != 3 {
				t.Errorf("the table changed: %+v, %v", res, err)
			}
		})
	}
}

// TestCreateTableRefusals: what create_table cannot do is an error, never
// skipped.
func TestCreateTableRefusals(t *testing.T) {
	t.Parallel()
	for _, tt := range []struct {
		cfg  sqltable.Config
		want string
	}{
		{sqltable.Config{}, "create_table needs columns"},
		{sqltable.Config{Columns: []string{"email"}, ChangeColumn: "updated_at"}, `create_table cannot create the change column "updated_at"`},
		{sqltable.Config{Columns: []string{"email", ""}}, "cannot create a column without a name"},
	} {
		cfg := tt.cfg
		cfg.Driver, cfg.DSN, cfg.Table, cfg.Key, cfg.CreateTable = sqltable.SQLite, filepath.Join(t.TempDir(), "app.db"), "accounts", "login", true
		_, err := sqltable.New(t.Context(), "app", cfg)
		wantErr(t, err, connector.ErrConfig, tt.want)
		if _, statErr := os.Stat(cfg.DSN); statErr == nil {
			t.Errorf("%s: the database file was created", tt.want)
		}
	}

	// A schema that does not exist is not created: the error says so.
	for name, d := range map[string]database{"postgres": postgresDB, "mariadb": mariaDB} {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			c, err := d.open(t, sqltable.Config{DSN: d.dsn(t), Schema: "no_such_schema_x", Table: "accounts", Key: "login", Columns: []string{"email"}, CreateTable: true})
			if err == nil {
				_, err = c.Test(t.Context())
			}
			wantErr(t, err, connector.ErrSchema, "no_such_schema_x")
		})
	}

	// PostgreSQL would cut a long name short: refused before creating.
	t.Run("postgres long name", func(t *testing.T) {
		t.Parallel()
		d := postgresDB
		dsn := d.dsn(t)
		table := d.missingTable(t, dsn)
		c, err := d.open(t, sqltable.Config{DSN: dsn, Table: table, Key: "login", Columns: []string{strings.Repeat("c", 64)}, CreateTable: true})
		if err != nil {
			t.Fatal(err)
		}
		_, err = c.Test(t.Context())
		wantErr(t, err, connector.ErrConfig, "test: invalid connection settings: cannot create table", "longer than PostgreSQL's 63 bytes")
		if d.tableExists(t, d.admin(t, dsn), table) {
			t.Error("the table was created")
		}
	})
}

// TestCreateTableSQLiteFile: with create_table a missing SQLite file is
// created with the table, on first need and not at open; its name stays
// secret.
func TestCreateTableSQLiteFile(t *testing.T) {
	t.Parallel()
	ctx := t.Context()
	path := filepath.Join(t.TempDir(), "secret-name.db")
	c, err := sqltable.New(ctx, "app", sqltable.Config{Driver: sqltable.SQLite, DSN: path, Table: "accounts", Key: "login", Columns: []string{"full_name", "email"}, CreateTable: true})
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	for _, err := range c.Search(ctx, connector.Query{}) {
		t.Fatalf("Search: %v", err)
	}
	if _, err := c.Get(ctx, "x"); !errors.Is(err, connector.ErrNotFound) {
		t.Errorf("Get: %v", err)
	}
	if _, err := os.Stat(path); err == nil {
		t.Fatal("opening, searching or getting created the file")
	}
	res, err := c.Test(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if got := c.Created(); got != `database file and table "main"."accounts"` || res.Objects != 0 || len(res.Attributes) != 3 {
		t.Errorf("Test: Created %q, %+v", got, res)
	}
	if _, err := os.Stat(path); err != nil {
		t.Errorf("the file was not created: %v", err)
	}
	if strings.Contains(fmt.Sprint(res), "secret-name") {
		t.Errorf("the dsn leaked: %+v", res)
	}

	// The file's directory is not created: an error saying so.
	path = filepath.Join(t.TempDir(), "secret-dir", "app.db")
	c, err = sqltable.New(ctx, "app", sqltable.Config{Driver: sqltable.SQLite, DSN: path, Table: "accounts", Key: "login", Columns: []string{"email"}, CreateTable: true})
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	_, err = c.Test(ctx)
	wantErr(t, err, connector.ErrUnreachable, "test: resource unreachable", "creates the file but not its directory")
	if strings.Contains(err.Error(), "secret-dir") {
		t.Errorf("the dsn leaked: %v", err)
	}
}

// TestCreateTableConcurrently: many first uses at once, through one
// connector and through two, create the table once and all succeed.
func TestCreateTableConcurrently(t *testing.T) {
	t.Parallel()
	for name, d := range allDatabases {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			dsn := d.dsn(t)
			d.existingFile(t, dsn)
			table := d.missingTable(t, dsn)
			var cs []*sqltable.Connector
			for range 2 {
				c, err := d.open(t, sqltable.Config{DSN: dsn, Table: table, Key: "login", Columns: []string{"email"}, CreateTable: true})
				if err != nil {
					t.Fatal(err)
				}
				cs = append(cs, c)
			}
			var wg sync.WaitGroup
			errs := make([]error, 16)
			for i := range errs {
				wg.Go(func() {
					errs[i] = cs[i%2].Create(t.Context(), connector.Object{ID: fmt.Sprintf("u%02d", i)})
				})
			}
			wg.Wait()
			if err := errors.Join(errs...); err != nil {
				t.Fatal(err)
			}
			if res, err := cs[0].Test(t.Context()); err != nil || res.Objects != 16 {
				t.Errorf("after concurrent creates: %+v, %v", res, err)
			}
		})
	}
}
