package sqltable_test

import (
	"context"
	"database/sql"
	"fmt"
	"os"
	"sync"
	"testing"

	"github.com/syncline/syncline/engine/connector"
	"github.com/syncline/syncline/engine/connector/connectortest"
	"github.com/syncline/syncline/engine/connector/sqltable"
)

const benchRows = 1_000_000

// benchTable is a PostgreSQL table of a million accounts, made once per
// test binary run and dropped by TestMain.
var benchTable struct {
	once  sync.Once
	dsn   string
	name  string
	err   error
	admin *sql.DB
}

func TestMain(m *testing.M) {
	code := m.Run()
	if benchTable.admin != nil {
		benchTable.admin.Exec("DROP TABLE " + benchTable.name)
		benchTable.admin.Close()
	}
	os.Exit(code)
}

func millionAccounts(b *testing.B) (dsn, table string) {
	dsn = connectortest.PostgresDSN(b)
	benchTable.once.Do(func() {
		benchTable.dsn, benchTable.name = dsn, connectortest.UniqueName("bench_accounts_")
		db, err := sql.Open("pgx", dsn)
		if err != nil {
			benchTable.err = err
			return
		}
		benchTable.admin = db
		_, benchTable.err = db.Exec(fmt.Sprintf(`CREATE TABLE %[1]s (login text PRIMARY KEY, full_name text, email text, department text, updated_at timestamptz NOT NULL DEFAULT now());
			INSERT INTO %[1]s (login, full_name, email, department)
			SELECT 'user' || lpad(g::text, 7, '0'), 'Jiří Nováček ' || g, 'user' || g || '@example.com', 'dept ' || (g %% 50)
			FROM generate_series(1, %[2]d) g;
			ANALYZE %[1]s`, benchTable.name, benchRows))
	})
	if benchTable.err != nil {
		b.Fatal(benchTable.err)
	}
	return dsn, benchTable.name
}

// BenchmarkPostgresPaging1M pages through a million-row table with Search,
// next to a baseline that reads the same columns in one plain SELECT.
func BenchmarkPostgresPaging1M(b *testing.B) {
	dsn, table := millionAccounts(b)
	b.Run("baseline-single-select", func(b *testing.B) {
		db := benchTable.admin
		for b.Loop() {
			if n := rawScan(b, db, table); n != benchRows {
				b.Fatalf("%d rows", n)
			}
		}
		b.ReportMetric(float64(benchRows)*float64(b.N)/b.Elapsed().Seconds(), "rows/s")
	})
	b.Run("baseline-keyset-paging-500", func(b *testing.B) {
		for b.Loop() {
			if n := rawPages(b, benchTable.admin, table, 500); n != benchRows {
				b.Fatalf("%d rows", n)
			}
		}
		b.ReportMetric(float64(benchRows)*float64(b.N)/b.Elapsed().Seconds(), "rows/s")
	})
	for _, size := range []int{500, 5000} {
		b.Run(fmt.Sprintf("search-page-%d", size), func(b *testing.B) {
			c, err := sqltable.New(context.Background(), "app", sqltable.Config{Driver: sqltable.Postgres, DSN: dsn, Table: table, Key: "login"})
			if err != nil {
				b.Fatal(err)
			}
			defer c.Close()
			b.ReportAllocs()
			for b.Loop() {
				n := 0
				for obj, err := range c.Search(context.Background(), connector.Query{PageSize: size}) {
					if err != nil || obj.ID == "" {
						b.Fatal(err)
					}
					n++
				}
				if n != benchRows {
					b.Fatalf("%d rows", n)
				}
			}
			b.ReportMetric(float64(benchRows)*float64(b.N)/b.Elapsed().Seconds(), "rows/s")
		})
	}
}

func rawScan(b *testing.B, db *sql.DB, table string) int {
	rows, err := db.Query(fmt.Sprintf("SELECT login, full_name, email, department, updated_at FROM %s", table))
	if err != nil {
		b.Fatal(err)
	}
	defer rows.Close()
	n := 0
	var v [5]sql.NullString
	for rows.Next() {
		if err := rows.Scan(&v[0], &v[1], &v[2], &v[3], &v[4]); err != nil {
			b.Fatal(err)
		}
		n++
	}
	if err := rows.Err(); err != nil {
		b.Fatal(err)
	}
	return n
}

// rawPages reads the table in keyset pages with plain SQL: the connector's
// queries without the connector.
func rawPages(b *testing.B, db *sql.DB, table string, size int) int {
	n, last := 0, ""
	for {
		rows, err := db.Query(fmt.Sprintf("SELECT login, full_name, email, department, updated_at FROM %s WHERE login > $1 ORDER BY login LIMIT %d", table, size), last)
		if err != nil {
			b.Fatal(err)
		}
		got := 0
		var v [5]sql.NullString
		for rows.Next() {
			if err := rows.Scan(&v[0], &v[1], &v[2], &v[3], &v[4]); err != nil {
				b.Fatal(err)
			}
			got++
		}
		rows.Close()
		n += got
		last = v[0].String
		if got < size {
			return n
		}
	}
}
