package state

import (
	"context"
	"crypto/sha256"
	"database/sql"
	"encoding/hex"
	"fmt"
	"hash"
	"strconv"
	"strings"
)

// copyTable is a table that CopyTo copies, with the columns that order
// its rows the same way on both engines (its primary key: never NULL, so
// SQLite's and PostgreSQL's different places for NULLs do not matter).
type copyTable struct {
	name  string
	order string
	// identity is set when PostgreSQL numbers the table's id: after the
	// copy its sequence continues after the largest copied id.
	identity bool
}

// copyTables are every table of the schema but schema_migrations (each
// store has its own), in an order that inserts rows before the rows that
// refer to them.
var copyTables = []copyTable{
	{name: "meta", order: "key"},
	{name: "definitions", order: "address"},
	{name: "applies", order: "id", identity: true},
	{name: "locks", order: "name"},
	{name: "task_runtime", order: "task"},
	{name: "runs", order: "id", identity: true},
	{name: "users", order: "id", identity: true},
	{name: "user_indexed_attributes", order: "name"},
	{name: "user_keys", order: "attribute, value, user_id"},
	{name: "shadows", order: "id", identity: true},
	{name: "run_changes", order: "run_id, seq"},
	{name: "sync_failures", order: "id", identity: true},
	{name: "notifications", order: "id", identity: true},
	{name: "sync_tokens", order: "task, activity"},
	{name: "sync_plans", order: "id", identity: true},
	{name: "run_buckets", order: "root_run, activity, bucket"},
}

// CopyReport is what CopyTo copied: per table, in copy order, the rows
// and the hash of their contents, which the copy was checked against.
type CopyReport struct {
	From, To string // locations, without passwords
	Tables   []CopiedTable
}

// CopiedTable is one table of a CopyReport.
type CopiedTable struct {
	Name string
	Rows int64
	Hash string // hex SHA-256 of the rows in key order, equal in both stores
}

// NotEmptyError says the target of a copy already holds a state.
type NotEmptyError struct {
	Location string // without passwords
	Table    string // a table that has rows
	Rows     int64
}

func (e *NotEmptyError) Error() string {
	return fmt.Sprintf("the target state %s is not empty: its table %s has %d rows", e.Location, e.Table, e.Rows)
}

func (*NotEmptyError) refusal() {}

// CopyTo copies the whole store — lineage, serial and secret key, the
// definitions and their history, the lock, task runtimes and runs, the
// repository, tokens and notifications — into a new, empty store at
// location, SQLite or PostgreSQL, which is created when missing. A
// target that holds anything is refused with a NotEmptyError and left as
// it is. The source is read in one transaction (one consistent state,
// which writers go on changing meanwhile: stop serve first) and the
// target written in one, so a failed copy leaves the target empty. Every
// table's row count and content hash is then read back from the target
// and compared with the source's.
func (s *Store) CopyTo(ctx context.Context, location string) (*CopyReport, error) {
	target, err := Open(ctx, location, Options{Clock: s.clock})
	if err != nil {
		return nil, err
	}
	defer target.Close()
	report := &CopyReport{From: s.path, To: target.path}
	if err := target.checkEmpty(ctx); err != nil {
		return nil, target.fail("copy", err, "Copy into a new file, or an empty PostgreSQL schema (set search_path in the URL).")
	}
	err = s.read(ctx, func(src *sql.Tx) error {
		return target.write(ctx, func(dst *sql.Tx) error {
			return copyAll(ctx, src, dst, target.dialect, report)
		})
	})
	if err != nil {
		return nil, s.fail("copy", err, "")
	}
	if err := target.verifyCopy(ctx, report); err != nil {
		return nil, target.fail("copy", err, "")
	}
	return report, nil
}

// checkEmpty refuses a store that has anything but what a new store has:
// its serial 0 and secret key.
func (s *Store) checkEmpty(ctx context.Context) error {
	for _, t := range copyTables {
		var n int64
		query := `SELECT count(*) FROM ` + t.name
		if t.name == "meta" {
			query += ` WHERE key NOT IN ('secret_key') AND NOT (key = 'serial' AND value = '0')`
		}
		if err := s.db.QueryRowContext(ctx, query).Scan(&n); err != nil {
			return err
		}
		if n > 0 {
			return &NotEmptyError{Location: s.path, Table: t.name, Rows: n}
		}
	}
	return nil
}

