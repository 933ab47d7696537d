package main

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/syncline/syncline/engine/connector/connectortest"
)

// dsnSecret is what the hostile DSNs below hide in one of their parts.
const dsnSecret = "S3cr3t-Xq9"

// dsnSecretConfig is a sql resource whose dsn comes from a sensitive
// variable, and a task that imports from it.
const dsnSecretConfig = `
syncline {
  state = "sqlite://.syncline/state.db"
}

variable "dsn" {
  type      = string
  sensitive = true
}

resource "app" {
  connector = "sql"
  connection {
    driver = %q
    dsn    = var.dsn
    table  = "accounts"
    key    = "login"
  }

  object_type "account" {
    correlate {
      name = attributes.login
    }
    inbound {
      name = attributes.login
    }
  }
}

task "app-import" {
  activity "import" {
    resource = resource.app
    kind     = "account"
  }
}
`

// TestDSNSecretNeverPrintedOrStored runs the built binary on a resource
// whose dsn hides a secret in one of its parts: resources test and a run
// of a task that uses it fail, saying why, and neither what they print
// nor any row of the state database holds the secret.
func TestDSNSecretNeverPrintedOrStored(t *testing.T) {
	t.Parallel()
	connectortest.PostgresDSN(t)
	connectortest.MariaDBDSN(t)
	s := dsnSecret
	sqliteFile := filepath.Join(t.TempDir(), s+".db")
	if err := os.WriteFile(sqliteFile, []byte("not a database, and long enough to have a header that is not sqlite's"), 0o600); err != nil {
		t.Fatal(err)
	}
	for _, tt := range []struct{ name, driver, dsn, want string }{
		{"pg user", "postgres", "postgres://" + s + ":" + s + "@127.0.0.1:5432/test?sslmode=disable", "authentication failed"},
		{"pg database", "postgres", "postgres://postgres@127.0.0.1:5432/" + s + "?sslmode=disable", "database does not exist"},
		{"pg sslmode", "postgres", "host=127.0.0.1 user=postgres dbname=test sslmode=" + s, "invalid sslmode value"},
		{"pg sslrootcert", "postgres", "postgres://postgres@127.0.0.1:5432/test?sslmode=verify-full&sslrootcert=/nonexistent/" + s, "sslrootcert"},
		{"pg unknown parameter", "postgres", "postgres://postgres@127.0.0.1:5432/test?sslmode=disable&" + s + "=" + s, "run-time parameter"},
		{"pg malformed", "postgres", "postgres://postgres:" + s + "@[" + s, "malformed URL"},
		{"pg closed port", "postgres", "postgres://postgres:" + s + "@127.0.0.1:1/" + s + "?sslmode=disable&application_name=" + s, "connection refused"},
		{"mysql user", "mysql", s + ":" + s + "@tcp(127.0.0.1:3306)/test", "authentication failed"},
		{"mysql database", "mysql", "root@tcp(127.0.0.1:3306)/" + s, "database does not exist"},
		{"mysql tls", "mysql", "root@tcp(127.0.0.1:3306)/test?tls=" + s, "tls parameter"},
		{"mysql host", "mysql", "root@tcp(" + s + ".invalid:3306)/test", "host name could not be resolved"},
		{"mysql system variable", "mysql", "root@tcp(127.0.0.1:3306)/test?sql_mode=" + s, "refused a parameter"},
		{"mysql closed port", "mysql", "root:" + s + "@tcp(127.0.0.1:1)/" + s, "connection refused"},
		{"sqlite missing", "sqlite", filepath.Join(t.TempDir(), s, "app.db"), "does not exist"},
		{"sqlite not a database", "sqlite", sqliteFile, "not a database"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			dir := t.TempDir()
			writeFiles(t, dir, map[string]string{"main.hcl": fmt.Sprintf(dsnSecretConfig, tt.driver)})
			v := "dsn=" + tt.dsn
			out := mustSyncline(t, time.Minute, "apply", "-auto-approve", "-var", v, dir)
			code, test := syncline(t, time.Minute, "resources", "test", "-var", v, "app", dir)
			if code != 1 || !strings.Contains(test, tt.want) {
				t.Errorf("resources test: exit %d, want 1 and %q:\n%s", code, tt.want, test)
			}
			code, run := syncline(t, time.Minute, "run", "-var", v, "app-import", dir)
			if code != 1 || !strings.Contains(run, tt.want) {
				t.Errorf("run: exit %d, want 1 and %q:\n%s", code, tt.want, run)
			}
			_, shown := syncline(t, time.Minute, "runs", "show", "1", dir)
			state := dumpState(t, filepath.Join(dir, ".syncline", "state.db"))
			if !strings.Contains(state, tt.want) {
				t.Errorf("the run's error is not in the state:\n%s", state)
			}
			for what, text := range map[string]string{"apply": out, "resources test": test, "run": run, "runs show": shown, "state": state} {
				if strings.Contains(text, s) || strings.Contains(text, "S3cr3t") {
					t.Errorf("%s holds the secret:\n%s", what, text)
				}
			}
		})
	}
}

// dumpState returns every row of every table of the state database as
// text (dumpSQLite); an empty database fails the test.
func dumpState(t *testing.T, path string) string {
	t.Helper()
	dump := dumpSQLite(t, path)
	if dump == "" {
		t.Fatal("the state database is empty")
	}
	return dump
}
