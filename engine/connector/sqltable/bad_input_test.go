package sqltable_test

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/syncline/syncline/engine/connector"
	"github.com/syncline/syncline/engine/connector/connectortest"
	"github.com/syncline/syncline/engine/connector/sqltable"
)

var allDatabases = map[string]database{"postgres": postgresDB, "mariadb": mariaDB, "sqlite": sqliteDB}

// plainTable creates a table "accounts_…" with columns login (the key, a
// primary key when unique is set), name NOT NULL and age INTEGER, dropped
// when t ends.
func (d database) plainTable(t *testing.T, dsn string, unique bool) string {
	db := d.admin(t, dsn)
	table := connectortest.UniqueName("accounts_")
	key := "PRIMARY KEY"
	if !unique {
		key = ""
	}
	exec(t, db, fmt.Sprintf("CREATE TABLE %s (login VARCHAR(100) NOT NULL %s, name VARCHAR(100) NOT NULL, age INTEGER)", d.quote(table), key))
	t.Cleanup(func() {
		if _, err := db.Exec("DROP TABLE " + d.quote(table)); err != nil {
			t.Errorf("cleanup: %v", err)
		}
	})
	return table
}

func (d database) open(t *testing.T, cfg sqltable.Config) (*sqltable.Connector, error) {
	cfg.Driver = d.driver
	c, err := sqltable.New(t.Context(), "app", cfg)
	if err == nil {
		t.Cleanup(func() { c.Close() })
	}
	return c, err
}

func wantErr(t *testing.T, err, kind error, wants ...string) {
	t.Helper()
	if !errors.Is(err, kind) {
		t.Fatalf("error %v, want kind %v", err, kind)
	}
	for _, w := range append(wants, `resource "app"`) {
		if !strings.Contains(err.Error(), w) {
			t.Errorf("error:\n%v\nwant it to contain %q", err, w)
		}
	}
}

func TestSchemaMismatches(t *testing.T) {
	t.Parallel()
	for name, d := range allDatabases {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			dsn := d.dsn(t)
			if d.driver == sqltable.SQLite {
				d.admin(t, dsn).Exec("CREATE TABLE IF NOT EXISTS warmup (x)") // create the file
			}
			table := d.plainTable(t, dsn, true)
			tests := []struct {
				cfg   sqltable.Config
				wants []string
			}{
				{sqltable.Config{Table: strings.ToUpper(table), Key: "login"}, []string{"schema mismatch: table", "does not exist", fmt.Sprintf("Did you mean %q?", table)}},
				{sqltable.Config{Table: "no_such_table_at_all", Key: "login"}, []string{"does not exist", "Create the table, or correct the table setting"}},
				{sqltable.Config{Table: table, Key: "logn"}, []string{`the key setting names column "logn"`, `Did you mean "login"?`, `The table's columns are "login", "name", "age".`}},
				{sqltable.Config{Table: table, Key: "login", Columns: []string{"name", "Age"}}, []string{`the columns setting names column "Age"`, `Did you mean "age"?`}},
				{sqltable.Config{Table: table, Key: "login", ChangeColumn: "updated_at"}, []string{`the change_column setting names column "updated_at"`}},
			}
			if d.driver == sqltable.SQLite {
				tests = tests[1:] // SQLite matches table names case-insensitively
			}
			for _, tt := range tests {
				tt.cfg.DSN = dsn
				_, err := d.open(t, tt.cfg)
				wantErr(t, err, connector.ErrSchema, tt.wants...)
			}
		})
	}
}

func TestRefusedConnection(t *testing.T) {
	t.Parallel()
	for name, dsn := range map[string]string{
		sqltable.Postgres: "postgres://syncline:s3cret-pw@127.0.0.1:1/test?sslmode=disable&connect_timeout=5",
		sqltable.MySQL:    "syncline:s3cret-pw@tcp(127.0.0.1:1)/test?timeout=5s",
	} {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			_, err := sqltable.New(t.Context(), "app", sqltable.Config{Driver: name, DSN: dsn, Table: "accounts", Key: "login"})
			wantErr(t, err, connector.ErrUnreachable, "open: resource unreachable", "connection refused", "Check that the database server is running")
			if strings.Contains(err.Error(), "s3cret-pw") {
				t.Errorf("the password leaked: %v", err)
			}
		})
	}
}

