package report_test

import (
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/syncline/syncline/config"
	"github.com/syncline/syncline/engine/activity"
	"github.com/syncline/syncline/engine/activity/report"
	"github.com/syncline/syncline/internal/procgroup"
	"github.com/syncline/syncline/state"
)

// usersTask is a task "job" with one users report whose body is body.
func usersTask(body string) string {
	return "task \"job\" {\n  activity \"report\" {\n    source = \"users\"\n" + body + "\n  }\n}\n"
}

// hostileUsers adds users whose values try CSV and HTML injection.
func (b *bundle) hostileUsers(t *testing.T) {
	t.Helper()
	b.repo(t, func(r *state.RepositoryTx) error {
		for _, u := range []*state.User{
			{Name: "alice", Status: state.UserActive, Attributes: map[string]string{"email": "alice@example.com", "phone": "+420 555"}},
			{Name: "=HYPERLINK(\"http://evil\")", Status: state.UserActive, Attributes: map[string]string{"email": "@SUM(A1:A9)"}},
			{Name: "bob", Status: state.UserDisabled, Attributes: map[string]string{"email": "<script>alert(1)</script>", "note": "-2+3\r\n\tx, \"quoted\""}},
		} {
			if err := r.InsertUser(u); err != nil {
				return err
			}
		}
		return nil
	})
}

func TestUsersReportFormats(t *testing.T) {
	t.Parallel()
	for _, format := range []string{"csv", "json", "html"} {
		t.Run(format, func(t *testing.T) {
			t.Parallel()
			out := "reports/users." + format
			b := setup(t, usersTask(`    format = "`+format+`"
    output = "`+out+`"`))
			b.hostileUsers(t)
			run := b.run(t, "job")
			if run.State != state.RunSucceeded {
				t.Fatalf("run %s: %s", run.State, run.Error)
			}
			a := run.Activities[0]
			abs, _ := filepath.Abs(filepath.Join(b.Dir, out))
			if a.Output["report"] != abs || a.Output["rows"] != "3" || a.Success != 3 || a.Statistics["rows"] != 3 {
				t.Errorf("activity %+v", a)
			}
			got := b.read(t, out)
			golden(t, "users."+format, got)
			if format == "html" && strings.Contains(got, "<script>") {
				t.Error("the HTML report holds an unescaped <script>")
			}
		})
	}
}

func TestCSVCellsNeutralised(t *testing.T) {
	t.Parallel()
	b := setup(t, usersTask(`    columns = ["name", "email", "note", "phone"]
    output  = "users.csv"`))
	b.hostileUsers(t)
	if run := b.run(t, "job"); run.State != state.RunSucceeded {
		t.Fatalf("run %s: %s", run.State, run.Error)
	}
	got := b.read(t, "users.csv")
	for _, want := range []string{`"'=HYPERLINK(""http://evil"")"`, `'@SUM(A1:A9)`, `'+420 555`, "\"'-2+3\r\n\tx, \"\"quoted\"\"\""} {
		if !strings.Contains(got, want) {
			t.Errorf("CSV lacks %q:\n%s", want, got)
		}
	}
}

func TestFilterErrorIsObjectError(t *testing.T) {
	t.Parallel()
	b := setup(t, usersTask(`    filter  = tonumber(user.level) > 2
    columns = ["name", "level"]
    output  = "levels.csv"`))
	b.repo(t, func(r *state.RepositoryTx) error {
		for name, level := range map[string]string{"high": "5", "low": "1", "odd": "five"} {
			if err := r.InsertUser(&state.User{Name: name, Status: state.UserActive, Attributes: map[string]string{"level": level}}); err != nil {
				return err
			}
		}
		return r.InsertUser(&state.User{Name: "none", Status: state.UserActive})
	})
	run := b.run(t, "job")
	if run.State != state.RunPartial {
		t.Fatalf("run %s: %s", run.State, run.Error)
	}
	a := run.Activities[0]
	if a.Total != 4 || a.Success != 1 || a.Skipped != 1 || a.Failure != 2 || a.Output["rows"] != "1" {
		t.Errorf("activity %+v", a)
	}
	var items []string
	for _, e := range a.Errors {
		items = append(items, e.Item)
		if e.Category != "mapping" || !strings.HasPrefix(e.Message, "filter: ") {
			t.Errorf("error %+v", e)
		}
	}
	if strings.Join(items, ",") != "none,odd" {
		t.Errorf("errors for %v", items)
	}
	if got := b.read(t, "levels.csv"); got != "name,level\nhigh,5\n" {
		t.Errorf("report:\n%s", got)
	}
}

