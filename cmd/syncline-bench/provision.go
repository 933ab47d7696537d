package main

import (
	"context"
	"crypto/sha256"
	"database/sql"
	"encoding/hex"
	"fmt"
	"os"

	_ "github.com/jackc/pgx/v5/stdlib" // database/sql driver "pgx"
	_ "modernc.org/sqlite"             // database/sql driver "sqlite"

	"github.com/syncline/syncline/internal/scenario"
)

// The databases a provisioning phase writes accounts to.
const (
	targetSQLite   = "sqlite"
	targetPostgres = "postgres"
)

// postgresEnv gives the PostgreSQL DSN when -postgres does not.
const postgresEnv = "SYNCLINE_BENCH_POSTGRES"

// targetName is how the report names a target.
func targetName(target string) string {
	if target == targetPostgres {
		return "PostgreSQL"
	}
	return "SQLite"
}

// accountTable is where the accounts of target go: a file of the work
// directory for SQLite; for PostgreSQL, a table named after the work
// directory, so that benchmarks running side by side never share one.
// base tells the baselines' table from the phase's.
func (w workDir) accountTable(target, dsn string, base bool) scenario.ProvisionTarget {
	if target == targetSQLite {
		name := "accounts.db"
		if base {
			name = "baseline-accounts.db"
		}
		return scenario.ProvisionTarget{Driver: "sqlite", DSN: w.file(name), Table: "accounts"}
	}
	sum := sha256.Sum256([]byte(w))
	table := "syncline_bench_" + hex.EncodeToString(sum[:6])
	if base {
		table += "_baseline"
	}
	return scenario.ProvisionTarget{Driver: "postgres", DSN: dsn, Table: table}
}

// openTable opens the database of t and creates its table afresh
// (scenario.ProvisionTable); drop drops it again (SQLite: nothing to do,
// the file stays in the work directory).
func openTable(ctx context.Context, t scenario.ProvisionTarget) (db *sql.DB, drop func(), err error) {
	driver := "pgx"
	if t.Driver == targetSQLite {
		driver = "sqlite"
		if err := removeStore(t.DSN); err != nil {
			return nil, nil, err
		}
	}
	db, err = sql.Open(driver, t.DSN)
	if err != nil {
		return nil, nil, err
	}
	table := quoteIdent(t.Table)
	drop = func() {
		if t.Driver != targetSQLite {
			db.ExecContext(context.WithoutCancel(ctx), "DROP TABLE IF EXISTS "+table)
		}
		db.Close()
	}
	if t.Driver != targetSQLite {
		if _, err := db.ExecContext(ctx, "DROP TABLE IF EXISTS "+table); err != nil {
			drop()
			return nil, nil, err
		}
	}
	if _, err := db.ExecContext(ctx, fmt.Sprintf(scenario.ProvisionTable, table)); err != nil {
		drop()
		return nil, nil, err
	}
	return db, drop, nil
}

// quoteIdent quotes an SQL identifier the standard way, which SQLite and
// PostgreSQL follow.
func quoteIdent(s string) string {
	out := []byte{'"'}
	for i := range len(s) {
		if s[i] == '"' {
			out = append(out, '"')
		}
		out = append(out, s[i])
	}
	return string(append(out, '"'))
}

// accountCheck is what the table held after a provisioning phase, against
// the accounts the export implies (scenario.HR.Accounts).
type accountCheck struct {
	Rows int64 `json:"rows"`
	// Missing, Differing and Unexpected count the active people without
	// an account row, those whose row has other values, and rows no
	// active person accounts for (duplicates included).
	Missing    int64    `json:"missing"`
	Differing  int64    `json:"differing"`
	Unexpected int64    `json:"unexpected"`
	Examples   []string `json:"examples,omitempty"` // the first few
}