func TestBadDSNKeepsItSecret(t *testing.T) {
	t.Parallel()
	for name, dsn := range map[string]string{
		sqltable.Postgres: "postgres://u:s3cret-pw@[bad host/test",
		sqltable.MySQL:    "u:s3cret-pw@tcp(127.0.0.1:3306)test",
	} {
		_, err := sqltable.New(t.Context(), "app", sqltable.Config{Driver: name, DSN: dsn, Table: "t", Key: "k"})
		if !errors.Is(err, connector.ErrConfig) || strings.Contains(err.Error(), "s3cret-pw") {
			t.Errorf("%s: %v: want ErrConfig without the password", name, err)
		}
	}
}

func TestSQLiteMissingFile(t *testing.T) {
	t.Parallel()
	path := filepath.Join(t.TempDir(), "secret-name", "app.db")
	_, err := sqltable.New(t.Context(), "app", sqltable.Config{Driver: sqltable.SQLite, DSN: path, Table: "accounts", Key: "login"})
	wantErr(t, err, connector.ErrUnreachable, "the sqlite database file named by dsn does not exist", "Syncline does not create it")
	if strings.Contains(err.Error(), "secret-name") {
		t.Errorf("the dsn leaked: %v", err)
	}
	if _, statErr := os.Stat(path); statErr == nil {
		t.Errorf("the database file was created")
	}
}

func TestNoPartialUpdates(t *testing.T) {
	t.Parallel()
	for name, d := range allDatabases {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			dsn := d.dsn(t)
			table := d.plainTable(t, dsn, true)
			c, err := d.open(t, sqltable.Config{DSN: dsn, Table: table, Key: "login"})
			if err != nil {
				t.Fatal(err)
			}
			ctx := t.Context()
			orig := connector.Object{ID: "bob", Attributes: connector.Attributes{"name": {"Bob"}, "age": {"40"}}}
			if err := c.Create(ctx, orig); err != nil {
				t.Fatal(err)
			}
			// The second modification violates NOT NULL: the first is not kept.
			err = c.Update(ctx, "bob", []connector.Modification{connector.Replace("age", "41"), connector.Replace("name")})
			wantErr(t, err, connector.ErrInvalidObject, `update "bob"`)
			if d.driver != sqltable.SQLite { // SQLite stores "forty" in an INTEGER column
				err = c.Update(ctx, "bob", []connector.Modification{connector.Replace("age", "forty")})
				wantErr(t, err, connector.ErrInvalidObject)
			}
			err = c.Create(ctx, connector.Object{ID: "nameless"})
			wantErr(t, err, connector.ErrInvalidObject, `create "nameless"`)
			got, err := c.Get(ctx, "bob")
			if err != nil || !got.Attributes.Equal(connector.Attributes{"login": {"bob"}, "name": {"Bob"}, "age": {"40"}}) {
				t.Errorf("after refused writes: %v, %v", got, err)
			}
		})
	}
}

func TestDuplicateKeysWithoutConstraint(t *testing.T) {
	t.Parallel()
	for name, d := range allDatabases {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			dsn := d.dsn(t)
			table := d.plainTable(t, dsn, false)
			exec(t, d.admin(t, dsn), fmt.Sprintf("INSERT INTO %s (login, name) VALUES ('twin', 'A'), ('twin', 'B')", d.quote(table)))
			c, err := d.open(t, sqltable.Config{DSN: dsn, Table: table, Key: "login"})
			if err != nil {
				t.Fatal(err)
			}
			ctx := t.Context()
			_, err = c.Get(ctx, "twin")
			wantErr(t, err, connector.ErrInvalidObject, "2 rows have this key")
			wantErr(t, c.Delete(ctx, "twin"), connector.ErrInvalidObject, "nothing was changed")
			wantErr(t, c.Update(ctx, "twin", []connector.Modification{connector.Replace("age", "1")}), connector.ErrInvalidObject)
			wantErr(t, c.Create(ctx, connector.Object{ID: "twin", Attributes: connector.Attributes{"name": {"C"}}}), connector.ErrAlreadyExists)
			if res, err := c.Test(ctx); err != nil || res.Objects != 2 {
				t.Errorf("after refused writes: %v, %v", res, err)
			}
		})
	}
}

