package main

import (
	"bytes"
	"context"
	"database/sql"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/syncline/syncline/engine/connector/connectortest"
	_ "modernc.org/sqlite"
)

// TestResourcesQuickstart is what the README's reader runs after declaring
// the quickstart's resources: the HR file works at once; the application
// database, generated and never committed, is created by the first test
// (create_table), which says so, and is found by the next one.
func TestResourcesQuickstart(t *testing.T) {
	t.Parallel()
	dir := copyQuickstart(t)
	appDB := filepath.Join(dir, "data", "app.db")
	os.Remove(appDB) // a developer's own, copied along; a clean tree has none
	res := runCLI(t, "", "resources", "test", "hr", dir)
	if res.code != 0 {
		t.Fatalf("hr: exit %d\n%s%s", res.code, res.stdout, res.stderr)
	}
	checkContains(t, "hr stdout", res.stdout, "Objects:       32", "    emp_id  (identifier)", "    state\n")

	res = runCLI(t, "", "resources", "test", "app", dir)
	if res.code != 0 {
		t.Fatalf("app without a database: exit %d\n%s%s", res.code, res.stdout, res.stderr)
	}
	checkContains(t, "app stdout", res.stdout, `Resource "app" (sql): the connection works.`,
		`Created the database file and table "main"."accounts": it did not exist, and the connection sets create_table = true.`,
		"Server:        SQLite 3.", `Location:      sqlite database (dsn), table "main"."accounts"`, "Objects:       0",
		"    login      TEXT  (identifier)", "    full_name  TEXT\n", "    email      TEXT\n")
	if _, err := os.Stat(appDB); err != nil {
		t.Fatalf("the database was not created: %v", err)
	}

	fillAppDB(t, appDB)
	res = runCLI(t, "", "resources", "test", "app", dir)
	if res.code != 0 {
		t.Fatalf("app: exit %d\n%s%s", res.code, res.stdout, res.stderr)
	}
	checkContains(t, "app stdout", res.stdout, `Resource "app" (sql): the connection works.`, "Objects:       2")
	if strings.Contains(res.stdout, "Created") {
		t.Errorf("the second test created something:\n%s", res.stdout)
	}
	if strings.Contains(res.stdout+res.stderr, "app.db") {
		t.Errorf("the dsn was printed:\n%s%s", res.stdout, res.stderr)
	}
}

func fillAppDB(t *testing.T, path string) {
	t.Helper()
	db, err := sql.Open("sqlite", path)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	if _, err := db.Exec("INSERT INTO accounts VALUES ('jiri.novacek', 'Jiří Nováček', 'jiri.novacek@example.com'), ('anna.svobodova', 'Anna Svobodová', NULL)"); err != nil {
		t.Fatal(err)
	}
}

const sqlResource = `
variable "db_password" {
  type      = string
  sensitive = true
}

resource "app" {
  connector = "sql"
  connection {
    driver = "postgres"
    dsn    = "postgres://app:${var.db_password}@127.0.0.1:1/test?connect_timeout=5"
    table  = "accounts"
    key    = "login"
  }
}

resource "env" {
  connector = "sql"
  connection {
    driver = "postgres"
    dsn    = env("APP_DSN")
    table  = %q
    key    = "login"
  }
}
`

// runWithEnv runs syncline with extra environment variables.
func runWithEnv(t *testing.T, env []string, args ...string) result {
	t.Helper()
	var stdout, stderr bytes.Buffer
	a := newApp(strings.NewReader(""), &stdout, &stderr, env)
	code := a.run(context.Background(), append([]string{"syncline"}, args...))
	return result{code: code, stdout: stdout.String(), stderr: stderr.String()}
}

func TestResourcesTestKeepsSecrets(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	writeFiles(t, dir, map[string]string{"main.hcl": fmt.Sprintf(sqlResource, "accounts")})
	env := []string{"APP_DSN=postgres://app:env-s3cret@127.0.0.1:1/test?connect_timeout=5"}
	for name, args := range map[string][]string{
		"variable": {"resources", "test", "-var", "db_password=var-s3cret", "app", dir},
		"env":      {"resources", "test", "-var", "db_password=x", "env", dir},
	} {
		res := runWithEnv(t, env, args...)
		if res.code != 1 {
			t.Fatalf("%s: exit %d, want 1\n%s%s", name, res.code, res.stdout, res.stderr)
		}
		checkContains(t, name+" stderr", res.stderr, "resource unreachable", "connection refused")
		if out := res.stdout + res.stderr; strings.Contains(out, "s3cret") {
			t.Errorf("%s: a secret was printed:\n%s", name, out)
		}
	}
	// Loading is strict: a required variable without a value stops here.
	res := runWithEnv(t, env, "resources", "test", "app", dir)
	if res.code != 1 || !strings.Contains(res.stderr, "db_password") {
		t.Errorf("without -var: exit %d\n%s", res.code, res.stderr)
	}
}

func TestResourcesTestPostgres(t *testing.T) {
	t.Parallel()
	dsn := connectortest.PostgresDSN(t)
	db, err := sql.Open("pgx", dsn)
	if err != nil {
		t.Fatal(err)
	}
	table := connectortest.UniqueName("cli_accounts_")
	if _, err := db.Exec(fmt.Sprintf("CREATE TABLE %s (login text PRIMARY KEY, full_name text, created timestamptz DEFAULT now()); INSERT INTO %s (login) SELECT 'u' || g FROM generate_series(1, 42) g", table, table)); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		if _, err := db.Exec("DROP TABLE " + table); err != nil {
			t.Errorf("cleanup: %v", err)
		}
		db.Close()
	})
	dir := t.TempDir()
	writeFiles(t, dir, map[string]string{"main.hcl": fmt.Sprintf(sqlResource, table)})
	res := runWithEnv(t, []string{"APP_DSN=" + dsn}, "resources", "test", "-var", "db_password=x", "env", dir)
	if res.code != 0 {
		t.Fatalf("exit %d\n%s%s", res.code, res.stdout, res.stderr)
	}
	checkContains(t, "stdout", res.stdout, "Server:        PostgreSQL ", "Objects:       42",
		fmt.Sprintf(`table "public".%q`, table), "    created    timestamp with time zone")
}

func TestResourcesList(t *testing.T) {
	t.Parallel()
	res := runCLI(t, "", "resources", "list", copyQuickstart(t))
	if res.code != 0 {
		t.Fatalf("exit %d\n%s", res.code, res.stderr)
	}
	checkContains(t, "stdout", res.stdout, "app   sql        account/default  The application's account table\n",
		"hr    csv        account/default  Nightly export from the HR system\n")
	empty := t.TempDir()
	writeFiles(t, empty, map[string]string{"main.hcl": "schedule \"s\" {\n  every = \"1h\"\n}\n"})
	if res := runCLI(t, "", "resources", "list", empty); res.code != 0 || res.stdout != "No resources are declared.\n" {
		t.Errorf("no resources: exit %d, %q", res.code, res.stdout)
	}
}
