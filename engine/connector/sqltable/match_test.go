package sqltable_test

import (
	"database/sql"
	"errors"
	"fmt"
	"sync"
	"testing"

	"github.com/syncline/syncline/engine/connector"
	"github.com/syncline/syncline/engine/connector/connectortest"
	"github.com/syncline/syncline/engine/connector/sqltable"
)

// keyCase is a key column declaration and what MatchKey makes of ids on
// a table keyed by it.
type keyCase struct {
	name    string
	keyType string            // the key column's type, collation included
	want    map[string]string // id -> MatchKey(id)
	// pairs are pairs of ids; the database is asked whether it takes each
	// pair for one key, which MatchKey must agree with.
	pairs [][2]string
}

// Pairs every case asks the database about: case, trailing spaces,
// non-ASCII case, leading spaces (which count everywhere).
var keyPairs = [][2]string{
	{"Alice ", "alice"}, {"bob", "BOB"}, {"carol ", "carol"}, {"JIŘÍ", "jiří"}, {"ÉCOLE", "école"}, {" dan", "dan"},
}

// keyTable creates a table keyed by a column of keyType, with a nullable
// text column, dropped when t ends, and opens a connector on it.
func (d database) keyTable(t *testing.T, dsn, keyType string) *sqltable.Connector {
	t.Helper()
	db := d.admin(t, dsn)
	table := connectortest.UniqueName("keys_")
	suffix := ""
	if d.driver == sqltable.MySQL {
		suffix = " DEFAULT CHARSET=utf8mb4"
	}
	exec(t, db, fmt.Sprintf("CREATE TABLE %s (login %s NOT NULL PRIMARY KEY, name TEXT)%s", d.quote(table), keyType, suffix))
	t.Cleanup(func() {
		if _, err := db.Exec("DROP TABLE " + d.quote(table)); err != nil {
			t.Errorf("cleanup: %v", err)
		}
	})
	c, err := d.open(t, sqltable.Config{DSN: dsn, Table: table, Key: "login"})
	if err != nil {
		t.Fatal(err)
	}
	return c
}

// checkKeys checks MatchKey against tc.want, and against the database on
// tc.pairs: creating the second id of a pair after the first is a
// duplicate exactly when MatchKey gives both the same key, and a get of
// the second then finds the first.
func checkKeys(t *testing.T, c *sqltable.Connector, tc keyCase) {
	t.Helper()
	if _, ok := connector.Connector(c).(connector.KeyMatcher); !ok {
		t.Fatal("the sql connector is not a KeyMatcher")
	}
	for id, want := range tc.want {
		if got := connector.MatchKey(c, id); got != want {
			t.Errorf("MatchKey(%q) = %q, want %q", id, got, want)
		}
	}
	ctx := t.Context()
	for _, p := range tc.pairs {
		if err := c.Create(ctx, connector.Object{ID: p[0]}); err != nil {
			t.Fatalf("create %q: %v", p[0], err)
		}
		same := c.MatchKey(p[0]) == c.MatchKey(p[1])
		err := c.Create(ctx, connector.Object{ID: p[1]})
		switch {
		case same && !errors.Is(err, connector.ErrAlreadyExists):
			t.Errorf("%q and %q have one key %q, but the database takes them for two: create %q: %v", p[0], p[1], c.MatchKey(p[0]), p[1], err)
		case !same && err != nil:
			t.Errorf("%q and %q have keys %q and %q, but create %q next to %q: %v", p[0], p[1], c.MatchKey(p[0]), c.MatchKey(p[1]), p[1], p[0], err)
		}
		if same {
			if o, err := c.Get(ctx, p[1]); err != nil || c.MatchKey(o.ID) != c.MatchKey(p[1]) {
				t.Errorf("get %q: %+v, %v; want the row %q", p[1], o, err, p[0])
			}
		}
	}
}

