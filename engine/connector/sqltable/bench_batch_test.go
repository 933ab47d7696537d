package sqltable_test

import (
	"context"
	"database/sql"
	"fmt"
	"path/filepath"
	"strings"
	"testing"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/stdlib"

	"github.com/syncline/syncline/engine/connector"
	"github.com/syncline/syncline/engine/connector/connectortest"
	"github.com/syncline/syncline/engine/connector/sqltable"
)

const (
	benchCreates   = 100_000
	benchBatchSize = 1_000
	// benchOneByOne is how many rows the one-by-one Create writes: at a
	// transaction per row, 100,000 would take minutes. Its rows/s is the
	// rate to compare.
	benchOneByOne = 2_000
)

// BenchmarkCreate100k writes 100,000 new accounts three ways, each into a
// fresh table: through Apply in batches of 1,000, through Create one by
// one (2,000 rows, see benchOneByOne), and, as the baseline, bare
// multi-row INSERTs of 1,000 rows in one transaction through database/sql.
// Run with -benchtime=1x: one iteration is 100,000 rows.
func BenchmarkCreate100k(b *testing.B) {
	for _, bd := range []struct {
		name string
		db   database
	}{{"sqlite", sqliteDB}, {"postgres", postgresDB}} {
		b.Run(bd.name+"/batch", func(b *testing.B) { benchCreate(b, bd.db, benchCreates, applyBatches) })
		b.Run(bd.name+"/one-by-one", func(b *testing.B) { benchCreate(b, bd.db, benchOneByOne, createEach) })
		b.Run(bd.name+"/bare-insert", func(b *testing.B) { benchCreate(b, bd.db, benchCreates, bareInsert) })
		if bd.db.driver == sqltable.Postgres {
			b.Run(bd.name+"/bare-copy", func(b *testing.B) { benchCreate(b, bd.db, benchCreates, bareCopy) })
		}
	}
}

// benchTarget is a fresh table and the ways to reach it.
type benchTarget struct {
	c     *sqltable.Connector
	db    *sql.DB
	d     database
	table string // quoted
}

func benchCreate(b *testing.B, d database, n int, write func(b *testing.B, t benchTarget, objs []connector.Object)) {
	objs := benchAccounts(n)
	for i := 0; i < b.N; i++ {
		b.StopTimer()
		t := newBenchTarget(b, d)
		b.StartTimer()
		write(b, t, objs)
		b.StopTimer()
		t.c.Close()
		b.StartTimer()
	}
	b.ReportMetric(float64(n)*float64(b.N)/b.Elapsed().Seconds(), "rows/s")
}

func newBenchTarget(b *testing.B, d database) benchTarget {
	var dsn string
	if d.driver == sqltable.SQLite {
		dsn = filepath.Join(b.TempDir(), "bench.db")
	} else {
		dsn = connectortest.PostgresDSN(b)
	}
	db, err := sql.Open(d.sqlDriver, dsn)
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { db.Close() })
	name := connectortest.UniqueName("bench_create_")
	if _, err := db.Exec(fmt.Sprintf("CREATE TABLE %s (login text PRIMARY KEY, full_name text, email text, department text)", d.quote(name))); err != nil {
		b.Fatal(err)
	}
	if d.driver != sqltable.SQLite {
		b.Cleanup(func() { db.Exec("DROP TABLE " + d.quote(name)) })
	}
	c, err := sqltable.New(context.Background(), "bench", sqltable.Config{Driver: d.driver, DSN: dsn, Table: name, Key: "login"})
	if err != nil {
		b.Fatal(err)
	}
	return benchTarget{c: c, db: db, d: d, table: d.quote(name)}
}

func benchAccounts(n int) []connector.Object {
	out := make([]connector.Object, n)
	for i := range out {
		id := fmt.Sprintf("user%07d", i)
		out[i] = connector.Object{ID: id, Attributes: connector.Attributes{
			"full_name": {fmt.Sprintf("Jiří Nováček %d", i)}, "email": {id + "@example.com"}, "department": {fmt.Sprintf("dept %d", i%50)},
		}}
	}
	return out
}

func applyBatches(b *testing.B, t benchTarget, objs []connector.Object) {
	for start := 0; start < len(objs); start += benchBatchSize {
		chunk := objs[start:min(start+benchBatchSize, len(objs))]
		ops := make([]connector.Operation, len(chunk))
		for i, o := range chunk {
			ops[i] = connector.CreateOp(o)
		}
		for i, err := range t.c.Apply(context.Background(), ops) {
			if err != nil {
				b.Fatalf("create %q: %v", chunk[i].ID, err)
			}
		}
	}
}

func createEach(b *testing.B, t benchTarget, objs []connector.Object) {
	for _, o := range objs {
		if err := t.c.Create(context.Background(), o); err != nil {
			b.Fatal(err)
		}
	}
}

