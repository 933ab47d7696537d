package main

import (
	"database/sql"
	"encoding/json"
	"fmt"
	"path/filepath"
	"strconv"
	"syscall"
	"testing"
	"time"
)

// TestLiveSyncKillAndRunAgain is issue 17's crash test for live
// synchronization: 50,000 people of a sql table change their e-mail; the
// live sync that takes the changes is killed (SIGKILL) part way and run
// again. The token is committed with the changes it covers, so at the kill
// the users changed are exactly the changes the token counts, the next run
// takes exactly the rest — none twice, none skipped — and a third takes
// none.
func TestLiveSyncKillAndRunAgain(t *testing.T) {
	if raceEnabled {
		t.Skip("the race detector makes 50,000 changes take minutes; .ci/run runs this test without it")
	}
	if testing.Short() {
		t.Skip("takes 50,000 changes in real syncline processes")
	}
	const n = 50_000
	dir := importKillDir(t)
	writeFiles(t, dir, map[string]string{"main.hcl": liveKillConfig})
	src, err := sql.Open("sqlite", filepath.Join(dir, "hr.db")+"?_pragma=busy_timeout(10000)")
	if err != nil {
		t.Fatal(err)
	}
	defer src.Close()
	mustExecSQL(t, src, `CREATE TABLE people (emp_id TEXT PRIMARY KEY, login TEXT NOT NULL, email TEXT NOT NULL, seq INTEGER NOT NULL)`)
	mustExecSQL(t, src, `CREATE INDEX people_seq ON people (seq)`)
	tx, err := src.Begin()
	if err != nil {
		t.Fatal(err)
	}
	for i := 1; i <= n; i++ {
		if _, err := tx.Exec(`INSERT INTO people VALUES (?, ?, ?, ?)`, hrEmpID(i), hrLogin(i), hrEmail(i), i); err != nil {
			t.Fatal(err)
		}
	}
	if err := tx.Commit(); err != nil {
		t.Fatal(err)
	}
	mustSyncline(t, time.Minute, "apply", "-auto-approve", dir)
	mustSyncline(t, 3*time.Minute, "run", "hr-import", dir)
	mustSyncline(t, time.Minute, "run", "hr-live", dir) // the token of now
	// Every person changes, one sequence number each, in order.
	mustExecSQL(t, src, fmt.Sprintf(`UPDATE people SET email = replace(email, '@hr.example', '@new.example'), seq = seq + %d`, n))
	st := openReadOnly(t, filepath.Join(dir, ".syncline", "state.db"))
	const moved = `SELECT count(*) FROM users WHERE json_extract(attributes, '$.email') LIKE '%@new.example'`

	victim := startSyncline(t, "run", "hr-live", dir)
	changed := 0
	pollUntil(t, 2*time.Minute, "the live sync to take a third of the changes", func() bool {
		select {
		case <-victim.done:
			t.Fatalf("the live sync ended before it was killed (%d users changed):\n%s", changed, victim.out)
		default:
		}
		changed = count(t, st, moved)
		return changed >= n/3
	})
	if err := victim.cmd.Process.Signal(syscall.SIGKILL); err != nil {
		t.Fatal(err)
	}
	<-victim.done
	// One read: the users changed and the changes the token counts, as
	// committed together.
	var atKill, counted int
	err = st.QueryRow(moved[:len(`SELECT count(*)`)]+`, (SELECT changes FROM sync_tokens WHERE task = 'hr-live') `+moved[len(`SELECT count(*)`):]).
		Scan(&atKill, &counted)
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("killed the live sync with %d users changed; its token counts %d changes", atKill, counted)
	if atKill == 0 || atKill >= n {
		t.Fatalf("the kill left %d of %d users changed, want some but not all", atKill, n)
	}
	if atKill != counted {
		t.Errorf("at the kill %d users had changed but the token counted %d changes: token and changes were not committed together", atKill, counted)
	}

	// Run again, as a user would (serve recovers the killed run if run
	// refuses while it is recorded as running).
	victimID := int64(count(t, st, `SELECT max(id) FROM runs WHERE task = 'hr-live'`))
	code, out := syncline(t, 3*time.Minute, "run", "hr-live", dir)
	againID := int64(count(t, st, `SELECT max(id) FROM runs WHERE task = 'hr-live'`))
	if code != 0 {
		againID = recoverWithServe(t, st, dir, victimID)
		if againID == 0 {
			t.Fatalf("syncline run after the kill: exit %d\n%s", code, out)
		}
	}
	again := liveRun(t, dir, againID)
	t.Logf("run %d %s: changes %q, statistics %v", againID, again.State, again.Activities[0].Output["changes"], again.Activities[0].Statistics)
	if again.State != "succeeded" {
		t.Fatalf("run %d after the kill: %s %s", againID, again.State, again.Error)
	}
	if got, _ := strconv.Atoi(again.Activities[0].Output["changes"]); got != n-counted {
		t.Errorf("run %d took %d changes, want the %d after the committed token", againID, got, n-counted)
	}
	if got := again.Activities[0].Statistics["users.modify"]; got != int64(n-atKill) {
		t.Errorf("run %d modified %d users, want the %d not changed at the kill", againID, got, n-atKill)
	}
	if got := count(t, st, moved); got != n {
		t.Errorf("%d of %d users have the new e-mail", got, n)
	}
	if got := count(t, st, `SELECT count(*) FROM shadows WHERE pending IS NOT NULL`); got != 0 {
		t.Errorf("%d shadows with pending operations", got)
	}
	wrong := 0
	for login, row := range appAccounts(t, dir) {
		if want := login + "@new.example"; row[1] != want {
			wrong++
		}
	}
	if rows := appAccounts(t, dir); len(rows) != n || wrong != 0 {
		t.Errorf("app.db: %d accounts, %d without the new e-mail; want %d, 0", len(rows), wrong, n)
	}

	mustSyncline(t, time.Minute, "run", "hr-live", dir)
	third := liveRun(t, dir, int64(count(t, st, `SELECT max(id) FROM runs WHERE task = 'hr-live'`)))
	if third.State != "succeeded" || third.Activities[0].Output["changes"] != "0" {
		t.Errorf("third run: %s with changes %q, want succeeded with 0", third.State, third.Activities[0].Output["changes"])
	}
}

