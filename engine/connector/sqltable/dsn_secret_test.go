package sqltable_test

import (
	"errors"
	"net"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/syncline/syncline/engine/connector/connectortest"
	"github.com/syncline/syncline/engine/connector/sqltable"
)

// secret is what a hostile DSN hides in each of its parts.
const secret = "S3cr3t-Xq9"

// hostileDSN is a DSN with the secret in one of its parts, and what the
// error must say instead (a reason, and the setting).
type hostileDSN struct {
	name, driver, dsn string
	wants             []string
}

// hostileDSNs puts the secret in every part of a DSN of each driver, for
// servers on loopback: the real ones (a wrong password, user, database)
// and a closed port. sqliteDir is a directory for SQLite files.
func hostileDSNs(sqliteDir string) []hostileDSN {
	s := secret
	pgURL := "postgres://postgres@127.0.0.1:5432/test?sslmode=disable"
	return []hostileDSN{
		{"pg url password closed port", "postgres", "postgres://postgres:" + s + "@127.0.0.1:1/test?sslmode=disable", []string{"connection refused"}},
		{"pg url user", "postgres", "postgres://" + s + ":pw@127.0.0.1:5432/test?sslmode=disable", []string{"authentication failed", "SQLSTATE 28000"}},
		{"pg url host", "postgres", "postgres://postgres@" + s + ".invalid:5432/test?sslmode=disable", []string{"host name could not be resolved"}},
		{"pg url port", "postgres", "postgres://postgres@127.0.0.1:" + s + "/test?sslmode=disable", []string{"could not parse the DSN (invalid port)"}},
		{"pg url database", "postgres", "postgres://postgres@127.0.0.1:5432/" + s + "?sslmode=disable", []string{"database does not exist"}},
		{"pg url sslmode", "postgres", "postgres://postgres@127.0.0.1:5432/test?sslmode=" + s, []string{"invalid sslmode value"}},
		{"pg url sslrootcert", "postgres", "postgres://postgres@127.0.0.1:5432/test?sslmode=verify-full&sslrootcert=/nonexistent/" + s + "/ca.pem", []string{"cannot read the sslrootcert file"}},
		{"pg url application_name closed port", "postgres", "postgres://postgres@127.0.0.1:1/test?sslmode=disable&application_name=" + s, []string{"connection refused"}},
		{"pg url options", "postgres", pgURL + "&options=-c%20" + s + "%3D1", []string{"refused a run-time parameter"}},
		{"pg url unknown parameter", "postgres", pgURL + "&" + s + "=1", []string{"refused a run-time parameter"}},
		{"pg url unknown parameter value", "postgres", pgURL + "&x." + s + "=" + s + "&work_mem=" + s, []string{"refused a run-time parameter"}},
		{"pg url connect_timeout", "postgres", pgURL + "&connect_timeout=" + s, []string{"invalid connect_timeout value"}},
		{"pg url malformed", "postgres", "postgres://postgres:" + s + "@[bad host/" + s, []string{"malformed URL"}},
		{"pg url bad escape", "postgres", "postgres://" + s + ":" + s + "@127.0.0.1:5432/test?x=%zz" + s, []string{"malformed URL"}},
		{"pg kv user", "postgres", "host=127.0.0.1 port=5432 user=" + s + " dbname=test sslmode=disable", []string{"authentication failed"}},
		{"pg kv password closed port", "postgres", "host=127.0.0.1 port=1 user=postgres password=" + s + " dbname=" + s + " sslmode=disable", []string{"connection refused"}},
		{"pg kv sslmode", "postgres", "host=127.0.0.1 user=postgres dbname=test sslmode=" + s, []string{"invalid sslmode value"}},
		{"pg kv sslcert", "postgres", "host=127.0.0.1 user=postgres dbname=test sslmode=require sslcert=/nonexistent/" + s + " sslkey=/nonexistent/" + s, []string{"cannot read the sslkey file"}},
		{"pg kv unterminated quote", "postgres", "host=127.0.0.1 user=postgres password='" + s, []string{"unterminated quoted string"}},
		{"pg kv garbage", "postgres", s, []string{"malformed keyword/value string"}},
		{"pg kv target_session_attrs", "postgres", "host=127.0.0.1 target_session_attrs=" + s, []string{"invalid target_session_attrs value"}},

		{"mysql user", "mysql", s + "@tcp(127.0.0.1:3306)/test", []string{"authentication failed", "error 1045"}},
		{"mysql wrong password", "mysql", "root:" + s + "@tcp(127.0.0.1:3306)/test", []string{"authentication failed"}},
		{"mysql password closed port", "mysql", "root:" + s + "@tcp(127.0.0.1:1)/" + s, []string{"connection refused"}},
		{"mysql database", "mysql", "root@tcp(127.0.0.1:3306)/" + s, []string{"database does not exist", "error 1049"}},
		{"mysql host", "mysql", "root@tcp(" + s + ".invalid:3306)/test", []string{"host name could not be resolved"}},
		{"mysql port", "mysql", "root@tcp(127.0.0.1:" + s + ")/test", []string{"port is not a number"}},
		{"mysql network", "mysql", "root@" + s + "(127.0.0.1:3306)/test", []string{"unknown network"}},
		{"mysql socket", "mysql", "root@unix(/nonexistent/" + s + ".sock)/test", []string{"no such socket"}},
		{"mysql tls", "mysql", "root@tcp(127.0.0.1:3306)/test?tls=" + s, []string{"invalid value of the tls parameter"}},
		{"mysql timeout", "mysql", "root@tcp(127.0.0.1:3306)/test?timeout=" + s, []string{"invalid value of the timeout parameter"}},
		{"mysql loc", "mysql", "root@tcp(127.0.0.1:3306)/test?loc=" + s, []string{"invalid value of the loc parameter"}},
		{"mysql bool", "mysql", "root@tcp(127.0.0.1:3306)/test?allowCleartextPasswords=" + s, []string{"invalid value of the allowCleartextPasswords parameter"}},
		{"mysql serverPubKey", "mysql", "root@tcp(127.0.0.1:3306)/test?serverPubKey=" + s, []string{"invalid value of the serverPubKey parameter"}},
		{"mysql unknown parameter", "mysql", "root@tcp(127.0.0.1:3306)/test?" + s + "=1", []string{"refused a parameter"}},
		{"mysql system variable", "mysql", "root@tcp(127.0.0.1:3306)/test?sql_mode=" + s, []string{"refused a parameter"}},
		{"mysql charset", "mysql", "root@tcp(127.0.0.1:3306)/test?charset=" + s, []string{"refused a parameter"}},
		{"mysql malformed", "mysql", "root:" + s + "@tcp(127.0.0.1:3306)" + s, []string{"could not parse the DSN"}},
		{"mysql unterminated address", "mysql", "root:" + s + "@tcp(127.0.0.1:3306/" + s, []string{"could not parse the DSN"}},
		{"mysql garbage", "mysql", s, []string{"could not parse the DSN"}},

		{"sqlite missing directory", "sqlite", filepath.Join(sqliteDir, s, "app.db"), []string{"does not exist"}},
		{"sqlite not a database", "sqlite", filepath.Join(sqliteDir, s+".db"), []string{"not a database"}},
		{"sqlite uri query", "sqlite", filepath.Join(sqliteDir, "app.db?_pragma="+s), []string{"does not exist"}},
		{"sqlite directory", "sqlite", filepath.Join(sqliteDir, s+"-dir"), []string{"names a directory"}},
	}
}

