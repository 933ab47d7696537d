package synchronization_test

import (
	"database/sql"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/syncline/syncline/engine/connector/connectortest"
	"github.com/syncline/syncline/state"
)

// target is an application table on a database server.
type target struct {
	name   string
	driver string // the sql connector's driver setting
	sqlDrv string // the database/sql driver
	dsn    func(t testing.TB) string
}

var serverTargets = []target{
	{"postgres", "postgres", "pgx", connectortest.PostgresDSN},
	{"mariadb", "mysql", "mysql", connectortest.MariaDBDSN},
}

// connection returns the app connection block for a new table, dropped
// when t ends, and a handle on the database.
func (tg target) connection(t *testing.T, dsn string) (string, *sql.DB, string) {
	t.Helper()
	table := connectortest.UniqueName("accounts")
	db, err := sql.Open(tg.sqlDrv, tg.dsn(t))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		db.Exec("DROP TABLE IF EXISTS " + table)
		db.Close()
	})
	return fmt.Sprintf("    driver = %q\n    dsn    = %q\n    table  = %q\n", tg.driver, dsn, table), db, table
}

func TestProvisioningToDatabaseServers(t *testing.T) {
	t.Parallel()
	for _, tg := range serverTargets {
		t.Run(tg.name, func(t *testing.T) {
			t.Parallel()
			conn, db, table := tg.connection(t, tg.dsn(t))
			b := setup(t, map[string]string{"hr.csv": hrCSV, "main.hcl": hrResource("") + appResource(conn, "") + tasks("")})
			mustSucceed(t, b.run(t, "hr-import", ""))
			b.write(t, map[string]string{"hr.csv": changedHR})
			run := b.run(t, "hr-reconcile", "")
			mustSucceed(t, run)
			if d := diffLines(changedHRChanges, b.changes(t, run.ID)); d != "" {
				t.Errorf("changes:\n%s", d)
			}
			want := []string{
				"login=bob full_name=Bob Brown email=bob@hr.example",
				"login=erin full_name=Erin Evans email=erin@hr.example",
			}
			if d := diffLines(want, queryRows(t, db, "SELECT login, full_name, email FROM "+table)); d != "" {
				t.Errorf("accounts:\n%s", d)
			}
			again := b.run(t, "app-reconcile", "")
			mustSucceed(t, again)
			if cs := b.changes(t, again.ID); len(cs) != 0 {
				t.Errorf("reconciling the table after provisioning changed %v\n%s", cs, describe(again))
			}
		})
	}
}

// An unreachable resource keeps its operations pending on the shadows;
// operation_completion performs them once it is back.
func TestUnreachableResourceKeepsOperationsPending(t *testing.T) {
	t.Parallel()
	tg := serverTargets[0]
	dsn := tg.dsn(t)
	addr := connectortest.PostgresAddr(t)
	proxy := connectortest.NewProxy(t, addr)
	down := strings.Replace(dsn, addr, proxy.Addr(), 1)
	if down == dsn {
		t.Skipf("the PostgreSQL DSN does not name %s as written; cannot put a proxy in between", addr)
	}
	proxy.Cut()
	conn, db, table := tg.connection(t, down)
	b := setup(t, map[string]string{"hr.csv": hrCSV, "main.hcl": hrResource("") + appResource(conn, "") + tasks("")})

	run := b.run(t, "hr-import", "")
	if run.State != state.RunPartial {
		t.Fatalf("import with the application down: %s, want partial\n%s", run.State, describe(run))
	}
	if n := len(b.users(t)); n != 4 {
		t.Errorf("%d users, want 4: the source side must not wait for the target", n)
	}
	pending, err := b.store.ShadowsPending(b.ctx, "app", farFuture, 100)
	if err != nil {
		t.Fatal(err)
	}
	if len(pending) != 3 {
		t.Fatalf("%d shadows with pending operations, want 3", len(pending))
	}
	for _, sh := range pending {
		if p := sh.Pending[0]; p.Op != state.OpCreate || p.Attempts != 1 || p.LastError == "" || p.NextAttemptAt.IsZero() {
			t.Errorf("pending %s: %+v", sh.Identifier, p)
		}
	}

	// The application is back (the same server, reached directly).
	b.write(t, map[string]string{"main.hcl": hrResource("") + appResource(strings.Replace(conn, down, dsn, 1), "") + tasks("")})
	b.apply(t)
	done := b.run(t, "app-reconcile", "")
	mustSucceed(t, done)
	if got := done.Activities[0].Stages[0].Statistics["operations.create"]; got != 3 {
		t.Errorf("operation_completion created %d accounts, want 3\n%s", got, describe(done))
	}
	if rows := queryRows(t, db, "SELECT login FROM "+table); len(rows) != 3 {
		t.Errorf("accounts: %v", rows)
	}
	if left, _ := b.store.ShadowsPending(b.ctx, "app", farFuture, 100); len(left) != 0 {
		t.Errorf("%d shadows still pending", len(left))
	}
}

// An operation pending longer than pending_retention is given up.
func TestPendingRetentionGivesUp(t *testing.T) {
	t.Parallel()
	tg := serverTargets[0]
	dsn := tg.dsn(t)
	addr := connectortest.PostgresAddr(t)
	proxy := connectortest.NewProxy(t, addr)
	down := strings.Replace(dsn, addr, proxy.Addr(), 1)
	if down == dsn {
		t.Skipf("the PostgreSQL DSN does not name %s as written; cannot put a proxy in between", addr)
	}
	proxy.Cut()
	conn, _, _ := tg.connection(t, down)
	app := strings.Replace(appResource(conn, ""), "  object_type", "  pending_retention = \"1s\"\n  object_type", 1)
	b := setup(t, map[string]string{"hr.csv": hrCSV, "main.hcl": hrResource("") + app + tasks("")})
	if run := b.run(t, "hr-import", ""); run.State != state.RunPartial {
		t.Fatalf("import: %s\n%s", run.State, describe(run))
	}
	time.Sleep(1100 * time.Millisecond)
	// The application is still down; propagation gives the operations up
	// without trying them.
	run := b.run(t, "propagate", "")
	if got := stat(run, "operations.expired"); got != 3 || run.State != state.RunPartial {
		t.Errorf("operations.expired = %d, want 3\n%s", got, describe(run))
	}
	if left, _ := b.store.ShadowsPending(b.ctx, "app", farFuture, 100); len(left) != 0 {
		t.Errorf("%d shadows still pending", len(left))
	}
}
