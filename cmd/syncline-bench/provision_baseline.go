package main

import (
	"context"
	"database/sql"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/stdlib"

	"github.com/syncline/syncline/internal/scenario"
)

// provisionBaseline is what a provisioning phase is compared with: the
// same account rows written into the same kind of table with nothing else
// done, in a child process of its own like a phase, so that its peak RSS
// is its own.
type provisionBaseline struct {
	name   string // the -phase value
	title  string
	target string
	copy   bool // PostgreSQL COPY, else multi-row INSERTs
}

var provisionBaselines = []provisionBaseline{
	{name: "baseline-insert-sqlite", title: "bare multi-row INSERT", target: targetSQLite},
	{name: "baseline-insert-postgres", title: "bare multi-row INSERT", target: targetPostgres},
	{name: "baseline-copy-postgres", title: "bare COPY", target: targetPostgres, copy: true},
}

func baselineNamed(name string) (provisionBaseline, bool) {
	for _, bl := range provisionBaselines {
		if bl.name == name {
			return bl, true
		}
	}
	return provisionBaseline{}, false
}

// baselineInsertRows is how many rows one INSERT of a baseline writes.
const baselineInsertRows = 1_000

// runBaseline writes the accounts of the export into a fresh table and
// times the writing alone: one transaction of multi-row INSERTs, or one
// COPY.
func runBaseline(ctx context.Context, bl provisionBaseline, opts *options) (*phaseResult, error) {
	w := workDir(opts.dir)
	res := &phaseResult{Phase: bl.name}
	t := w.accountTable(bl.target, postgresDSN(opts.postgres), true)
	db, drop, err := openTable(ctx, t)
	if err != nil {
		return res, err
	}
	defer drop()
	var accounts [][]any
	scenario.HR{Rows: opts.rows}.Accounts(func(a scenario.HRAccount) bool {
		accounts = append(accounts, []any{a.Login, a.FullName, a.Email, a.Department})
		return true
	})
	write := insertAccounts
	if bl.copy {
		write = copyAccounts
	}
	start := time.Now()
	err = write(ctx, db, t, accounts)
	elapsed := time.Since(start)
	if err != nil {
		return res, err
	}
	res = newPhaseResult(bl.name, newRecorder(), elapsed)
	var n int64
	if err := db.QueryRowContext(ctx, "SELECT count(*) FROM "+quoteIdent(t.Table)).Scan(&n); err != nil {
		return res, err
	}
	res.Objects, res.Success, res.Accounts = n, n, n
	return res, nil
}

// insertAccounts writes rows in one transaction, baselineInsertRows to a
// statement.
func insertAccounts(ctx context.Context, db *sql.DB, t scenario.ProvisionTarget, rows [][]any) error {
	tx, err := db.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	for chunk := range slices.Chunk(rows, baselineInsertRows) {
		var sb strings.Builder
		fmt.Fprintf(&sb, "INSERT INTO %s (%s) VALUES ", quoteIdent(t.Table), strings.Join(scenario.ProvisionColumns, ", "))
		args := make([]any, 0, len(chunk)*len(scenario.ProvisionColumns))
		for r, row := range chunk {
			if r > 0 {
				sb.WriteString(", ")
			}
			sb.WriteByte('(')
			for j := range row {
				if j > 0 {
					sb.WriteString(", ")
				}
				if t.Driver == targetPostgres {
					fmt.Fprintf(&sb, "$%d", len(args)+j+1)
				} else {
					sb.WriteByte('?')
				}
			}
			sb.WriteByte(')')
			args = append(args, row...)
		}
		if _, err := tx.ExecContext(ctx, sb.String(), args...); err != nil {
			return err
		}
	}
	return tx.Commit()
}

// copyAccounts writes rows with one PostgreSQL COPY.
func copyAccounts(ctx context.Context, db *sql.DB, t scenario.ProvisionTarget, rows [][]any) error {
	conn, err := db.Conn(ctx)
	if err != nil {
		return err
	}
	defer conn.Close()
	return conn.Raw(func(dc any) error {
		pc, ok := dc.(*stdlib.Conn)
		if !ok {
			return fmt.Errorf("COPY needs a pgx connection, not %T", dc)
		}
		n, err := pc.Conn().CopyFrom(ctx, pgx.Identifier{t.Table}, scenario.ProvisionColumns, pgx.CopyFromRows(rows))
		if err == nil && n != int64(len(rows)) {
			err = fmt.Errorf("COPY wrote %d rows, not %d", n, len(rows))
		}
		return err
	})
}