// checkAccounts reads every row of the table and compares it with h's
// accounts.
func checkAccounts(ctx context.Context, db *sql.DB, table string, h scenario.HR) (*accountCheck, error) {
	want := make(map[string]scenario.HRAccount, h.Active())
	h.Accounts(func(a scenario.HRAccount) bool { want[a.Login] = a; return true })
	rows, err := db.QueryContext(ctx, "SELECT login, full_name, email, department FROM "+quoteIdent(table))
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	ch := &accountCheck{}
	seen := make(map[string]bool, len(want))
	for rows.Next() {
		var got scenario.HRAccount
		var name, email, dept sql.NullString
		if err := rows.Scan(&got.Login, &name, &email, &dept); err != nil {
			return nil, err
		}
		got.FullName, got.Email, got.Department = name.String, email.String, dept.String
		ch.Rows++
		w, ok := want[got.Login]
		switch {
		case !ok || seen[got.Login]:
			ch.Unexpected++
			ch.example("unexpected row %+v", got)
		case w != got:
			ch.Differing++
			ch.example("row %+v, want %+v", got, w)
		}
		seen[got.Login] = true
	}
	if err := rows.Err(); err != nil {
		return nil, err
	}
	for login := range want {
		if !seen[login] {
			ch.Missing++
			ch.example("no row for %s", login)
		}
	}
	return ch, nil
}

func (ch *accountCheck) example(format string, args ...any) {
	if len(ch.Examples) < keptErrors {
		ch.Examples = append(ch.Examples, fmt.Sprintf(format, args...))
	}
}

// postgresDSN is -postgres, or else $SYNCLINE_BENCH_POSTGRES.
func postgresDSN(flagValue string) string {
	if flagValue != "" {
		return flagValue
	}
	return os.Getenv(postgresEnv)
}

// accountTarget is the account table of a provisioning phase, created
// afresh before the phase.
type accountTarget struct {
	db    *sql.DB
	table string
	drop  func()
}

func openAccountTarget(ctx context.Context, ph phase, opts *options) (*accountTarget, error) {
	t := workDir(opts.dir).accountTable(ph.target, postgresDSN(opts.postgres), false)
	db, drop, err := openTable(ctx, t)
	if err != nil {
		return nil, fmt.Errorf("create the account table: %w", err)
	}
	return &accountTarget{db: db, table: t.Table, drop: drop}, nil
}

// check compares the table with the accounts of the export, after the
// phase, untimed.
func (t *accountTarget) check(ctx context.Context, res *phaseResult, rows int) error {
	ch, err := checkAccounts(ctx, t.db, t.table, scenario.HR{Rows: rows})
	if err != nil {
		return fmt.Errorf("read the account table: %w", err)
	}
	res.Accounts, res.Check = ch.Rows, ch
	return nil
}

// runProvision runs the provisioning phase to every target there is — a
// SQLite file always, PostgreSQL with a DSN — each followed by its
// baselines.
func (b *bench) runProvision(ctx context.Context, rep *report) error {
	dsn := postgresDSN(b.opts.postgres)
	for _, ph := range phases {
		if ph.target == "" || ph.target == targetPostgres && dsn == "" || !b.opts.wanted(ph.name) {
			continue
		}
		if err := b.w.writeProvisionConfig(b.opts.threads, ph, b.w.accountTable(ph.target, dsn, false)); err != nil {
			return err
		}
		b.runPhase(ctx, rep, ph) // its problems are in the report; the baselines are still worth having
		for _, bl := range provisionBaselines {
			if bl.target != ph.target {
				continue
			}
			b.say("baseline %s: %s into %s", bl.name, bl.title, targetName(bl.target))
			res, err := b.spawn(ctx, bl.name)
			if res != nil {
				rep.ProvisionBaselines = append(rep.ProvisionBaselines, newPhaseReport(bl.title, bl.target, res))
				rep.Problems = append(rep.Problems, checkBaseline(bl, b.hr, res)...)
			}
			if err != nil {
				rep.Problems = append(rep.Problems, err.Error())
			}
		}
	}
	return nil
}
