package synchronization_test

import (
	"database/sql"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/syncline/syncline/engine/connector/connectortest"
	"github.com/syncline/syncline/engine/synchronization"
	"github.com/syncline/syncline/internal/clock"
	"github.com/syncline/syncline/state"
)

// staff returns an HR export of n active people; bad lists the 1-based
// rows whose e-mail the target table refuses.
func staff(n int, bad ...int) string {
	var b strings.Builder
	b.WriteString("emp_id,login,first_name,last_name,email,state\n")
	for i := 1; i <= n; i++ {
		email := fmt.Sprintf("p%03d@hr.example", i)
		for _, j := range bad {
			if i == j {
				email = "refused"
			}
		}
		fmt.Fprintf(&b, "e%03d,p%03d,P,%03d,%s,active\n", i, i, i, email)
	}
	return b.String()
}

// batchedApp provisions to a table the test made (create_table off), with
// resourceExtra in the resource block.
func batchedApp(connection, resourceExtra string) string {
	return `
resource "app" {
  connector = "sql"
` + resourceExtra + `
  connection {
` + connection + `
    key     = "login"
    columns = ["login", "full_name", "email"]
  }
  object_type "account" {
    provision_when = user.status == "active"
    correlate {
      name = attributes.login
    }
    outbound {
      login     = user.name
      full_name = "${user.given_name} ${user.family_name}"
      email     = user.email
    }
  }
}
`
}

// pgTable makes a PostgreSQL accounts table whose rows record the
// transaction that inserted them, and refuses an e-mail without an @.
func pgTable(t *testing.T) (conn string, db *sql.DB, table string) {
	t.Helper()
	dsn := connectortest.PostgresDSN(t)
	conn, db, table = serverTargets[0].connection(t, dsn)
	if _, err := db.Exec(`CREATE TABLE ` + table + ` (login text PRIMARY KEY, full_name text, email text CHECK (email LIKE '%@%'),
		tx bigint NOT NULL DEFAULT txid_current())`); err != nil {
		t.Fatal(err)
	}
	return conn, db, table
}

func count(t *testing.T, db *sql.DB, query string) int {
	t.Helper()
	var n int
	if err := db.QueryRow(query).Scan(&n); err != nil {
		t.Fatal(err)
	}
	return n
}

// TestProvisioningInWriteBatches: the accounts an import provisions reach
// the table in write batches of write_batch_size, one transaction each
// (the table records each row's transaction), and 1 writes them one by
// one as before.
func TestProvisioningInWriteBatches(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		setting string
		txs     int
	}{
		{"", 1}, // 120 accounts fit in one batch of the default 2000
		{"write_batch_size = 50", 3},
		{"write_batch_size = 1", 120},
	} {
		t.Run(tc.setting, func(t *testing.T) {
			t.Parallel()
			conn, db, table := pgTable(t)
			b := setup(t, map[string]string{"hr.csv": staff(120), "main.hcl": hrResource("") + batchedApp(conn, tc.setting) + tasks("")})
			run := b.run(t, "hr-import", "")
			mustSucceed(t, run)
			if got := stat(run, "operations.create"); got != 120 {
				t.Errorf("operations.create = %d, want 120\n%s", got, describe(run))
			}
			if n := count(t, db, "SELECT count(*) FROM "+table); n != 120 {
				t.Errorf("%d accounts, want 120", n)
			}
			if n := count(t, db, "SELECT count(DISTINCT tx) FROM "+table); n != tc.txs {
				t.Errorf("the accounts were written in %d transactions, want %d", n, tc.txs)
			}
		})
	}
}

// TestOneRefusedAccountInABatch: the table refuses one row of a batch; that
// account is the run's one error and stays pending, every other account
// is created, and the counts say so.
func TestOneRefusedAccountInABatch(t *testing.T) {
	t.Parallel()
	conn, db, table := pgTable(t)
	b := setup(t, map[string]string{"hr.csv": staff(30, 17), "main.hcl": hrResource("") + batchedApp(conn, "") + tasks("")})
	run := b.run(t, "hr-import", "")
	if run.State != state.RunPartial {
		t.Fatalf("import: %s, want partial\n%s", run.State, describe(run))
	}
	if got := stat(run, "operations.create"); got != 29 {
		t.Errorf("operations.create = %d, want 29\n%s", got, describe(run))
	}
	if got := stat(run, "accounts.failed"); got != 1 {
		t.Errorf("accounts.failed = %d, want 1\n%s", got, describe(run))
	}
	errs := run.Activities[0].Errors
	if len(errs) != 1 || errs[0].Item != "app/p017" || !strings.Contains(errs[0].Message, "create") {
		t.Errorf("errors %+v, want one, for app/p017", errs)
	}
	if n := count(t, db, "SELECT count(*) FROM "+table); n != 29 {
		t.Errorf("%d accounts, want 29", n)
	}
	pending, err := b.store.ShadowsPending(b.ctx, "app", farFuture, 100)
	if err != nil {
		t.Fatal(err)
	}
	if len(pending) != 1 || pending[0].Identifier != "p017" || pending[0].Pending[0].Attempts != 1 {
		t.Errorf("pending: %v, want p017's create, tried once", pending)
	}
}

