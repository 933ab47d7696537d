package synchronization_test

import (
	"fmt"
	"path/filepath"
	"strings"
	"testing"
)

const hrCSV = `emp_id,login,first_name,last_name,email,state
e1,alice,Alice,Archer,alice@hr.example,active
e2,bob,Bob,Baker,bob@hr.example,active
e3,carol,Carol,Cooper,carol@hr.example,active
e4,dave,Dave,Dawson,dave@hr.example,terminated
`

// hrResource imports people from hr.csv; extra goes into its object type.
func hrResource(extra string) string {
	return `
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
      name            = lower(attributes.login)
      given_name      = attributes.first_name
      family_name     = attributes.last_name
      email           = attributes.email
      employee_number = attributes.emp_id
      status          = attributes.state == "terminated" ? "disabled" : "active"
    }
    reactions {
      unmatched = "add_focus"
      deleted   = "inactivate_focus"
    }
` + extra + `
  }
}
`
}

// appResource provisions accounts to a table through connection.
func appResource(connection, extra string) string {
	return `
resource "app" {
  connector = "sql"
  connection {
` + connection + `
    key          = "login"
    columns      = ["login", "full_name", "email"]
    create_table = true
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
    reactions {
      unmatched = "delete_resource_object"
    }
` + extra + `
  }
}
`
}

const sqliteApp = `
    driver = "sqlite"
    dsn    = "app.db"
    table  = "accounts"
`

// tasks are the scenario's tasks; activityExtra goes into every activity.
func tasks(activityExtra string) string {
	var b strings.Builder
	for _, t := range []struct{ name, typ, res string }{
		{"hr-import", "import", "hr"}, {"hr-reconcile", "reconciliation", "hr"}, {"app-reconcile", "reconciliation", "app"},
	} {
		fmt.Fprintf(&b, "task %q {\n  activity %q {\n    resource = resource.%s\n%s\n  }\n}\n", t.name, t.typ, t.res, activityExtra)
	}
	b.WriteString("task \"recompute\" {\n  activity \"recompute\" {}\n}\n")
	b.WriteString("task \"propagate\" {\n  activity \"propagation\" {}\n}\n")
	return b.String()
}

func hrToApp(t testing.TB) *bundle {
	return setup(t, map[string]string{
		"hr.csv":   hrCSV,
		"main.hcl": hrResource("") + appResource(sqliteApp, "") + tasks(""),
	})
}

func TestImportCreatesUsersAndProvisionsAccounts(t *testing.T) {
	t.Parallel()
	b := hrToApp(t)
	run := b.run(t, "hr-import", "")
	mustSucceed(t, run)
	want := []string{
		"alice active email=alice@hr.example employee_number=e1 family_name=Archer given_name=Alice",
		"bob active email=bob@hr.example employee_number=e2 family_name=Baker given_name=Bob",
		"carol active email=carol@hr.example employee_number=e3 family_name=Cooper given_name=Carol",
		"dave disabled email=dave@hr.example employee_number=e4 family_name=Dawson given_name=Dave",
	}
	if d := diffLines(want, b.users(t)); d != "" {
		t.Errorf("users:\n%s", d)
	}
	app := filepath.Join(b.dir, "app.db")
	wantRows := []string{
		"login=alice full_name=Alice Archer email=alice@hr.example",
		"login=bob full_name=Bob Baker email=bob@hr.example",
		"login=carol full_name=Carol Cooper email=carol@hr.example",
	}
	if d := diffLines(wantRows, sqliteRows(t, app, "SELECT login, full_name, email FROM accounts")); d != "" {
		t.Errorf("accounts:\n%s", d)
	}
	if got := stat(run, "situation.unmatched"); got != 4 {
		t.Errorf("situation.unmatched = %d, want 4\n%s", got, describe(run))
	}
	if got := stat(run, "operations.create"); got != 3 {
		t.Errorf("operations.create = %d, want 3\n%s", got, describe(run))
	}

	// The same import again changes nothing and writes nothing.
	before, appBefore := b.dump(t), fileBytes(t, app)
	again := b.run(t, "hr-import", "")
	mustSucceed(t, again)
	if got := stat(again, "unchanged"); got != 4 {
		t.Errorf("second import: unchanged = %d, want 4\n%s", got, describe(again))
	}
	if after := b.dump(t); after != before {
		t.Errorf("second import changed the repository:\nbefore\n%s\nafter\n%s", before, after)
	}
	if fileBytes(t, app) != appBefore {
		t.Error("second import changed the application table")
	}
	if cs := b.changes(t, again.ID); len(cs) != 0 {
		t.Errorf("second import recorded changes: %v", cs)
	}
}
