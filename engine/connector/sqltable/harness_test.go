package sqltable_test

import (
	"database/sql"
	"fmt"
	"path/filepath"
	"strings"
	"testing"

	"github.com/syncline/syncline/engine/connector"
	"github.com/syncline/syncline/engine/connector/connectortest"
	"github.com/syncline/syncline/engine/connector/sqltable"
	_ "modernc.org/sqlite"
)

// database is one of the three servers the conformance suite runs on, with
// what a test needs to make and drop tables there itself.
type database struct {
	driver     string // sqltable driver name
	sqlDriver  string // database/sql driver name
	dsn        func(t *testing.T) string
	changeType string
	// ddl returns the statements that create a table for s, with a
	// change column kept current, and those that drop it again.
	ddl   func(table, change string, s connectortest.Schema) (create, drop []string)
	quote func(string) string
}

// Table names that need quoting: a connector that concatenates them breaks.
const nastyTable = "acc\"ts`; DROP TABLE x; -- "

var (
	postgresDB = database{
		driver: sqltable.Postgres, sqlDriver: "pgx", dsn: func(t *testing.T) string { return connectortest.PostgresDSN(t) },
		changeType: sqltable.ChangeTimestamp, ddl: postgresDDL, quote: dquote,
	}
	mariaDB = database{
		driver: sqltable.MySQL, sqlDriver: "mysql", dsn: func(t *testing.T) string { return connectortest.MariaDBDSN(t) },
		changeType: sqltable.ChangeTimestamp, ddl: mariaDDL, quote: bquote,
	}
	sqliteDB = database{
		driver: sqltable.SQLite, sqlDriver: "sqlite", dsn: func(t *testing.T) string { return filepath.Join(t.TempDir(), "app.db") },
		changeType: sqltable.ChangeSequence, ddl: sqliteDDL, quote: dquote,
	}
)

func dq(s, q string) string { return q + strings.ReplaceAll(s, q, q+q) + q }

func dquote(s string) string { return dq(s, `"`) }
func bquote(s string) string { return dq(s, "`") }

func postgresDDL(table, change string, s connectortest.Schema) ([]string, []string) {
	q := dquote
	fn := "touch_" + strings.ToLower(connectortest.UniqueName(""))
	drop := []string{"DROP TABLE " + q(table), "DROP FUNCTION " + fn + "()"}
	return []string{
		fmt.Sprintf("CREATE TABLE %s (%s, %s timestamptz)", q(table), columnDefs(q, s, "text PRIMARY KEY", "text"), q(change)),
		fmt.Sprintf("CREATE FUNCTION %s() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN NEW.%s := clock_timestamp(); RETURN NEW; END $$", fn, q(change)),
		fmt.Sprintf("CREATE TRIGGER %s BEFORE INSERT OR UPDATE ON %s FOR EACH ROW EXECUTE FUNCTION %s()", fn, q(table), fn),
	}, drop
}

func mariaDDL(table, change string, s connectortest.Schema) ([]string, []string) {
	q := bquote
	return []string{fmt.Sprintf("CREATE TABLE %s (%s, %s TIMESTAMP(6) NOT NULL DEFAULT CURRENT_TIMESTAMP(6) ON UPDATE CURRENT_TIMESTAMP(6)) DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin",
		q(table), columnDefs(q, s, "VARCHAR(191) NOT NULL PRIMARY KEY", "TEXT"), q(change))}, []string{"DROP TABLE " + q(table)}
}

func sqliteDDL(table, change string, s connectortest.Schema) ([]string, []string) {
	q := dquote
	return []string{
		fmt.Sprintf("CREATE TABLE %s (%s, %s INTEGER)", q(table), columnDefs(q, s, "TEXT PRIMARY KEY", "TEXT"), q(change)),
		fmt.Sprintf(`CREATE TRIGGER seq_ins AFTER INSERT ON %[1]s BEGIN UPDATE %[1]s SET %[2]s = (SELECT COALESCE(MAX(%[2]s), 0) + 1 FROM %[1]s) WHERE rowid = NEW.rowid; END`, q(table), q(change)),
		fmt.Sprintf(`CREATE TRIGGER seq_upd AFTER UPDATE ON %[1]s WHEN NEW.%[2]s IS OLD.%[2]s BEGIN UPDATE %[1]s SET %[2]s = (SELECT MAX(%[2]s) + 1 FROM %[1]s) WHERE rowid = NEW.rowid; END`, q(table), q(change)),
	}, nil // the file goes with the test's temporary directory
}