// TestErrorPolicyStopsInsideBatches: an errors policy stops exactly where
// it would one operation at a time: batches never hold more operations
// than the errors the policy still allows, so nothing after the stopping
// error is written.
func TestErrorPolicyStopsInsideBatches(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name, policy string
		bad          []int
		created      []string
	}{
		{"stop", `action = "stop"`, []int{2}, []string{"p001"}},
		{"stop_after", `stop_after = 2`, []int{2, 4, 5}, []string{"p001", "p003"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			conn, db, table := pgTable(t)
			b := setup(t, map[string]string{"hr.csv": staff(8, tc.bad...),
				"main.hcl": hrResource("") + batchedApp(conn, "") + tasks("errors {\n"+tc.policy+"\n}")})
			run := b.run(t, "hr-import", "")
			if !strings.Contains(run.Error, "stopped") {
				t.Fatalf("import: %s %q, want stopped by the error policy\n%s", run.State, run.Error, describe(run))
			}
			if got := queryRows(t, db, "SELECT login FROM "+table+" ORDER BY login"); strings.Join(got, ",") != "login="+strings.Join(tc.created, ",login=") {
				t.Errorf("accounts %v, want %v", got, tc.created)
			}
			if got := len(run.Activities[0].Errors); got != len(tc.bad[:min(len(tc.bad), 2)]) {
				t.Errorf("%d errors, want %d\n%s", got, min(len(tc.bad), 2), describe(run))
			}
		})
	}
}

// ticking is a clock that moves on by a minute each time it is read.
type ticking struct{ *clock.Fake }

func (c ticking) Now() time.Time {
	c.Advance(time.Minute)
	return c.Fake.Now()
}

// TestWriteFlushInterval: operations held for their batch are sent once
// the first has waited write_flush_interval, without waiting for the batch
// to fill: with twelve steps a minute apart and an interval of 30 s,
// every second step sends.
func TestWriteFlushInterval(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name  string
		clock clock.Clock
		txs   int
	}{
		{"time stands still", clock.NewFake(time.Now()), 1},
		// The wait is checked as each step commits: the step after the
		// one that started the wait finds it over and sends both.
		{"each step waits a minute", ticking{clock.NewFake(time.Now())}, 6},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			conn, db, table := pgTable(t)
			b := setup(t, map[string]string{"hr.csv": staff(120), "main.hcl": hrResource("") + batchedApp(conn, `write_flush_interval = "30s"`) + tasks("")})
			job := importJob(t, b, &totals{})
			job.Clock, job.BatchSize = tc.clock, 10 // twelve steps of ten
			if err := synchronization.Import(b.ctx, job); err != nil {
				t.Fatal(err)
			}
			if n := count(t, db, "SELECT count(*) FROM "+table); n != 120 {
				t.Errorf("%d accounts, want 120", n)
			}
			if n := count(t, db, "SELECT count(DISTINCT tx) FROM "+table); n != tc.txs {
				t.Errorf("the accounts were written in %d transactions, want %d", n, tc.txs)
			}
		})
	}
}

// TestConnectionDroppedMidBatch: the connection to the table drops in
// the middle of the import's write batches. What the table did not
// confirm stays pending; once the table is reachable again, a
// reconciliation's operation_completion finishes: every active person has
// exactly one account, nothing is lost, nothing is written twice.
func TestConnectionDroppedMidBatch(t *testing.T) {
	t.Parallel()
	dsn := connectortest.PostgresDSN(t)
	addr := connectortest.PostgresAddr(t)
	proxy := connectortest.NewProxy(t, addr)
	through := strings.Replace(dsn, addr, proxy.Addr(), 1)
	if through == dsn {
		t.Skipf("the PostgreSQL DSN does not name %s as written; cannot put a proxy in between", addr)
	}
	const n = 1000
	conn, db, table := pgTable(t)
	cut := strings.Replace(conn, dsn, through, 1)
	b := setup(t, map[string]string{"hr.csv": staff(n), "main.hcl": hrResource("") + batchedApp(cut, "write_batch_size = 50") + tasks("")})
	// About a third of what the import sends to the table.
	proxy.CutAfter(25_000)
	run := b.run(t, "hr-import", "")
	if run.State != state.RunPartial {
		t.Fatalf("import with the connection dropping: %s, want partial\n%s", run.State, describe(run))
	}
	rows := count(t, db, "SELECT count(*) FROM "+table)
	pending, err := b.store.ShadowsPending(b.ctx, "app", farFuture, 2*n)
	if err != nil {
		t.Fatal(err)
	}
	if rows == 0 || rows == n || len(pending) == 0 {
		t.Fatalf("after the drop: %d accounts, %d pending; want the drop in the middle", rows, len(pending))
	}
	if rows+len(pending) < n {
		t.Errorf("after the drop: %d accounts and %d pending, %d lost", rows, len(pending), n-rows-len(pending))
	}
	if got := stat(run, "operations.create"); got > int64(rows) {
		t.Errorf("operations.create = %d, but the table has %d accounts", got, rows)
	}

	b.write(t, map[string]string{"main.hcl": hrResource("") + batchedApp(conn, "write_batch_size = 50") + tasks("")})
	b.apply(t)
	mustSucceed(t, b.run(t, "app-reconcile", ""))
	if got := count(t, db, "SELECT count(*) FROM "+table); got != n {
		t.Errorf("%d accounts after the reconciliation, want %d", got, n)
	}
	if got := count(t, db, "SELECT count(*) FROM "+table+" WHERE email = login || '@hr.example'"); got != n {
		t.Errorf("%d accounts with their e-mail, want %d", got, n)
	}
	if left, _ := b.store.ShadowsPending(b.ctx, "app", farFuture, 2*n); len(left) != 0 {
		t.Errorf("%d shadows still pending", len(left))
	}
}