func TestDroppedConnectionMidSearch(t *testing.T) {
	t.Parallel()
	for name, d := range map[string]database{"postgres": postgresDB, "mariadb": mariaDB} {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			dsn := d.dsn(t)
			db, table := d.table(t, dsn, connectortest.Standard)
			d.seed(t, db, table, connectortest.Standard, numbered(2000))
			addr := serverAddr(t, d)
			proxy := connectortest.NewProxy(t, addr)
			c, err := d.open(t, sqltable.Config{DSN: viaProxy(t, dsn, addr, proxy.Addr()), Table: table, Key: connectortest.AttrID})
			if err != nil {
				t.Fatal(err)
			}
			n, last := 0, error(nil)
			for _, err := range c.Search(t.Context(), connector.Query{PageSize: 500}) {
				if err != nil {
					last = err
					break
				}
				if n++; n == 700 {
					proxy.Cut()
				}
			}
			if n != 1000 {
				t.Errorf("%d objects before the error, want the two pages read before the cut", n)
			}
			wantErr(t, last, connector.ErrUnreachable, "search: resource unreachable")
		})
	}
}

func TestPostgresTerminatedBackend(t *testing.T) {
	t.Parallel()
	d := postgresDB
	dsn := d.dsn(t)
	db, table := d.table(t, dsn, connectortest.Standard)
	d.seed(t, db, table, connectortest.Standard, numbered(1500))
	app := connectortest.UniqueName("syncline_drop_")
	sep := "?"
	if strings.Contains(dsn, "?") {
		sep = "&"
	}
	c, err := d.open(t, sqltable.Config{DSN: dsn + sep + "application_name=" + app, Table: table, Key: connectortest.AttrID})
	if err != nil {
		t.Fatal(err)
	}
	n, last := 0, error(nil)
	for _, err := range c.Search(t.Context(), connector.Query{PageSize: 500}) {
		if err != nil {
			last = err
			break
		}
		if n++; n == 10 {
			exec(t, db, fmt.Sprintf("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name = '%s'", app))
		}
	}
	wantErr(t, last, connector.ErrUnreachable, "terminating connection due to administrator command")
	if n != 500 {
		t.Errorf("%d objects before the error, want the first page", n)
	}
}

// numbered returns n objects of the standard schema.
func numbered(n int) []connector.Object {
	out := make([]connector.Object, n)
	for i := range out {
		id := fmt.Sprintf("n%05d", i)
		out[i] = connector.Object{ID: id, Attributes: connector.Attributes{connectortest.AttrID: {id}, connectortest.AttrGiven: {"G"}}}
	}
	return out
}

// serverAddr returns the host:port of a test server's DSN.
func serverAddr(t *testing.T, d database) string {
	if d.driver == sqltable.Postgres {
		return connectortest.PostgresAddr(t)
	}
	return connectortest.MariaDBAddr(t)
}

// viaProxy rewrites a test DSN naming addr to go through proxy.
func viaProxy(t *testing.T, dsn, addr, proxy string) string {
	via := strings.Replace(dsn, addr, proxy, 1)
	if via == dsn {
		t.Skipf("the DSN does not name %s as written; cannot put a proxy in between", addr)
	}
	return via
}

func TestContextCanceledIsNotUnreachable(t *testing.T) {
	t.Parallel()
	d := sqliteDB
	dsn := d.dsn(t)
	table := d.plainTable(t, dsn, true)
	c, err := d.open(t, sqltable.Config{DSN: dsn, Table: table, Key: "login"})
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(t.Context())
	cancel()
	if _, err := c.Get(ctx, "x"); !errors.Is(err, context.Canceled) || errors.Is(err, connector.ErrUnreachable) {
		t.Errorf("canceled Get: %v", err)
	}
}
