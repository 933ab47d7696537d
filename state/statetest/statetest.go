package statetest

import (
	"context"
	"crypto/rand"
	"database/sql"
	"encoding/hex"
	"fmt"
	"net/url"
	"os"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	_ "github.com/jackc/pgx/v5/stdlib" // the "pgx" database/sql driver
)

// RequireEnv names the servers that must be reachable, comma-separated;
// "postgres" (or "postgresql", "pg") makes an unreachable PostgreSQL fail
// the tests that need it instead of skipping them.
const RequireEnv = "SYNCLINE_TEST_REQUIRE"

// DSNEnv overrides the test server's URL.
const DSNEnv = "SYNCLINE_TEST_POSTGRES_DSN"

// defaultDSN is the test server of the development machines and CI.
const defaultDSN = "postgres://postgres@127.0.0.1:5432/test?sslmode=disable"

// DSN is the test server's URL, without a schema.
func DSN() string {
	if dsn := os.Getenv(DSNEnv); dsn != "" {
		return dsn
	}
	return defaultDSN
}

// Required reports whether SYNCLINE_TEST_REQUIRE names PostgreSQL.
func Required() bool {
	for _, name := range strings.Split(os.Getenv(RequireEnv), ",") {
		if slices.Contains([]string{"postgres", "postgresql", "pg"}, strings.ToLower(strings.TrimSpace(name))) {
			return true
		}
	}
	return false
}

var (
	reachOnce sync.Once
	reachErr  error
)

// Reachable returns nil when the test server answers, or why not; it
// asks once per process.
func Reachable() error {
	reachOnce.Do(func() {
		db, err := sql.Open("pgx", DSN())
		if err != nil {
			reachErr = err
			return
		}
		defer db.Close()
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		if err := db.PingContext(ctx); err != nil {
			reachErr = fmt.Errorf("PostgreSQL at %s does not answer: %w", hostOf(DSN()), err)
		}
	})
	return reachErr
}

// hostOf names the server of dsn without its user or password.
func hostOf(dsn string) string {
	if u, err := url.Parse(dsn); err == nil {
		return u.Host
	}
	return "the test server"
}

// Location returns a state location for t: the test server with a new,
// empty schema as the search_path, dropped with everything in it when t
// ends. An unreachable server skips t (fails it when required).
func Location(t testing.TB) string {
	t.Helper()
	if err := Reachable(); err != nil {
		if Required() {
			t.Fatalf("%v (%s names postgres)", err, RequireEnv)
		}
		t.Skipf("%v; set %s=postgres to fail instead of skipping", err, RequireEnv)
	}
	schema := "syncline_test_" + randomHex(6)
	exec(t, `CREATE SCHEMA `+schema)
	t.Cleanup(func() { exec(t, `DROP SCHEMA `+schema+` CASCADE`) })
	return WithSchema(DSN(), schema)
}

// WithSchema is dsn with search_path set to schema.
func WithSchema(dsn, schema string) string {
	sep := "?"
	if strings.Contains(dsn, "?") {
		sep = "&"
	}
	return dsn + sep + "search_path=" + url.QueryEscape(schema)
}

// exec runs one statement on the test server.
func exec(t testing.TB, stmt string) {
	t.Helper()
	db, err := sql.Open("pgx", DSN())
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	if _, err := db.ExecContext(context.Background(), stmt); err != nil {
		t.Fatalf("%s: %v", stmt, err)
	}
}

func randomHex(n int) string {
	b := make([]byte, n)
	_, _ = rand.Read(b)
	return hex.EncodeToString(b)
}