func TestPreviewWritesNothing(t *testing.T) {
	t.Parallel()
	for _, mode := range []string{"preview", "dry_run"} {
		b := setup(t, "task \"job\" {\n  mode = \""+mode+"\"\n  activity \"report\" {\n    source = \"users\"\n    output = \"reports/users.csv\"\n  }\n}\n")
		b.hostileUsers(t)
		run := b.run(t, "job")
		if run.State != state.RunSucceeded {
			t.Fatalf("%s: run %s: %s", mode, run.State, run.Error)
		}
		a := run.Activities[0]
		if !strings.HasPrefix(a.Output["would_write"], "would write 3 rows (") || a.Output["report"] != "" {
			t.Errorf("%s: output %v", mode, a.Output)
		}
		if _, err := os.Stat(filepath.Join(b.Dir, "reports")); !os.IsNotExist(err) {
			t.Errorf("%s: wrote something: %v", mode, err)
		}
	}
}

func TestOutputReplacedAtomically(t *testing.T) {
	t.Parallel()
	b := setup(t, usersTask(`    output = "reports/users.csv"`))
	b.writeFile(t, "reports/users.csv", "old report\n")
	b.hostileUsers(t)
	if run := b.run(t, "job"); run.State != state.RunSucceeded {
		t.Fatalf("run %s: %s", run.State, run.Error)
	}
	if got := b.read(t, "reports/users.csv"); !strings.HasPrefix(got, "name,status,") {
		t.Errorf("report:\n%s", got)
	}
	entries, err := os.ReadDir(filepath.Join(b.Dir, "reports"))
	if err != nil || len(entries) != 1 {
		t.Errorf("reports/ holds %v (%v); want the report alone, no temporary file", entries, err)
	}
}

// TestOutputEscapeRefusedAtRun makes the output's directory a symbolic
// link to elsewhere after the configuration was loaded (a catalog loaded
// later refuses it at once): the activity fails and writes nothing there.
func TestOutputEscapeRefusedAtRun(t *testing.T) {
	t.Parallel()
	b := setup(t, usersTask(`    output = "reports/users.csv"`))
	b.hostileUsers(t)
	cfg, diags := config.LoadDir(b.Dir, b.Opts)
	if diags.HasErrors() {
		t.Fatal(diags.Error())
	}
	outside := t.TempDir()
	if err := os.Symlink(outside, filepath.Join(b.Dir, "reports")); err != nil {
		t.Fatal(err)
	}
	task := cfg.Tasks["job"]
	p := &progress{}
	ac := activity.NewContext(activity.Context{RunID: 1, Task: task, Activity: task.Activities[0], Config: cfg,
		Dir: b.Dir, Mode: config.ModeFull, Store: b.Store, Clock: b.Clock}, p)
	err := report.Activity{}.Run(b.Ctx, ac)
	if err == nil || !strings.Contains(err.Error(), "escapes") {
		t.Fatalf("error %v", err)
	}
	if entries, _ := os.ReadDir(outside); len(entries) != 0 {
		t.Errorf("wrote outside: %v", entries)
	}
	if p.result.Output["report"] != "" {
		t.Errorf("output %v", p.result.Output)
	}
}

// progress records an activity's result outside a runner.
type progress struct {
	mu     sync.Mutex
	result state.ActivityResult
}

