package connectortest

import (
	"context"
	"crypto/rand"
	"database/sql"
	"encoding/hex"
	"os"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	_ "github.com/go-sql-driver/mysql" // the "mysql" database/sql driver
	_ "github.com/jackc/pgx/v5/stdlib" // the "pgx" database/sql driver
)

// RequireEnv names the servers that must be reachable, comma-separated:
// "postgres", "mariadb". CI sets it, so that a server that is down fails
// the run instead of skipping its tests.
const RequireEnv = "SYNCLINE_TEST_REQUIRE"

// A test server: its name in RequireEnv, the variable that overrides its
// DSN, and the default DSN of the development machines.
type server struct {
	name    string
	aliases []string
	env     string
	dsn     string
	driver  string
}

var (
	postgres = server{name: "postgres", aliases: []string{"postgresql", "pg"}, env: "SYNCLINE_TEST_POSTGRES_DSN",
		dsn: "postgres://postgres@127.0.0.1:5432/test?sslmode=disable", driver: "pgx"}
	mariadb = server{name: "mariadb", aliases: []string{"mysql"}, env: "SYNCLINE_TEST_MYSQL_DSN",
		dsn: "root@tcp(127.0.0.1:3306)/test", driver: "mysql"}
)

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
	pr.once.Do(func() { pr.err = ping(s.driver, dsn) })
	if pr.err == nil {
		return dsn
	}
	if s.required() {
		t.Fatalf("%s test server unreachable (%s names it): %v", s.name, RequireEnv, pr.err)
	}
	t.Skipf("%s test server unreachable, skipping (set %s to another DSN, or %s=%s to fail instead): %v",
		s.name, s.env, RequireEnv, s.name, pr.err)
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

func ping(driver, dsn string) error {
	db, err := sql.Open(driver, dsn)
	if err != nil {
		return err
	}
	defer db.Close()
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	return db.PingContext(ctx)
}

// UniqueName returns prefix followed by random hex digits, for tables that
// no other test (or other run) uses.
func UniqueName(prefix string) string {
	b := make([]byte, 6)
	rand.Read(b)
	return prefix + hex.EncodeToString(b)
}
