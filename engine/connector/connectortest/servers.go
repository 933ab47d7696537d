package connectortest

import (
	"context"
	"crypto/rand"
	"database/sql"
	"encoding/hex"
	"errors"
	"fmt"
	"net"
	"net/url"
	"os"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/go-sql-driver/mysql"   // and the "mysql" database/sql driver
	_ "github.com/jackc/pgx/v5/stdlib" // the "pgx" database/sql driver
)

// RequireEnv names the servers that must be reachable, comma-separated:
// "postgres", "mariadb". CI sets it, so that a server that is down fails
// the run instead of skipping its tests.
const RequireEnv = "SYNCLINE_TEST_REQUIRE"

// A test server: its name in RequireEnv, the variable that overrides its
// DSN, the default DSN of the development machines, and what else than
// a ping it must answer to be of use to the tests.
type server struct {
	name    string
	aliases []string
	env     string
	dsn     string
	driver  string
	check   func(context.Context, *sql.DB) error
}

var (
	postgres = server{name: "postgres", aliases: []string{"postgresql", "pg"}, env: "SYNCLINE_TEST_POSTGRES_DSN",
		dsn: "postgres://postgres@127.0.0.1:5432/test?sslmode=disable", driver: "pgx"}
	mariadb = server{name: "mariadb", aliases: []string{"mysql"}, env: "SYNCLINE_TEST_MYSQL_DSN",
		dsn: "root@tcp(127.0.0.1:3306)/test", driver: "mysql", check: checkMariaDBTmpdir}
)

// checkMariaDBTmpdir asks what the sql connector asks to open a table:
// the table's columns in information_schema.COLUMNS. MariaDB answers that
// through a temporary table on disk in its tmpdir (/tmp by default), so a
// server that cannot write there (a full or read-only /tmp, or one its
// user may not write to) fails every open of every table with "Can't
// create/write to file '/tmp/#sql-temptable-….MAI' (Errcode: 13 …)".
func checkMariaDBTmpdir(ctx context.Context, db *sql.DB) error {
	var n int
	err := db.QueryRowContext(ctx, `SELECT count(*) FROM information_schema.COLUMNS
		WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = ''`).Scan(&n)
	if err == nil {
		return nil
	}
	tmpdir := "its tmpdir"
	if db.QueryRowContext(ctx, `SELECT @@tmpdir`).Scan(&tmpdir) == nil {
		tmpdir = "its tmpdir, " + tmpdir
	}
	return fmt.Errorf("it cannot list a table's columns (information_schema.COLUMNS), which the sql connector "+
		"does to open every table; MariaDB answers it through a temporary file in %s, so make that directory "+
		"writable by the server's user, or give the server another tmpdir: %w", tmpdir, err)
}

// PostgresDSN returns the data source name of the test PostgreSQL server
// (127.0.0.1:5432, user postgres, database test; SYNCLINE_TEST_POSTGRES_DSN
// overrides it), skipping t when the server cannot be reached.
func PostgresDSN(t testing.TB) string {
	t.Helper()
	return postgres.reach(t)
}

// MariaDBDSN returns the data source name of the test MariaDB server
// (127.0.0.1:3306, user root without password, database test;
// SYNCLINE_TEST_MYSQL_DSN overrides it), skipping t when it cannot be
// reached.
func MariaDBDSN(t testing.TB) string {
	t.Helper()
	return mariadb.reach(t)
}

// PostgresAddr returns the host:port of the test PostgreSQL server, as
// its DSN names it, for tests that put a proxy in front of it or write
// DSNs of their own for it; it skips t as PostgresDSN does, and when the
// DSN names no TCP address.
func PostgresAddr(t testing.TB) string {
	t.Helper()
	dsn := PostgresDSN(t)
	if u, err := url.Parse(dsn); err == nil && (u.Scheme == "postgres" || u.Scheme == "postgresql") && u.Host != "" {
		if u.Port() == "" {
			return net.JoinHostPort(u.Hostname(), "5432")
		}
		return u.Host
	}
	t.Skipf("%s is not a postgres:// URL naming a host; this test needs one", postgres.env)
	return ""
}

// MariaDBAddr returns the host:port of the test MariaDB server, as its
// DSN names it (see PostgresAddr).
func MariaDBAddr(t testing.TB) string {
	t.Helper()
	dsn := MariaDBDSN(t)
	if cfg, err := mysql.ParseDSN(dsn); err == nil && cfg.Net == "tcp" {
		return cfg.Addr
	}
	t.Skipf("%s names no tcp(host:port) address; this test needs one", mariadb.env)
	return ""
}

// probes remembers each server's reachability for the test binary's life.
var probes sync.Map // dsn -> *probe

type probe struct {
	once sync.Once
	err  error
}

func (s server) reach(t testing.TB) string {
	t.Helper()
	dsn := s.dsn
	if v := os.Getenv(s.env); v != "" {
		dsn = v
	}
	p, _ := probes.LoadOrStore(dsn, &probe{})
	pr := p.(*probe)
	pr.once.Do(func() { pr.err = s.ping(dsn) })
	if pr.err == nil {
		return dsn
	}
	what := "unreachable"
	if !errors.As(pr.err, new(*unreachableError)) {
		what = "unusable"
	}
	if s.required() {
		t.Fatalf("%s test server %s (%s names it): %v", s.name, what, RequireEnv, pr.err)
	}
	t.Skipf("%s test server %s, skipping (set %s to another DSN, or %s=%s to fail instead): %v",
		s.name, what, s.env, RequireEnv, s.name, pr.err)
	return ""
}

func (s server) required() bool {
	for _, n := range strings.Split(os.Getenv(RequireEnv), ",") {
		n = strings.ToLower(strings.TrimSpace(n))
		if n == s.name || slices.Contains(s.aliases, n) {
			return true
		}
	}
	return false
}

// ping connects to the server at dsn and runs its check.
func (s server) ping(dsn string) error {
	db, err := sql.Open(s.driver, dsn)
	if err != nil {
		return err
	}
	defer db.Close()
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	if err := db.PingContext(ctx); err != nil {
		return &unreachableError{err}
	}
	if s.check == nil {
		return nil
	}
	return s.check(ctx, db)
}

// unreachableError is a server that did not answer a ping, as opposed to
// one that answered but failed its check.
type unreachableError struct{ err error }

func (e *unreachableError) Error() string { return e.err.Error() }
func (e *unreachableError) Unwrap() error { return e.err }

// UniqueName returns prefix followed by random hex digits, for tables that
// no other test (or other run) uses.
func UniqueName(prefix string) string {
	b := make([]byte, 6)
	rand.Read(b)
	return prefix + hex.EncodeToString(b)
}