func (p *progress) Update(f func(*state.ActivityResult)) {
	p.mu.Lock()
	defer p.mu.Unlock()
	f(&p.result)
}
func (p *progress) Checkpoint() json.RawMessage                               { return nil }
func (p *progress) SaveCheckpoint(context.Context, json.RawMessage) error     { return nil }
func (p *progress) RecordProcessGroup(context.Context, procgroup.Group) error { return nil }
func (p *progress) ClearProcessGroup()                                        {}

// shadowsHCL has a csv resource and a task "job" with one report of
// SOURCE over its accounts.
const shadowsHCL = `
resource "hr" {
  connector = "csv"
  connection {
    path       = "hr.csv"
    identifier = "emp_id"
  }
  object_type "account" {}
}

task "job" {
  activity "report" {
    source   = "SOURCE"
    resource = resource.hr
    FILTER
    format   = "FORMAT"
    output   = "out.FORMAT"
  }
}
`

func shadowsTask(source, filter, format string) string {
	return strings.NewReplacer("SOURCE", source, "FILTER", filter, "FORMAT", format).Replace(shadowsHCL)
}

// someShadows stores four shadows of hr, one with a write-only
// fingerprint that a report must leave out, one owned by alice.
func (b *bundle) someShadows(t *testing.T) {
	t.Helper()
	at := b.Clock.Now()
	b.repo(t, func(r *state.RepositoryTx) error {
		alice := &state.User{Name: "alice", Status: state.UserActive}
		if err := r.InsertUser(alice); err != nil {
			return err
		}
		for _, sh := range []*state.Shadow{
			{Identifier: "E1", Key: "e1", Situation: "linked", Owner: alice.ID, SyncedAt: at,
				Attributes: map[string][]string{"mail": {"alice@example.com"}, "groups": {"staff", "=admins"},
					"secret": {"(write-only sha256:0123456789abcdef01234567)"}}},
			{Identifier: "E2", Key: "e2", Situation: "disputed", Attributes: map[string][]string{"mail": {"<b>x</b>"}}},
			{Identifier: "E3", Key: "e3", Situation: "unmatched", Attributes: map[string][]string{"identifier": {"clash"}}},
			{Identifier: "E4", Key: "e4", Situation: "deleted", Dead: true},
		} {
			sh.Resource, sh.Kind, sh.Intent = "hr", "account", "default"
			if err := r.PutShadow(sh); err != nil {
				return err
			}
		}
		return nil
	})
}

func TestShadowsReport(t *testing.T) {
	t.Parallel()
	b := setup(t, shadowsTask("shadows", `filter = shadow.situation != "deleted"`, "csv"))
	b.someShadows(t)
	run := b.run(t, "job")
	if run.State != state.RunSucceeded {
		t.Fatalf("run %s: %s", run.State, run.Error)
	}
	got := b.read(t, "out.csv")
	golden(t, "shadows.csv", got)
	if strings.Contains(got, "write-only") || strings.Contains(got, "secret") {
		t.Errorf("the report holds a write-only attribute:\n%s", got)
	}
	if a := run.Activities[0]; a.Success != 3 || a.Skipped != 1 {
		t.Errorf("activity %+v", a)
	}
}

func TestSituationsReport(t *testing.T) {
	t.Parallel()
	b := setup(t, shadowsTask("situations", "", "json"))
	b.someShadows(t)
	if run := b.run(t, "job"); run.State != state.RunSucceeded {
		t.Fatalf("run %s: %s", run.State, run.Error)
	}
	golden(t, "situations.json", b.read(t, "out.json"))
}

// summaryHCL imports hr.csv into users, fails on purpose in "broken",
// and summarises in "summary".
const summaryHCL = `
resource "hr" {
  connector = "csv"
  connection {
    path       = "hr.csv"
    identifier = "emp_id"
  }
  object_type "account" {
    correlate {
      employee_number = attributes.emp_id
    }
    inbound {
      name            = attributes.login
      employee_number = attributes.emp_id
      status          = attributes.state == "gone" ? "disabled" : "active"
    }
    reactions {
      unmatched = "add_focus"
      linked    = "synchronize"
      deleted   = "inactivate_focus"
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
    columns      = ["login", "password"]
    create_table = true
  }
  object_type "account" {
    provision_when = user.status == "active"
    deprovision    = "delete"
    correlate {
      name = attributes.login
    }
    outbound {
      login    = user.name
      password = "not-a-secret-${user.name}"
    }
  }
}

task "import" {
  activity "import" {
    resource = resource.hr
  }
}

task "broken" {
  activity "exec" {
    command = "sh"
    args    = ["-c", "echo 'disk <full>' >&2; exit 3"]
  }
}

task "summary" {
  activity "report" {
    source = "summary"
    format = "FORMAT"
    output = "reports/summary.FORMAT"
  }
}
`

