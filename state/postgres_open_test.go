package state

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/syncline/syncline/state/statetest"
)

func TestRedactLocation(t *testing.T) {
	t.Parallel()
	tests := []struct{ location, shown string }{
		{"postgres://postgres@127.0.0.1:5432/test", "postgres://postgres@127.0.0.1:5432/test"},
		{"postgres://syncline:hunter2@db.example/state", "postgres://syncline:xxxxx@db.example/state"},
		{"postgresql://u:p%40ss@db/x?search_path=s&password=S3cr3t", "postgresql://u:xxxxx@db/x?password=xxxxx&search_path=s"},
		{"postgres://db/x?sslpassword=S3cr3t&sslmode=require", "postgres://db/x?sslmode=require&sslpassword=xxxxx"},
		{"postgres://u:S3cr3t@[bad/x?y=%zz", "postgres://…"},
	}
	for _, tt := range tests {
		shown, _ := redactLocation(tt.location)
		if shown != tt.shown {
			t.Errorf("redactLocation(%q) = %q, want %q", tt.location, shown, tt.shown)
		}
	}
}

func TestLocationWithoutSecrets(t *testing.T) {
	t.Parallel()
	tests := []struct{ location, want string }{
		{"/srv/state.db", "/srv/state.db"},
		{"postgres://syncline:hunter2@db/iam?search_path=s", "postgres://syncline@db/iam?search_path=s"},
		{"postgresql://db/iam?password=S3cr3t&sslmode=require&SSLPassword=x", "postgresql://db/iam?sslmode=require"},
		{"postgres://u:S3cr3t@[bad/x", "postgres://"},
	}
	for _, tt := range tests {
		if got := LocationWithoutSecrets(tt.location); got != tt.want {
			t.Errorf("LocationWithoutSecrets(%q) = %q, want %q", tt.location, got, tt.want)
		}
	}
}

// TestOpenPostgresHidesSecrets: no error of a PostgreSQL open shows a
// password, whether the URL does not parse or the server does not answer.
func TestOpenPostgresHidesSecrets(t *testing.T) {
	t.Parallel()
	tests := []struct{ name, location, want string }{
		{"unreachable", "postgres://syncline:hunter2@127.0.0.1:1/state?password=S3cr3t-p&connect_timeout=5", "cannot connect to PostgreSQL"},
		{"unparsable", "postgres://u:hunter2@[S3cr3t-h/x?y=%zzS3cr3t", "Check the PostgreSQL URL"},
		{"bad parameter", "postgres://u:hunter2@127.0.0.1:1/x?sslmode=S3cr3t-mode", "Check the PostgreSQL URL"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			_, err := Open(context.Background(), tt.location, Options{})
			if err == nil {
				t.Fatal("Open succeeded")
			}
			msg := err.Error()
			for e := errors.Unwrap(err); e != nil; e = errors.Unwrap(e) {
				msg += "\n" + e.Error()
			}
			if !strings.Contains(msg, tt.want) {
				t.Errorf("err = %v; want it to contain %q", err, tt.want)
			}
			if strings.Contains(msg, "hunter2") || strings.Contains(msg, "S3cr3t-p") {
				t.Errorf("the error shows a secret: %s", msg)
			}
		})
	}
}

func postgresOnly(t *testing.T) {
	t.Helper()
	if testBackend != dialectPostgres {
		t.Skip("PostgreSQL only: runs on the PostgreSQL pass")
	}
}

// TestOpenRefusesForeignSchema: a schema with another application's
// tables is refused and left as it was.
func TestOpenRefusesForeignSchema(t *testing.T) {
	t.Parallel()
	postgresOnly(t)
	location := statetest.Location(t)
	rawPostgres(t, location, `CREATE TABLE accounts (id int)`, `INSERT INTO accounts VALUES (1)`)
	before := fingerprint(t, location)
	_, err := Open(context.Background(), location, Options{})
	if !errors.Is(err, ErrNotStore) || !strings.Contains(err.Error(), "another application (tables: accounts)") {
		t.Fatalf("err = %v; want a NotStoreError naming accounts", err)
	}
	if fingerprint(t, location) != before {
		t.Error("the schema changed")
	}
}

// TestOpenCreatesTheSchema: a search_path naming a schema that does not
// exist yet gets it, and a read-only open of an empty schema is refused
// as a store of version 0.
func TestOpenCreatesTheSchema(t *testing.T) {
	t.Parallel()
	postgresOnly(t)
	base := statetest.Location(t) // dropped at the end, with the schema inside
	location := strings.Replace(base, "search_path=", "search_path=", 1) + "_nested"
	rawPostgres(t, base, `SELECT 1`)
	t.Cleanup(func() { rawPostgres(t, base, `DROP SCHEMA IF EXISTS `+firstSchema(searchPathOf(location))+` CASCADE`) })

	if _, err := Open(context.Background(), location, Options{ReadOnly: true}); !errors.As(err, new(*SchemaVersionError)) {
		t.Fatalf("read-only open of a missing schema: %v; want a SchemaVersionError", err)
	}
	s, err := Open(context.Background(), location, Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	if _, _, err := s.Init(context.Background()); err != nil {
		t.Fatal(err)
	}
	if !s.IsPostgres() || strings.Contains(s.Path(), "xxxxx") {
		t.Errorf("Path() = %q", s.Path())
	}
}

func searchPathOf(location string) string {
	_, sp, _ := strings.Cut(location, "search_path=")
	sp, _, _ = strings.Cut(sp, "&")
	return sp
}

// TestPostgresWritesTakeTurns: a write of a PostgreSQL store waits for
// another transaction holding the schema's write lock, as on SQLite for
// the file's, and gives up after BusyTimeout; it goes through once the
// other transaction ends.
func TestPostgresWritesTakeTurns(t *testing.T) {
	t.Parallel()
	postgresOnly(t)
	b := setup(t)
	s, err := Open(b.ctx, b.path, Options{Clock: b.clock, BusyTimeout: 300 * time.Millisecond})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	other := openUnmigratedPostgres(t, b.path)
	tx, err := other.db.BeginTx(b.ctx, nil)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := tx.ExecContext(b.ctx, `SELECT pg_advisory_xact_lock(?, hashtext(current_schema()))`, postgresWriteLockKey); err != nil {
		t.Fatal(err)
	}
	if _, _, err := s.Init(b.ctx); err == nil || !strings.Contains(err.Error(), "lock timeout") {
		t.Fatalf("Init while another transaction writes: %v; want a lock timeout", err)
	}
	if snap, err := s.Snapshot(b.ctx); err != nil || snap.Lineage != "" {
		t.Fatalf("a read while another transaction writes: %+v, %v", snap, err)
	}
	if err := tx.Rollback(); err != nil {
		t.Fatal(err)
	}
	if _, created, err := s.Init(b.ctx); err != nil || !created {
		t.Fatalf("Init once the other transaction ended: %v, %v", created, err)
	}
}
