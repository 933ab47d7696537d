package catalog_test

import (
	"errors"
	"strings"
	"testing"

	"github.com/syncline/syncline/engine/catalog"
	"github.com/syncline/syncline/engine/internal/enginetest"
)

const catalogHCL = `
schedule "often" {
  every = "15m"
}

task "hello" {
  schedule = schedule.often
  activity "exec" {
    command = "true"
  }
}

task "other" {
  activity "exec" {
    command = "true"
  }
}
`

func TestCatalogRunsWhatWasApplied(t *testing.T) {
	t.Parallel()
	b := enginetest.Setup(t, catalogHCL)
	cat := b.Catalog(t)
	if err := cat.Check("hello"); err != nil {
		t.Fatalf("applied task: %v", err)
	}
	if tk, err := cat.Task("hello"); err != nil || tk.Name != "hello" {
		t.Fatalf("Task(hello) = %v, %v", tk, err)
	}
	if got := len(cat.Tasks()); got != 2 {
		t.Fatalf("Tasks() has %d tasks, want 2", got)
	}
}

func TestCatalogRefusesEditsNotApplied(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name, edit, task, want string
	}{
		{"task edited", strings.Replace(catalogHCL, `command = "true"`, `command = "false"`, 1), "hello",
			"task.hello in DIR differs from the applied definition; run syncline plan / apply"},
		{"schedule edited", strings.Replace(catalogHCL, `"15m"`, `"5m"`, 1), "hello",
			"schedule.often (used by task.hello) in DIR differs from the applied definition; run syncline plan / apply"},
		{"task added", catalogHCL + "task \"new\" {\n  activity \"exec\" {\n    command = \"true\"\n  }\n}\n", "new",
			"task.new in DIR is not applied yet; run syncline plan / apply"},
		{"task removed", strings.Replace(catalogHCL, "task \"other\"", "task \"renamed\"", 1), "other",
			"task.other is applied but no longer in DIR; run syncline plan / apply"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			b := enginetest.Setup(t, catalogHCL)
			b.Write(t, tt.edit)
			err := b.Catalog(t).Check(tt.task)
			want := strings.ReplaceAll(tt.want, "DIR", b.Dir)
			if err == nil || err.Error() != want {
				t.Fatalf("Check(%s) = %v\nwant %s", tt.task, err, want)
			}
			if !errors.Is(err, catalog.ErrNotRunnable) {
				t.Errorf("error is not catalog.ErrNotRunnable: %v", err)
			}
		})
	}
}

func TestCatalogUnknownTaskListsNames(t *testing.T) {
	t.Parallel()
	b := enginetest.Setup(t, catalogHCL)
	_, err := b.Catalog(t).Task("helo")
	if !errors.Is(err, catalog.ErrUnknownTask) {
		t.Fatalf("Task(helo) = %v, want catalog.ErrUnknownTask", err)
	}
	if !strings.Contains(err.Error(), "the tasks are hello, other") {
		t.Errorf("error does not list the tasks: %v", err)
	}
}

func TestCatalogWithSnapshotRechecks(t *testing.T) {
	t.Parallel()
	b := enginetest.Setup(t, catalogHCL)
	cat := b.Catalog(t)
	b.Write(t, strings.Replace(catalogHCL, `command = "true"`, `command = "false"`, 1))
	b.Apply(t) // another process applied an edit the catalog has not loaded
	snap, err := b.Store.Snapshot(b.Ctx)
	if err != nil {
		t.Fatal(err)
	}
	again := cat.WithSnapshot(snap)
	if again.Serial() != snap.Serial {
		t.Errorf("serial %d, want %d", again.Serial(), snap.Serial)
	}
	if err := again.Check("hello"); !errors.Is(err, catalog.ErrNotRunnable) {
		t.Errorf("old files against the new state: %v, want catalog.ErrNotRunnable", err)
	}
	if err := again.Check("other"); err != nil {
		t.Errorf("unchanged task: %v", err)
	}
}

// syncCatalogHCL imports HR accounts; provisioning writes app accounts
// whose e-mail reads a variable and a sensitive one.
const syncCatalogHCL = `
variable "app_domain" {
  type    = string
  default = "example.com"
}
variable "salt" {
  type      = string
  sensitive = true
  default   = "pepper"
}
resource "hr" {
  connector = "csv"
  connection {
    path       = "hr.csv"
    identifier = "id"
  }
  object_type "account" {
    correlate {
      name = attributes.login
    }
    inbound {
      name = attributes.login
    }
  }
}
resource "app" {
  connector = "sql"
  connection {
    driver = "sqlite"
    dsn    = "app.db"
    table  = "accounts"
    key    = "login"
  }
  object_type "account" {
    correlate {
      login = attributes.login
    }
    outbound {
      login = user.name
      email = "${user.name}@${var.app_domain}"
      token = "${user.name}${var.salt}"
    }
  }
}
task "hr-import" {
  activity "import" {
    resource = resource.hr
    kind     = "account"
  }
}
`

// TestCatalogRefusesOtherVariableValues: a run whose variables differ from
// those applied is refused like an unapplied edit, naming the variable —
// also when only a resource the task provisions to reads it.
func TestCatalogRefusesOtherVariableValues(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name string
		vars []string
		want string
	}{
		{"plain", []string{"app_domain=example.org"},
			`resource.app (used by task.hr-import) in DIR differs from the applied definition: var.app_domain is "example.org", applied "example.com"; run syncline plan / apply`},
		{"sensitive", []string{"salt=s3cr3t-salt"},
			`resource.app (used by task.hr-import) in DIR differs from the applied definition: the sensitive var.salt has another value than the one applied; run syncline plan / apply`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			b := enginetest.Setup(t, syncCatalogHCL)
			if err := b.Catalog(t).Check("hr-import"); err != nil {
				t.Fatalf("with the applied values: %v", err)
			}
			b.Opts.Vars = tt.vars
			err := b.Catalog(t).Check("hr-import")
			want := strings.ReplaceAll(tt.want, "DIR", b.Dir)
			if err == nil || err.Error() != want {
				t.Fatalf("Check = %v\nwant %s", err, want)
			}
			if strings.Contains(err.Error(), "s3cr3t") {
				t.Errorf("the error shows the secret: %v", err)
			}
		})
	}
}
