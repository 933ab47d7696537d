package planner

import (
	"maps"
	"strings"

	"github.com/syncline/syncline/state"
)

// testSecret is the value of the sensitive variable in the fixtures; no
// view may ever contain it.
const testSecret = "Sup3r-S3cret-dsn-7f1c"

// baseFiles is a small configuration with every kind of definition: two
// resources (one with a sensitive DSN), a named schedule in Europe/Prague
// and two tasks, one in preview with a threshold.
var baseFiles = map[string]string{
	"variables.hcl": `
variable "app_dsn" {
  type      = string
  sensitive = true
}
`,
	"schedules.hcl": `
schedule "nightly" {
  cron     = "0 2 * * *"
  timezone = "Europe/Prague"
}
`,
	"resources.hcl": `
resource "hr" {
  connector = "csv"
  connection {
    path       = "data/hr.csv"
    identifier = "emp_id"
  }
  object_type "account" {
    correlate {
      employee_number = attributes.emp_id
    }
    inbound {
      name   = lower(attributes.login)
      status = attributes.state=="terminated" ? "disabled" : "active"
    }
  }
}

resource "app" {
  connector = "sql"
  connection {
    driver = "sqlite"
    dsn    = var.app_dsn
    table  = "accounts"
    key    = "login"
  }
  object_type "account" {
    correlate {
      name = attributes.login
    }
    outbound {
      login = user.name
    }
  }
}
`,
	"tasks.hcl": `
task "hr-import" {
  description = "Import HR accounts"
  schedule    = schedule.nightly
  activity "import" {
    resource = resource.hr
  }
}

task "app-reconcile" {
  after = [task.hr-import]
  mode  = "preview"
  activity "reconciliation" {
    resource = resource.app
    thresholds {
      max_deletions = 25
    }
  }
}
`,
}

// secretVar sets the sensitive variable.
var secretVar = "app_dsn=" + testSecret

// edit returns a copy of files with old replaced by new in file name; it
// fails the test when old is not there, so fixtures cannot drift silently.
func edit(t tb, files map[string]string, name, old, new string) map[string]string {
	t.Helper()
	if !strings.Contains(files[name], old) {
		t.Fatalf("%s does not contain %q", name, old)
	}
	out := maps.Clone(files)
	out[name] = strings.Replace(files[name], old, new, 1)
	return out
}

// changeAt returns the change at addr, or nil.
func changeAt(p *Plan, addr string) *Change {
	for i := range p.Changes {
		if p.Changes[i].Address == addr {
			return &p.Changes[i]
		}
	}
	return nil
}

// attributeAt returns the attribute change at path, or nil.
func attributeAt(c *Change, path string) *AttributeChange {
	for i := range c.Attributes {
		if c.Attributes[i].Path == path {
			return &c.Attributes[i]
		}
	}
	return nil
}

// storedFrom is the snapshot an apply of files would leave behind.
func storedFrom(t tb, files map[string]string, vars ...string) *state.Snapshot {
	t.Helper()
	return snapshotOf(mustDesired(t, files, vars...), 7)
}
