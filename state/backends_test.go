package state

import (
	"fmt"
	"os"
	"path/filepath"
	"testing"

	"github.com/syncline/syncline/state/statetest"
)

// testBackend is the engine this pass of the tests runs on. TestMain runs
// every test twice, as Litestream runs its shared suite against every
// replica client: on SQLite, then on PostgreSQL (a schema per test).
var testBackend = dialectSQLite

// runOnEveryBackend runs the tests on SQLite, then on PostgreSQL unless
// the server is unreachable (which fails the run when
// SYNCLINE_TEST_REQUIRE names postgres).
func runOnEveryBackend(m *testing.M) int {
	code := m.Run()
	if err := statetest.Reachable(); err != nil {
		if statetest.Required() {
			fmt.Fprintf(os.Stderr, "state: the PostgreSQL pass cannot run: %v (%s names postgres)\n", err, statetest.RequireEnv)
			return 1
		}
		fmt.Printf("state: SKIP the PostgreSQL pass: %v; set %s=postgres to fail instead\n", err, statetest.RequireEnv)
		return code
	}
	fmt.Println("state: the same tests on PostgreSQL")
	testBackend = dialectPostgres
	if c := m.Run(); c != 0 {
		code = c
	}
	return code
}

// newLocation is a fresh store's location on this pass's backend: a file
// in t's temporary directory, or a schema of its own on PostgreSQL. A
// failing test names the backend it failed on.
func newLocation(t testing.TB) string {
	t.Helper()
	backend := testBackend
	t.Cleanup(func() {
		if t.Failed() {
			t.Logf("backend: %s", backend)
		}
	})
	if backend == dialectPostgres {
		return statetest.Location(t)
	}
	return filepath.Join(t.TempDir(), "state.db")
}

// sqliteOnly skips t on the PostgreSQL pass: why says what makes it a
// test of the SQLite file.
func sqliteOnly(t testing.TB, why string) {
	t.Helper()
	if testBackend == dialectPostgres {
		t.Skip("SQLite only: " + why)
	}
}

// TestPostgresPass says, on the SQLite pass, whether the PostgreSQL pass
// will run.
func TestPostgresPass(t *testing.T) {
	if testBackend == dialectPostgres {
		return
	}
	if err := statetest.Reachable(); err != nil && !statetest.Required() {
		t.Skipf("the PostgreSQL pass will be skipped: %v", err)
	}
}
