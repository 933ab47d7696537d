package state

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io"
	"os"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/syncline/syncline/internal/clock"
)

func TestMain(m *testing.M) {
	if mode := os.Getenv("STATE_TEST_HOLD_LOCK"); mode != "" {
		os.Exit(holdLock(mode, os.Getenv("STATE_TEST_PATH")))
	}
	if journal := os.Getenv("STATE_TEST_KILLED_WRITER"); journal != "" {
		os.Exit(killedWriter(journal, os.Getenv("STATE_TEST_PATH")))
	}
	if rounds := os.Getenv("STATE_TEST_APPLY_ROUNDS"); rounds != "" {
		os.Exit(applyRounds(rounds, os.Getenv("STATE_TEST_PATH")))
	}
	os.Exit(runOnEveryBackend(m))
}

// holdLock runs in a child process started by the cross-process lock
// tests: it takes the lock on the store at path and prints its ID. With
// mode "hold" it keeps the lock until its standard input closes; with
// mode "exit" it exits at once, leaving the lock behind as a crash would.
func holdLock(mode, path string) int {
	ctx := context.Background()
	s, err := Open(ctx, path, Options{})
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 1
	}
	info, err := s.LockAcquire(ctx, "apply", 0)
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 1
	}
	fmt.Printf("LOCKED %s\n", info.ID)
	if mode == "exit" {
		return 0
	}
	_, _ = io.Copy(io.Discard, os.Stdin)
	if err := s.LockRelease(ctx, info.ID); err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 1
	}
	return 0
}

// bundle is what most tests start from: an open store in a fresh file
// or, on the PostgreSQL pass, a fresh schema.
type bundle struct {
	ctx   context.Context
	path  string // the file, or the PostgreSQL URL with the schema
	clock *clock.Fake
	store *Store
}

func setup(t *testing.T) *bundle {
	t.Helper()
	b := &bundle{
		ctx:   context.Background(),
		path:  newLocation(t),
		clock: newFakeClock(),
	}
	b.store = b.open(t)
	return b
}

// open opens another handle on the bundle's file, closed when t ends.
func (b *bundle) open(t *testing.T) *Store {
	t.Helper()
	s, err := Open(b.ctx, b.path, Options{Clock: b.clock})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = s.Close() })
	return s
}

// apply applies req and fails the test on error.
func (b *bundle) apply(t *testing.T, req ApplyRequest) *ApplyResult {
	t.Helper()
	res, err := b.store.Apply(b.ctx, req)
	if err != nil {
		t.Fatal(err)
	}
	return res
}

func (b *bundle) snapshot(t *testing.T) *Snapshot {
	t.Helper()
	snap, err := b.store.Snapshot(b.ctx)
	if err != nil {
		t.Fatal(err)
	}
	return snap
}

// request makes an ApplyRequest against the current snapshot.
func (b *bundle) request(t *testing.T) ApplyRequest {
	t.Helper()
	snap := b.snapshot(t)
	return ApplyRequest{Lineage: snap.Lineage, Serial: snap.Serial, Who: "alice", Revision: "abc123"}
}

// dump renders every row of every table, so two dumps are equal exactly
// when the stored state is logically identical.
func (b *bundle) dump(t *testing.T) string {
	t.Helper()
	return dumpStore(t, b.store)
}

func dumpStore(t *testing.T, s *Store) string {
	t.Helper()
	ctx := context.Background()
	tables, err := userTables(ctx, s.db)
	if err != nil {
		t.Fatal(err)
	}
	var out strings.Builder
	for _, table := range tables {
		fmt.Fprintf(&out, "== %s\n", table)
		rows, err := s.db.QueryContext(ctx, "SELECT * FROM "+table+" ORDER BY 1")
		if err != nil {
			t.Fatal(err)
		}
		cols, _ := rows.Columns()
		for rows.Next() {
			vals := make([]any, len(cols))
			ptrs := make([]any, len(cols))
			for i := range vals {
				ptrs[i] = &vals[i]
			}
			if err := rows.Scan(ptrs...); err != nil {
				t.Fatal(err)
			}
			fmt.Fprintf(&out, "%q\n", vals)
		}
		if err := rows.Close(); err != nil {
			t.Fatal(err)
		}
	}
	return out.String()
}

// schemaOf lists the SQL that created every object of the store.
func schemaOf(t *testing.T, s *Store) string {
	t.Helper()
	query := `SELECT type, name, coalesce(sql, '') FROM sqlite_master ORDER BY type, name`
	if s.dialect == dialectPostgres {
		query = postgresSchemaQuery
	}
	rows, err := s.db.Query(query)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	var out []string
	for rows.Next() {
		var typ, name, sql string
		if err := rows.Scan(&typ, &name, &sql); err != nil {
			t.Fatal(err)
		}
		out = append(out, typ+" "+name+"\n"+sql)
	}
	return strings.Join(out, "\n\n")
}

func def(kind, name, hash string) *Definition {
	return &Definition{
		Kind: kind, Name: name, Hash: hash,
		Spec:       map[string]string{"description": fmt.Sprintf("%q", name+" "+hash)},
		SourceFile: kind + "s.hcl", SourceLine: 1,
	}
}

// newFakeClock is the clock every state test starts from.
func newFakeClock() *clock.Fake {
	return clock.NewFake(time.Date(2025, 3, 14, 9, 26, 53, 0, time.UTC))
}

func fileSHA256(t *testing.T, path string) string {
	t.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	sum := sha256.Sum256(data)
	return hex.EncodeToString(sum[:])
}

func dirEntries(t *testing.T, dir string) []string {
	t.Helper()
	entries, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, e := range entries {
		names = append(names, e.Name())
	}
	sort.Strings(names)
	return names
}
