package plantest

import (
	"maps"
	"strings"
	"testing/fstest"
	"time"

	"github.com/syncline/syncline/config"
	"github.com/syncline/syncline/state"
)

// TB is what the helpers need from a test: *testing.T, *testing.B and
// *rapid.T all have it.
type TB interface {
	Helper()
	Fatalf(format string, args ...any)
}

// Secret is the value of the sensitive variable in the fixtures; no view
// may ever contain it.
const Secret = "Sup3r-S3cret-dsn-7f1c"

// SecretVar sets the sensitive variable, as a -var argument.
const SecretVar = "app_dsn=" + Secret

// Now is the plan time of every test: a Friday, two days before
// Europe/Prague moves its clocks forward (Sunday 29 March 2026, 02:00 CET
// becomes 03:00 CEST).
var Now = time.Date(2026, 3, 27, 12, 0, 0, 0, time.UTC)

// Key stands for a state's secret key in every test, so fingerprints are
// the same from run to run.
var Key = state.SecretKey("planner-tests-secret-key-32bytes")

// BaseFiles is a small configuration with every kind of definition: two
// resources (one with a sensitive DSN), a named schedule in Europe/Prague
// and two tasks, one in preview with a threshold. Callers must not modify
// it; Edit returns a changed copy.
var BaseFiles = map[string]string{
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

// Edit returns a copy of files with old replaced by new in file name; it
// fails the test when old is not there, so fixtures cannot drift silently.
func Edit(t TB, files map[string]string, name, old, new string) map[string]string {
	t.Helper()
	if !strings.Contains(files[name], old) {
		t.Fatalf("%s does not contain %q", name, old)
	}
	out := maps.Clone(files)
	out[name] = strings.Replace(files[name], old, new, 1)
	return out
}

// LoadConfig loads HCL files from memory the way LoadDir loads a
// directory, so expressions keep their source bytes. vars are -var
// arguments.
func LoadConfig(t TB, files map[string]string, vars ...string) *config.Config {
	t.Helper()
	fsys := fstest.MapFS{}
	for name, src := range files {
		fsys[name] = &fstest.MapFile{Data: []byte(src)}
	}
	cfg, diags := config.LoadFS(fsys, "cfg", config.LoadOptions{Vars: vars})
	if diags.HasErrors() {
		t.Fatalf("loading the configuration: %s", diags.Error())
	}
	return cfg
}

// SnapshotOf is a stored snapshot holding copies of defs.
func SnapshotOf(defs map[string]*state.Definition, serial int64) *state.Snapshot {
	s := &state.Snapshot{Lineage: "lineage-1", Serial: serial, Definitions: map[string]*state.Definition{}, ShadowCounts: map[string]int{}}
	for addr, d := range defs {
		s.Definitions[addr] = CloneDefinition(d)
	}
	return s
}

// CloneDefinition copies d and its spec.
func CloneDefinition(d *state.Definition) *state.Definition {
	c := *d
	c.Spec = maps.Clone(d.Spec)
	return &c
}