// liveRunShown is the part of "syncline runs show -json" this test reads.
type liveRunShown struct {
	State      string `json:"state"`
	Error      string `json:"error"`
	Activities []struct {
		Output     map[string]string `json:"output"`
		Statistics map[string]int64  `json:"statistics"`
	} `json:"activities"`
}

func liveRun(t *testing.T, dir string, id int64) liveRunShown {
	t.Helper()
	out := mustSyncline(t, 30*time.Second, "runs", "show", "-json", "-state", filepath.Join(dir, ".syncline", "state.db"), fmt.Sprint(id))
	var r liveRunShown
	if err := json.Unmarshal([]byte(out), &r); err != nil || len(r.Activities) != 1 {
		t.Fatalf("runs show -json %d: %v\n%s", id, err, out)
	}
	return r
}

func mustExecSQL(t *testing.T, db *sql.DB, stmt string) {
	t.Helper()
	if _, err := db.Exec(stmt); err != nil {
		t.Fatalf("%s: %v", stmt, err)
	}
}

// liveKillConfig imports the people of hr.db and follows their changes;
// every user has an account in app.db with the e-mail.
const liveKillConfig = `
resource "hr" {
  connector = "sql"
  connection {
    driver             = "sqlite"
    dsn                = "hr.db"
    table              = "people"
    key                = "emp_id"
    columns            = ["emp_id", "login", "email"]
    change_column      = "seq"
    change_column_type = "sequence"
  }
  object_type "account" {
    correlate {
      employee_number = attributes.emp_id
    }
    inbound {
      name            = attributes.login
      email           = attributes.email
      employee_number = attributes.emp_id
    }
    reactions {
      unmatched = "add_focus"
    }
  }
}
resource "app" {
  connector = "sql"
  connection {
    driver       = "sqlite"
    dsn          = "app.db"
    table        = "accounts"
    key          = "login"
    columns      = ["login", "full_name", "email"]
    create_table = true
  }
  object_type "account" {
    provision_when = true
    correlate {
      name = attributes.login
    }
    outbound {
      login = user.name
      email = user.email
    }
  }
}
task "hr-import" {
  activity "import" {
    resource = resource.hr
  }
}
task "hr-live" {
  activity "live_sync" {
    resource   = resource.hr
    batch_size = 200
  }
}
`
