package main

import (
	"database/sql"
	"errors"
	"fmt"
	"io/fs"
	"math/rand/v2"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"
)

// TestImportKillAndRunAgain is issue 6's crash-safety test: killing the
// process (SIGKILL) in the middle of a 100,000-object import and running
// again ends with every object processed once — no duplicate users, no
// lost accounts.
//
// A killed "syncline run" leaves its run recorded as running, and the
// task's concurrency (forbid) makes a second "syncline run" refuse; only
// "syncline serve" recovers runs whose process is gone, so that is what
// the test (as a user would) does then: start serve, let it re-run the
// import as the killed run's recovery run, stop it.
func TestImportKillAndRunAgain(t *testing.T) {
	if raceEnabled {
		t.Skip("the race detector makes a 100,000-object import take minutes; .ci/run runs this test without it")
	}
	if testing.Short() {
		t.Skip("imports 100,000 objects in real syncline processes")
	}
	const n = 100_000
	began := time.Now()
	lap := func(what string) { t.Logf("%6.1fs  %s", time.Since(began).Seconds(), what) }

	dir := importKillDir(t)
	writeImportKillFixture(t, dir, n)
	mustSyncline(t, time.Minute, "apply", "-auto-approve", dir)
	st := openReadOnly(t, filepath.Join(dir, ".syncline", "state.db"))
	lap("applied")

	// Run the import and kill it mid-way.
	victim := startSyncline(t, "run", "hr-import", dir)
	target, most := n*3/10, n*8/10
	users := 0
	pollUntil(t, 2*time.Minute, fmt.Sprintf("the import to add %d users", target), func() bool {
		select {
		case <-victim.done:
			t.Fatalf("the import ended before it was killed (%d users):\n%s", users, victim.out)
		default:
		}
		users = count(t, st, `SELECT count(*) FROM users`)
		return users >= target
	})
	// Land the kill anywhere in the batch's work: deciding, committing,
	// or creating the accounts the commit queued.
	jitter := rand.N(300 * time.Millisecond)
	time.Sleep(jitter)
	if err := victim.cmd.Process.Signal(syscall.SIGKILL); err != nil {
		t.Fatal(err)
	}
	<-victim.done
	lap(fmt.Sprintf("killed the import %s after it had %d users", jitter, users))
	if users > most {
		t.Fatalf("the import had %d of %d users when it was killed, past the middle", users, n)
	}
	killed := checkAtKill(t, st, dir, n)
	victimID := int64(count(t, st, `SELECT coalesce(max(id), 0) FROM runs WHERE task = 'hr-import' AND state = 'running'`))
	if victimID == 0 {
		t.Fatal("the killed run is not recorded as running")
	}

	// Run again, as a user would.
	code, out := syncline(t, 3*time.Minute, "run", "hr-import", dir)
	var againID int64
	switch {
	case code == 0:
		againID = lastRun(t, st)
		lap(fmt.Sprintf("syncline run: run %d", againID))
	case strings.Contains(out, fmt.Sprintf("already has run %d running", victimID)):
		t.Logf("syncline run refuses while the killed run %d is recorded as running:\n%s", victimID, out)
		againID = recoverWithServe(t, st, dir, victimID)
		lap(fmt.Sprintf("syncline serve: recovery run %d", againID))
		if got := runState(t, st, victimID); got != "interrupted" {
			t.Errorf("the killed run %d is %s, want interrupted", victimID, got)
		}
	default:
		t.Fatalf("syncline run after the kill: exit %d\n%s", code, out)
	}
	again := showRun(t, dir, againID)
	stats := again.Activities[0].Statistics
	t.Logf("run %d (%s) %s: %d ok, %d failed; %v", again.ID, again.Trigger, again.State,
		again.Activities[0].Success, again.Activities[0].Failure, stats)
	if again.State != "succeeded" || again.Activities[0].Success != n {
		t.Errorf("run %d %s with %d of %d objects ok: %s", again.ID, again.State, again.Activities[0].Success, n, again.Error)
	}
	if added := stats["users.add"]; added != int64(n-killed.users) {
		t.Errorf("run %d added %d users; %d of %d were there after the kill, so %d were missing",
			again.ID, added, killed.users, n, n-killed.users)
	}
	if unmatched := stats["situation.unmatched"]; unmatched != int64(n-killed.users) {
		t.Errorf("run %d found %d objects unmatched, want the %d without a user", again.ID, unmatched, n-killed.users)
	}
	checkImported(t, st, dir, n)
	lap("checked")

	// A third run finds nothing to do.
	third := mustSyncline(t, 3*time.Minute, "run", "hr-import", dir)
	thirdID := lastRun(t, st)
	lap(fmt.Sprintf("third run %d", thirdID))
	r := showRun(t, dir, thirdID)
	if a := r.Activities[0]; r.State != "succeeded" || a.Success != n || a.Statistics["unchanged"] != n {
		t.Errorf("third run %d %s: %d ok, statistics %v; want every one of %d objects unchanged\n%s",
			r.ID, r.State, a.Success, a.Statistics, n, third)
	}
	for name, v := range r.Activities[0].Statistics {
		if name != "unchanged" && !strings.HasPrefix(name, "situation.") {
			t.Errorf("third run %d: %s = %d, want no change", r.ID, name, v)
		}
	}
	checkImported(t, st, dir, n)
	lap("done")
}