func TestSummaryReport(t *testing.T) {
	t.Parallel()
	for _, format := range []string{"csv", "html"} {
		t.Run(format, func(t *testing.T) {
			t.Parallel()
			b := setup(t, strings.ReplaceAll(summaryHCL, "FORMAT", format))
			b.writeFile(t, "hr.csv", "emp_id,login,state\n1,alice,active\n2,bob,active\n3,=cmd,active\n")
			if run := b.run(t, "import"); run.State != state.RunSucceeded {
				t.Fatalf("import %s: %s", run.State, run.Error)
			}
			b.Clock.Advance(time.Hour)
			b.writeFile(t, "hr.csv", "emp_id,login,state\n1,alice,gone\n3,=cmd,active\n")
			if run := b.run(t, "import"); run.State != state.RunSucceeded {
				t.Fatalf("import %s: %s", run.State, run.Error)
			}
			if run := b.run(t, "broken"); run.State != state.RunFailed {
				t.Fatalf("broken %s", run.State)
			}
			b.troubledShadows(t)
			b.Clock.Advance(time.Hour)
			run := b.run(t, "summary")
			if run.State != state.RunSucceeded {
				t.Fatalf("summary %s: %s", run.State, run.Error)
			}
			golden(t, "summary."+format, b.read(t, "reports/summary."+format))
		})
	}
}

// troubledShadows stores a disputed shadow and one whose pending
// operation failed.
func (b *bundle) troubledShadows(t *testing.T) {
	t.Helper()
	b.repo(t, func(r *state.RepositoryTx) error {
		for _, sh := range []*state.Shadow{
			{Identifier: "D1", Key: "d1", Situation: "disputed"},
			{Identifier: "P1", Key: "p1", Situation: "linked", Pending: []state.PendingOperation{{
				Op: state.OpUpdate, QueuedAt: b.Clock.Now(), Attempts: 2, NextAttemptAt: b.Clock.Now().Add(time.Hour),
				LastError: "connection refused", Attributes: map[string][]string{"password": {"hunter2"}}}}},
		} {
			sh.Resource, sh.Kind, sh.Intent = "hr", "account", "default"
			if err := r.PutShadow(sh); err != nil {
				return err
			}
		}
		return nil
	})
}

// TestSummaryPeriod runs a summary a day after everything happened: the
// runs are outside its period, and what the state holds now is still
// there.
func TestSummaryPeriod(t *testing.T) {
	t.Parallel()
	b := setup(t, strings.ReplaceAll(summaryHCL, "FORMAT", "csv"))
	b.writeFile(t, "hr.csv", "emp_id,login,state\n1,alice,active\n")
	b.run(t, "import")
	b.run(t, "broken")
	b.troubledShadows(t)
	b.Clock.Advance(25 * time.Hour)
	if run := b.run(t, "summary"); run.State != state.RunSucceeded {
		t.Fatalf("summary %s: %s", run.State, run.Error)
	}
	got := b.read(t, "reports/summary.csv")
	for _, absent := range []string{"users,,added,1", "failed_runs", "hunter2"} {
		if strings.Contains(got, absent) {
			t.Errorf("summary holds %q:\n%s", absent, got)
		}
	}
	for _, present := range []string{"users,,added,0", "disputed,hr,D1,1", "errors,hr,P1,1"} {
		if !strings.Contains(got, present) {
			t.Errorf("summary lacks %q:\n%s", present, got)
		}
	}
}