// bareInsert is the baseline: multi-row INSERTs of benchBatchSize rows, in
// one transaction, with no checks.
func bareInsert(b *testing.B, t benchTarget, objs []connector.Object) {
	tx, err := t.db.Begin()
	if err != nil {
		b.Fatal(err)
	}
	defer tx.Rollback()
	for start := 0; start < len(objs); start += benchBatchSize {
		chunk := objs[start:min(start+benchBatchSize, len(objs))]
		rows := make([]string, len(chunk))
		args := make([]any, 0, 4*len(chunk))
		for i, o := range chunk {
			ph := make([]string, 4)
			for j := range ph {
				ph[j] = "?"
				if t.d.driver == sqltable.Postgres {
					ph[j] = fmt.Sprintf("$%d", 4*i+j+1)
				}
			}
			rows[i] = "(" + strings.Join(ph, ", ") + ")"
			args = append(args, o.ID, o.Attributes.First("full_name"), o.Attributes.First("email"), o.Attributes.First("department"))
		}
		if _, err := tx.Exec("INSERT INTO "+t.table+" (login, full_name, email, department) VALUES "+strings.Join(rows, ", "), args...); err != nil {
			b.Fatal(err)
		}
	}
	if err := tx.Commit(); err != nil {
		b.Fatal(err)
	}
}

// bareCopy is PostgreSQL's baseline: one COPY of every row through pgx,
// with no checks.
func bareCopy(b *testing.B, t benchTarget, objs []connector.Object) {
	rows := make([][]any, len(objs))
	for i, o := range objs {
		rows[i] = []any{o.ID, o.Attributes.First("full_name"), o.Attributes.First("email"), o.Attributes.First("department")}
	}
	conn, err := t.db.Conn(context.Background())
	if err != nil {
		b.Fatal(err)
	}
	defer conn.Close()
	err = conn.Raw(func(dc any) error {
		name := strings.Trim(t.table, `"`) // UniqueName needs no quoting
		_, err := dc.(*stdlib.Conn).Conn().CopyFrom(context.Background(), pgx.Identifier{name},
			[]string{"login", "full_name", "email", "department"}, pgx.CopyFromRows(rows))
		return err
	})
	if err != nil {
		b.Fatal(err)
	}
}

// benchUpdates is how many rows BenchmarkUpdate changes.
const benchUpdates = 20_000

// BenchmarkUpdate changes two columns of 20,000 rows, written beforehand
// (untimed), through Apply in batches of 1,000 and, as the baseline, one
// bare UPDATE a row in one transaction through database/sql.
func BenchmarkUpdate(b *testing.B) {
	for _, bd := range []struct {
		name string
		db   database
	}{{"sqlite", sqliteDB}, {"postgres", postgresDB}} {
		b.Run(bd.name+"/batch", func(b *testing.B) { benchUpdate(b, bd.db, applyUpdates) })
		b.Run(bd.name+"/bare-update", func(b *testing.B) { benchUpdate(b, bd.db, bareUpdates) })
	}
}

func benchUpdate(b *testing.B, d database, write func(b *testing.B, t benchTarget, objs []connector.Object)) {
	objs := benchAccounts(benchUpdates)
	for i := 0; i < b.N; i++ {
		b.StopTimer()
		t := newBenchTarget(b, d)
		bareInsert(b, t, objs)
		b.StartTimer()
		write(b, t, objs)
		b.StopTimer()
		t.c.Close()
		b.StartTimer()
	}
	b.ReportMetric(float64(benchUpdates)*float64(b.N)/b.Elapsed().Seconds(), "rows/s")
}

func applyUpdates(b *testing.B, t benchTarget, objs []connector.Object) {
	for start := 0; start < len(objs); start += benchBatchSize {
		chunk := objs[start:min(start+benchBatchSize, len(objs))]
		ops := make([]connector.Operation, len(chunk))
		for i, o := range chunk {
			ops[i] = connector.UpdateOp(o.ID, connector.Replace("department", "moved"), connector.Replace("email", "new-"+o.ID))
		}
		for i, err := range t.c.Apply(context.Background(), ops) {
			if err != nil {
				b.Fatalf("update %q: %v", chunk[i].ID, err)
			}
		}
	}
}

// bareUpdates is the baseline: one UPDATE a row, in one transaction,
// with no checks.
func bareUpdates(b *testing.B, t benchTarget, objs []connector.Object) {
	tx, err := t.db.Begin()
	if err != nil {
		b.Fatal(err)
	}
	defer tx.Rollback()
	query := "UPDATE " + t.table + " SET department = ?, email = ? WHERE login = ?"
	if t.d.driver == sqltable.Postgres {
		query = "UPDATE " + t.table + " SET department = $1, email = $2 WHERE login = $3"
	}
	for _, o := range objs {
		if _, err := tx.Exec(query, "moved", "new-"+o.ID, o.ID); err != nil {
			b.Fatal(err)
		}
	}
	if err := tx.Commit(); err != nil {
		b.Fatal(err)
	}
}