// killedState is what the killed import left.
type killedState struct {
	users, appRows, pending int
}

// checkAtKill checks what the killed import committed: every user with
// its HR shadow and its app shadow (the account queued in the same
// transaction), and every account marked done on its shadow really there.
func checkAtKill(t *testing.T, st *sql.DB, dir string, n int) killedState {
	t.Helper()
	var k killedState
	k.users = count(t, st, `SELECT count(*) FROM users`)
	hr := count(t, st, `SELECT count(*) FROM shadows WHERE resource = 'hr' AND dead = 0 AND owner IS NOT NULL`)
	app := count(t, st, `SELECT count(*) FROM shadows WHERE resource = 'app' AND dead = 0 AND owner IS NOT NULL`)
	k.pending = count(t, st, `SELECT count(*) FROM shadows WHERE resource = 'app' AND pending IS NOT NULL`)
	rows := appAccounts(t, dir)
	k.appRows = len(rows)
	t.Logf("after the kill: %d users, %d linked hr shadows, %d linked app shadows (%d with pending operations), %d app rows",
		k.users, hr, app, k.pending, k.appRows)
	if k.users == 0 || k.users >= n {
		t.Fatalf("the killed import left %d of %d users, want some but not all", k.users, n)
	}
	if hr != k.users || app != k.users {
		t.Errorf("after the kill: %d users but %d linked hr shadows and %d linked app shadows", k.users, hr, app)
	}
	done := 0
	err := eachRow(st, `SELECT identifier FROM shadows WHERE resource = 'app' AND pending IS NULL`, func(id string) {
		if _, ok := rows[id]; !ok && done < 10 {
			t.Errorf("after the kill: app shadow %s records its account as created, but app.db has no row", id)
		}
		done++
	})
	if err != nil {
		t.Fatal(err)
	}
	if k.appRows < done || k.appRows > done+k.pending {
		t.Errorf("after the kill: %d app rows, want between %d (done) and %d (done and pending)", k.appRows, done, done+k.pending)
	}
	return k
}

// recoverWithServe starts syncline serve, which recovers the run of a
// process that is gone and queues its recovery run; it waits for that
// run to end, stops serve and returns the recovery run's ID.
func recoverWithServe(t *testing.T, st *sql.DB, dir string, victimID int64) int64 {
	t.Helper()
	srv := startSyncline(t, "serve", "-poll", "200ms", "-grace", "10s", dir)
	var id int64
	pollUntil(t, 3*time.Minute, fmt.Sprintf("serve to finish the recovery run of run %d", victimID), func() bool {
		select {
		case <-srv.done:
			t.Fatalf("serve ended:\n%s", srv.out)
		default:
		}
		var state string
		err := st.QueryRow(`SELECT id, state FROM runs WHERE retry_of = ? ORDER BY id LIMIT 1`, victimID).Scan(&id, &state)
		if errors.Is(err, sql.ErrNoRows) {
			return false
		}
		if err != nil {
			t.Fatal(err)
		}
		return state != "queued" && state != "running"
	})
	if err := srv.cmd.Process.Signal(syscall.SIGTERM); err != nil {
		t.Fatal(err)
	}
	if code := srv.wait(t, 30*time.Second); code != 0 {
		t.Errorf("serve after SIGTERM: exit %d\n%s", code, srv.out)
	}
	return id
}