func TestMatchKeyMariaDB(t *testing.T) {
	t.Parallel()
	d := mariaDB
	dsn := d.dsn(t)
	cases := []keyCase{
		{name: "general_ci", keyType: "VARCHAR(100) COLLATE utf8mb4_general_ci",
			want: map[string]string{"Alice ": "alice", "alice": "alice", "JIŘÍ  ": "jiří", " Bob": " bob",
				// Accent-insensitive in the database, not for syncline.
				"é": "é", "e": "e"}},
		{name: "unicode_ci", keyType: "VARCHAR(100) COLLATE utf8mb4_unicode_ci",
			want: map[string]string{"Alice ": "alice", "alice": "alice"}},
		{name: "bin", keyType: "VARCHAR(100) COLLATE utf8mb4_bin",
			// PAD SPACE: trailing spaces do not count, case does.
			want: map[string]string{"Alice ": "Alice", "alice": "alice", "jiří": "jiří"}},
		{name: "latin1_general_cs", keyType: "VARCHAR(100) CHARACTER SET latin1 COLLATE latin1_general_cs",
			want: map[string]string{"Alice ": "Alice", "alice": "alice"}},
		{name: "varbinary", keyType: "VARBINARY(100)",
			want: map[string]string{"Alice ": "Alice ", "alice": "alice"}},
	}
	// NO PAD collations: names differ between MariaDB and MySQL 8.
	noPad := map[string]string{
		"utf8mb4_nopad_bin": "", "utf8mb4_general_nopad_ci": "ci", "utf8mb4_0900_bin": "", "utf8mb4_0900_ai_ci": "ci",
	}
	admin := d.admin(t, dsn)
	for coll, ci := range noPad {
		var n int
		if err := admin.QueryRowContext(t.Context(), `SELECT COUNT(*) FROM information_schema.COLLATIONS WHERE COLLATION_NAME = ?`, coll).Scan(&n); err != nil {
			t.Fatal(err)
		}
		if n == 0 {
			continue
		}
		want := map[string]string{"Alice ": "Alice ", "alice": "alice"}
		if ci != "" {
			want = map[string]string{"Alice ": "alice ", "alice": "alice"}
		}
		cases = append(cases, keyCase{name: coll, keyType: "VARCHAR(100) COLLATE " + coll, want: want})
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			tc.pairs = keyPairs
			if tc.name == "latin1_general_cs" {
				tc.pairs = keyPairs[:3] // latin1 has no Ř
			}
			checkKeys(t, d.keyTable(t, dsn, tc.keyType), tc)
		})
	}
}

func TestMatchKeyPostgres(t *testing.T) {
	t.Parallel()
	d := postgresDB
	dsn := d.dsn(t)
	cases := []keyCase{
		{name: "text", keyType: "text", want: map[string]string{"Alice ": "Alice ", "alice": "alice"}},
		{name: "varchar", keyType: "varchar(100)", want: map[string]string{"Alice ": "Alice ", "alice": "alice"}},
		{name: "char", keyType: "char(20)", want: map[string]string{"Alice  ": "Alice", "alice": "alice"}},
		{name: "citext", keyType: "citext", want: map[string]string{"Alice ": "alice ", "JIŘÍ": "jiří", "alice": "alice"}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			if tc.keyType == "citext" && !citext(t, d.admin(t, dsn)) {
				t.Skip("the citext extension is not available")
			}
			tc.pairs = keyPairs
			checkKeys(t, d.keyTable(t, dsn, tc.keyType), tc)
		})
	}
}

// citext installs the citext extension in the test database unless it is
// there (and leaves it: other tests may be using it), and reports whether
// it is.
func citext(t *testing.T, db *sql.DB) bool {
	installed := func() bool {
		var n int
		if err := db.QueryRowContext(t.Context(), `SELECT COUNT(*) FROM pg_extension WHERE extname = 'citext'`).Scan(&n); err != nil {
			t.Fatal(err)
		}
		return n > 0
	}
	if installed() {
		return true
	}
	_, err := db.ExecContext(t.Context(), `CREATE EXTENSION IF NOT EXISTS citext`)
	if err != nil {
		t.Logf("create extension citext: %v", err)
	}
	return installed() // or another test installed it at the same time
}