func columnDefs(q func(string) string, s connectortest.Schema, keyType, colType string) string {
	defs := make([]string, len(s.Attributes))
	for i, a := range s.Attributes {
		typ := colType
		if a == s.Identifier {
			typ = keyType
		}
		defs[i] = q(a) + " " + typ
	}
	return strings.Join(defs, ", ")
}

// admin opens a plain connection for setting tables up.
func (d database) admin(t *testing.T, dsn string) *sql.DB {
	db, err := sql.Open(d.sqlDriver, dsn)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	return db
}

// exec runs statements, failing t on the first error.
func exec(t *testing.T, db *sql.DB, stmts ...string) {
	t.Helper()
	for _, s := range stmts {
		if _, err := db.ExecContext(t.Context(), s); err != nil {
			t.Fatalf("%s: %v", s, err)
		}
	}
}

// table creates a uniquely named table for s and drops it when t ends.
func (d database) table(t *testing.T, dsn string, s connectortest.Schema) (*sql.DB, string) {
	db := d.admin(t, dsn)
	table := connectortest.UniqueName(nastyTable)
	create, drop := d.ddl(table, "changed at", s)
	exec(t, db, create...)
	t.Cleanup(func() {
		for _, stmt := range drop {
			if _, err := db.Exec(stmt); err != nil {
				t.Errorf("cleanup: %s: %v", stmt, err)
			}
		}
	})
	return db, table
}

// newResource is the conformance harness's New.
func (d database) newResource(t *testing.T, s connectortest.Schema) connectortest.Resource {
	dsn := d.dsn(t)
	db, table := d.table(t, dsn, s)
	c, err := sqltable.New(t.Context(), "app", sqltable.Config{
		Driver: d.driver, DSN: dsn, Table: table, Key: s.Identifier, Columns: s.Attributes,
		ChangeColumn: "changed at", ChangeColumnType: d.changeType,
	})
	if err != nil {
		t.Fatal(err)
	}
	return connectortest.Resource{Connector: c, Seed: func(t *testing.T, objs []connector.Object) { d.seed(t, db, table, s, objs) }}
}

// proxied is the conformance harness's Proxied: a connector through a TCP
// proxy and one straight to the server, on one fresh table.
func (d database) proxied(t *testing.T, s connectortest.Schema) (through, direct connector.Connector, p *connectortest.Proxy) {
	dsn := d.dsn(t)
	_, table := d.table(t, dsn, s)
	addr := serverAddr(t, d)
	p = connectortest.NewProxy(t, addr)
	open := func(dsn string) connector.Connector {
		c, err := sqltable.New(t.Context(), "app", sqltable.Config{Driver: d.driver, DSN: dsn, Table: table, Key: s.Identifier, Columns: s.Attributes})
		if err != nil {
			t.Fatal(err)
		}
		return c
	}
	return open(viaProxy(t, dsn, addr, p.Addr())), open(dsn), p
}

// seed inserts objs in one transaction.
func (d database) seed(t *testing.T, db *sql.DB, table string, s connectortest.Schema, objs []connector.Object) {
	cols := make([]string, len(s.Attributes))
	ph := make([]string, len(s.Attributes))
	for i, a := range s.Attributes {
		cols[i], ph[i] = d.quote(a), "?"
		if d.driver == sqltable.Postgres {
			ph[i] = fmt.Sprintf("$%d", i+1)
		}
	}
	tx, err := db.BeginTx(t.Context(), nil)
	if err != nil {
		t.Fatal(err)
	}
	defer tx.Rollback()
	stmt, err := tx.Prepare(fmt.Sprintf("INSERT INTO %s (%s) VALUES (%s)", d.quote(table), strings.Join(cols, ", "), strings.Join(ph, ", ")))
	if err != nil {
		t.Fatal(err)
	}
	for _, o := range objs {
		args := make([]any, len(s.Attributes))
		for i, a := range s.Attributes {
			if v := o.Attributes.First(a); v != "" {
				args[i] = v
			}
		}
		if _, err := stmt.Exec(args...); err != nil {
			t.Fatal(err)
		}
	}
	if err := tx.Commit(); err != nil {
		t.Fatal(err)
	}
}

func TestConformancePostgres(t *testing.T) {
	t.Parallel()
	connectortest.Run(t, connectortest.Harness{New: postgresDB.newResource, Proxied: postgresDB.proxied})
}

func TestConformanceMariaDB(t *testing.T) {
	t.Parallel()
	connectortest.Run(t, connectortest.Harness{New: mariaDB.newResource, Proxied: mariaDB.proxied})
}

func TestConformanceSQLite(t *testing.T) {
	t.Parallel()
	connectortest.Run(t, connectortest.Harness{New: sqliteDB.newResource})
}