// checkImported checks the end state: n users, each once, each linked to
// its HR shadow and to its app shadow, with its row in app.db, and no
// operation left pending.
func checkImported(t *testing.T, st *sql.DB, dir string, n int) {
	t.Helper()
	for _, c := range []struct {
		what, query string
		want        int
	}{
		{"users", `SELECT count(*) FROM users`, n},
		{"distinct user names", `SELECT count(DISTINCT name) FROM users`, n},
		{"distinct employee numbers", `SELECT count(DISTINCT json_extract(attributes, '$.employee_number')) FROM users`, n},
		{"users whose name is not their login", `SELECT count(*) FROM users
			WHERE name <> 'user' || substr(json_extract(attributes, '$.employee_number'), 2)`, 0},
		{"live hr shadows", `SELECT count(*) FROM shadows WHERE resource = 'hr' AND dead = 0`, n},
		{"hr shadows linked to their employee", `SELECT count(*) FROM shadows s JOIN users u ON u.id = s.owner
			WHERE s.resource = 'hr' AND s.dead = 0 AND json_extract(u.attributes, '$.employee_number') = s.identifier`, n},
		{"users without a linked hr shadow", `SELECT count(*) FROM users u WHERE NOT EXISTS
			(SELECT 1 FROM shadows s WHERE s.owner = u.id AND s.resource = 'hr' AND s.dead = 0)`, 0},
		{"users with more than one hr shadow", `SELECT count(*) FROM (SELECT owner FROM shadows
			WHERE resource = 'hr' AND dead = 0 GROUP BY owner HAVING count(*) > 1)`, 0},
		{"live app shadows", `SELECT count(*) FROM shadows WHERE resource = 'app' AND dead = 0`, n},
		{"app shadows linked to their user", `SELECT count(*) FROM shadows s JOIN users u ON u.id = s.owner
			WHERE s.resource = 'app' AND s.dead = 0 AND s.identifier = u.name`, n},
		{"shadows with pending operations", `SELECT count(*) FROM shadows WHERE pending IS NOT NULL`, 0},
	} {
		if got := count(t, st, c.query); got != c.want {
			t.Errorf("%s: %d, want %d", c.what, got, c.want)
		}
	}
	rows := appAccounts(t, dir)
	if len(rows) != n {
		t.Errorf("app.db has %d accounts, want %d", len(rows), n)
	}
	wrong := 0
	for i := 1; i <= n; i++ {
		row, ok := rows[hrLogin(i)]
		switch {
		case !ok:
			wrong++
			if wrong <= 10 {
				t.Errorf("app.db has no account %s", hrLogin(i))
			}
		case row != [2]string{hrFullName(i), hrEmail(i)}:
			wrong++
			if wrong <= 10 {
				t.Errorf("app.db account %s is %q", hrLogin(i), row)
			}
		}
	}
	if wrong > 10 {
		t.Errorf("%d app accounts missing or wrong in all", wrong)
	}
}

// appAccounts reads app.db's accounts: login → full name and email. The
// logins are the table's primary key, so they cannot repeat.
func appAccounts(t *testing.T, dir string) map[string][2]string {
	t.Helper()
	path := filepath.Join(dir, "app.db")
	if _, err := os.Stat(path); errors.Is(err, fs.ErrNotExist) {
		return map[string][2]string{} // nothing created yet
	}
	db := openApplicationDB(t, path)
	defer db.Close()
	rows, err := db.Query(`SELECT login, full_name, email FROM accounts`)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	out := map[string][2]string{}
	for rows.Next() {
		var login string
		var name, email sql.NullString
		if err := rows.Scan(&login, &name, &email); err != nil {
			t.Fatal(err)
		}
		out[login] = [2]string{name.String, email.String}
	}
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
	return out
}

// openApplicationDB opens app.db read-write, as the sql connector does.
// It is in rollback-journal mode (the application's choice, which the
// connector keeps), so a process killed in the middle of a transaction
// leaves a hot journal that only a connection that can write rolls back;
// a read-only one fails with SQLITE_READONLY_ROLLBACK ("attempt to write a
// readonly database (776)"). The next syncline run rolls it back the same
// way, so reading it so sees what that run will see.
func openApplicationDB(t *testing.T, path string) *sql.DB {
	t.Helper()
	u := url.URL{Scheme: "file", Path: path, RawQuery: "mode=rw&_pragma=busy_timeout(10000)"}
	db, err := sql.Open("sqlite", u.String())
	if err != nil {
		t.Fatal(err)
	}
	db.SetMaxOpenConns(1)
	return db
}

// eachRow calls f with the one text column of every row of query.
func eachRow(db *sql.DB, query string, f func(string)) error {
	rows, err := db.Query(query)
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		var s string
		if err := rows.Scan(&s); err != nil {
			return err
		}
		f(s)
	}
	return rows.Err()
}

// lastRun is the newest run of hr-import.
func lastRun(t *testing.T, st *sql.DB) int64 {
	t.Helper()
	return int64(count(t, st, `SELECT max(id) FROM runs WHERE task = 'hr-import'`))
}

func runState(t *testing.T, st *sql.DB, id int64) string {
	t.Helper()
	var s string
	if err := st.QueryRow(`SELECT state FROM runs WHERE id = ?`, id).Scan(&s); err != nil {
		t.Fatal(err)
	}
	return s
}