func TestMatchKeySQLite(t *testing.T) {
	t.Parallel()
	d := sqliteDB
	cases := []keyCase{
		{name: "default", keyType: "TEXT", want: map[string]string{"Alice ": "Alice ", "alice": "alice"}},
		{name: "binary", keyType: "TEXT COLLATE BINARY", want: map[string]string{"Alice ": "Alice ", "alice": "alice"}},
		// ASCII only, as SQLite's NOCASE.
		{name: "nocase", keyType: "TEXT COLLATE NOCASE", want: map[string]string{"Alice ": "alice ", "JIŘÍ": "jiŘÍ", "ÉCOLE": "École", "alice": "alice"}},
		{name: "nocase after the key", keyType: `TEXT /* COLLATE RTRIM */ CHECK (length(login) > 0) COLLATE "nocase"`, want: map[string]string{"Alice ": "alice "}},
		{name: "rtrim", keyType: "TEXT COLLATE RTRIM", want: map[string]string{"Alice  ": "Alice", "alice": "alice"}},
		{name: "varchar", keyType: "VARCHAR(100)", want: map[string]string{"Alice ": "Alice ", "alice": "alice"}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			tc.pairs = keyPairs
			checkKeys(t, d.keyTable(t, d.dsn(t), tc.keyType), tc)
		})
	}

	// A view takes the collation of the column it selects.
	t.Run("view", func(t *testing.T) {
		t.Parallel()
		dsn := d.dsn(t)
		exec(t, d.admin(t, dsn), `CREATE TABLE accounts (login TEXT COLLATE NOCASE PRIMARY KEY)`, `CREATE VIEW "my view" AS SELECT login FROM accounts`)
		c, err := d.open(t, sqltable.Config{DSN: dsn, Table: "my view", Key: "login"})
		if err != nil {
			t.Fatal(err)
		}
		if got := c.MatchKey("Alice"); got != "alice" {
			t.Errorf("MatchKey(%q) = %q, want %q", "Alice", got, "alice")
		}
	})
}

// TestMatchKeyCreatedTable: before create_table has created the table and
// after, keys match as in the table it creates — on MySQL, utf8mb4_bin,
// where trailing spaces do not count — and as a second connector that
// finds the table sees them.
func TestMatchKeyCreatedTable(t *testing.T) {
	t.Parallel()
	want := map[string]map[string]string{
		"postgres": {"Alice ": "Alice ", "alice": "alice"},
		"mariadb":  {"Alice ": "Alice", "alice": "alice"},
		"sqlite":   {"Alice ": "Alice ", "alice": "alice"},
	}
	for name, d := range allDatabases {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			dsn := d.dsn(t)
			table := d.missingTable(t, dsn)
			cfg := sqltable.Config{DSN: dsn, Table: table, Key: "login", Columns: []string{"name"}, CreateTable: true}
			c, err := d.open(t, cfg)
			if err != nil {
				t.Fatal(err)
			}
			checkKeys(t, c, keyCase{want: want[name]}) // not created yet
			// Creates race MatchKey: go test -race.
			var wg sync.WaitGroup
			for i := range 8 {
				wg.Go(func() {
					if err := c.Create(t.Context(), connector.Object{ID: fmt.Sprintf("u%d", i)}); err != nil {
						t.Error(err)
					}
				})
				wg.Go(func() {
					for range 100 {
						if got := c.MatchKey("alice"); got != "alice" {
							t.Errorf("MatchKey(alice) = %q", got)
						}
					}
				})
			}
			wg.Wait()
			if c.Created() == "" {
				t.Fatal("the table was not created")
			}
			checkKeys(t, c, keyCase{want: want[name], pairs: keyPairs})
			c2, err := d.open(t, sqltable.Config{DSN: dsn, Table: table, Key: "login"})
			if err != nil {
				t.Fatal(err)
			}
			checkKeys(t, c2, keyCase{want: want[name]})
		})
	}
}

// MatchKey is called once per object: exact keys, and keys already in
// their matching form, cost no allocation.
func TestMatchKeyAllocations(t *testing.T) {
	dsn := sqliteDB.dsn(t)
	exact := sqliteDB.keyTable(t, dsn, "TEXT")
	nocase := sqliteDB.keyTable(t, dsn, "TEXT COLLATE NOCASE")
	rtrim := sqliteDB.keyTable(t, dsn, "TEXT COLLATE RTRIM")
	for _, tt := range []struct {
		c  *sqltable.Connector
		id string
	}{{exact, "Alice Émile "}, {nocase, "alice émile"}, {rtrim, "Alice  "}} {
		if n := testing.AllocsPerRun(100, func() { tt.c.MatchKey(tt.id) }); n != 0 {
			t.Errorf("MatchKey(%q): %v allocations", tt.id, n)
		}
	}
}