// testServerAddrs rewrites the default addresses of the test servers,
// which hostileDSNs are written with, to those SYNCLINE_TEST_POSTGRES_DSN
// and SYNCLINE_TEST_MYSQL_DSN name.
func testServerAddrs(t *testing.T) *strings.Replacer {
	pg, my := connectortest.PostgresAddr(t), connectortest.MariaDBAddr(t)
	pgHost, pgPort, err := net.SplitHostPort(pg)
	if err != nil {
		t.Fatal(err)
	}
	return strings.NewReplacer("127.0.0.1:5432", pg, "127.0.0.1:3306", my,
		"host=127.0.0.1 port=5432", "host="+pgHost+" port="+pgPort,
		"host=127.0.0.1 user", "host="+pgHost+" port="+pgPort+" user")
}

// writeHostileSQLiteFiles makes the files hostileDSNs' SQLite cases name.
func writeHostileSQLiteFiles(t *testing.T, dir string) {
	t.Helper()
	if err := os.WriteFile(filepath.Join(dir, secret+".db"), []byte("not a database, and long enough to have a header that is not sqlite's"), 0o600); err != nil {
		t.Fatal(err)
	}
	if err := os.Mkdir(filepath.Join(dir, secret+"-dir"), 0o700); err != nil {
		t.Fatal(err)
	}
}

// TestDSNSecretNeverQuoted: whatever part of a DSN holds a secret, the
// error from opening the connector says why it failed and which setting,
// and quotes none of it — nor does any error it wraps.
func TestDSNSecretNeverQuoted(t *testing.T) {
	t.Parallel()
	onTestServers := testServerAddrs(t)
	dir := t.TempDir()
	writeHostileSQLiteFiles(t, dir)
	for _, tt := range hostileDSNs(dir) {
		tt.dsn = onTestServers.Replace(tt.dsn)
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			c, err := sqltable.New(t.Context(), "app", sqltable.Config{Driver: tt.driver, DSN: tt.dsn, Table: "accounts", Key: "login"})
			if err == nil {
				c.Close()
				t.Fatal("opened")
			}
			for e := err; e != nil; e = errors.Unwrap(e) {
				if strings.Contains(e.Error(), secret) || strings.Contains(e.Error(), "S3cr3t") {
					t.Fatalf("the secret is quoted: %v", e)
				}
			}
			for _, want := range tt.wants {
				if !strings.Contains(err.Error(), want) {
					t.Errorf("%v\nwant %q", err, want)
				}
			}
			if tt.driver != "sqlite" && !strings.Contains(err.Error(), "connection.dsn: ") {
				t.Errorf("the setting is not named: %v", err)
			}
		})
	}
}