// copyAll copies every table from src to dst, recording each in report.
func copyAll(ctx context.Context, src, dst *sql.Tx, target dialect, report *CopyReport) error {
	if _, err := dst.ExecContext(ctx, `DELETE FROM meta`); err != nil {
		return err
	}
	for _, t := range copyTables {
		copied, err := copyRows(ctx, src, dst, t)
		if err != nil {
			return fmt.Errorf("table %s: %w", t.name, err)
		}
		report.Tables = append(report.Tables, copied)
		if t.identity && target == dialectPostgres {
			if _, err := dst.ExecContext(ctx, `SELECT setval(pg_get_serial_sequence('`+t.name+`', 'id'),
    (SELECT coalesce(max(id), 0) + 1 FROM `+t.name+`), false)`); err != nil {
				return fmt.Errorf("table %s: %w", t.name, err)
			}
		}
	}
	return nil
}

// copyRowsPerInsert is how many rows one INSERT of a copy carries: at
// most 17 columns each, well under both engines' limits on parameters.
const copyRowsPerInsert = 256

// copyRows copies the rows of one table, many to an INSERT, hashing them.
func copyRows(ctx context.Context, src, dst *sql.Tx, t copyTable) (CopiedTable, error) {
	out := CopiedTable{Name: t.name}
	rows, err := src.QueryContext(ctx, `SELECT * FROM `+t.name+` ORDER BY `+t.order)
	if err != nil {
		return out, err
	}
	defer rows.Close()
	cols, err := rows.Columns()
	if err != nil {
		return out, err
	}
	prefix := `INSERT INTO ` + t.name + ` (` + quoteColumns(cols) + `) VALUES `
	h := sha256.New()
	var batch []any
	flush := func() error {
		if len(batch) == 0 {
			return nil
		}
		_, err := dst.ExecContext(ctx, multiRowInsert(prefix, len(cols), len(batch)/len(cols)), batch...)
		batch = batch[:0]
		return err
	}
	for rows.Next() {
		vals, err := scanRow(rows, len(cols))
		if err != nil {
			return out, err
		}
		hashRow(h, vals)
		out.Rows++
		batch = append(batch, vals...)
		if len(batch) >= copyRowsPerInsert*len(cols) {
			if err := flush(); err != nil {
				return out, err
			}
		}
	}
	if err := rows.Err(); err != nil {
		return out, err
	}
	out.Hash = hex.EncodeToString(h.Sum(nil))
	return out, flush()
}

// verifyCopy reads every copied table back and compares its count and
// hash with what was copied.
func (s *Store) verifyCopy(ctx context.Context, report *CopyReport) error {
	return s.read(ctx, func(tx *sql.Tx) error {
		for i, t := range copyTables {
			got, err := hashTable(ctx, tx, t)
			if err != nil {
				return err
			}
			if want := report.Tables[i]; got != want {
				return fmt.Errorf("the copy of table %s differs: %d rows (hash %.12s) copied, %d rows (hash %.12s) read back",
					t.name, want.Rows, want.Hash, got.Rows, got.Hash)
			}
		}
		return nil
	})
}

// hashTable counts and hashes a table's rows as copyRows does.
func hashTable(ctx context.Context, tx *sql.Tx, t copyTable) (CopiedTable, error) {
	out := CopiedTable{Name: t.name}
	rows, err := tx.QueryContext(ctx, `SELECT * FROM `+t.name+` ORDER BY `+t.order)
	if err != nil {
		return out, err
	}
	defer rows.Close()
	cols, err := rows.Columns()
	if err != nil {
		return out, err
	}
	h := sha256.New()
	for rows.Next() {
		vals, err := scanRow(rows, len(cols))
		if err != nil {
			return out, err
		}
		hashRow(h, vals)
		out.Rows++
	}
	out.Hash = hex.EncodeToString(h.Sum(nil))
	return out, rows.Err()
}

func scanRow(rows *sql.Rows, n int) ([]any, error) {
	vals := make([]any, n)
	ptrs := make([]any, n)
	for i := range vals {
		ptrs[i] = &vals[i]
	}
	if err := rows.Scan(ptrs...); err != nil {
		return nil, err
	}
	for i, v := range vals {
		if b, ok := v.([]byte); ok {
			vals[i] = string(b) // a driver's text as bytes: store it as text
		}
	}
	return vals, nil
}

// hashRow adds one row to h the same way whichever engine it came from:
// each value as its type's letter and its text, length-prefixed.
func hashRow(h hash.Hash, vals []any) {
	var b strings.Builder
	for _, v := range vals {
		var s string
		switch v := v.(type) {
		case nil:
			s = "n"
		case int64:
			s = "i" + strconv.FormatInt(v, 10)
		case string:
			s = "s" + v
		default:
			s = fmt.Sprintf("?%v", v)
		}
		b.WriteString(strconv.Itoa(len(s)))
		b.WriteByte(':')
		b.WriteString(s)
	}
	b.WriteByte('\n')
	h.Write([]byte(b.String()))
}

func quoteColumns(cols []string) string {
	q := make([]string, len(cols))
	for i, c := range cols {
		q[i] = `"` + c + `"`
	}
	return strings.Join(q, ", ")
}
