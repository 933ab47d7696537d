package plantest

import "maps"

// Lineage is the lineage of a scenario's stored state.
const Lineage = "5b0d7c52-8a9e-4d61-9f3a-2f1e6c1b9a70"

// Scenario is one representative plan, rendered in every view and kept as
// golden files: the configuration stored before (nil for an empty state),
// the configuration planned, and the options of the plan.
type Scenario struct {
	Name    string
	Before  map[string]string // nil: empty state
	After   func(t TB) map[string]string
	Vars    []string // nil: SecretVar
	Shadows map[string]int
	// AllowDestroy and Revision are the planner options of the same names.
	AllowDestroy bool
	Revision     string
}

// Scenarios are the golden scenarios: a first apply, no changes, an update
// a reviewer must look at closely, a move, and a destroy the guard stops.
func Scenarios() []Scenario {
	return []Scenario{
		{Name: "create", After: func(TB) map[string]string { return BaseFiles }},
		{Name: "no_changes", Before: BaseFiles, After: func(TB) map[string]string { return BaseFiles }},
		{
			Name:         "update",
			Before:       withLegacy(BaseFiles),
			After:        reviewedChange,
			Vars:         []string{"app_dsn=rotated-" + Secret},
			Shadows:      map[string]int{"legacy": 42},
			AllowDestroy: true,
			Revision:     "3f9c2e1",
		},
		{
			Name:   "move",
			Before: BaseFiles,
			After: func(t TB) map[string]string {
				files := Edit(t, BaseFiles, "tasks.hcl", `task "app-reconcile"`, `task "app-reconciliation"`)
				files["moved.hcl"] = "moved {\n  from = task.app-reconcile\n  to   = task.app-reconciliation\n}\n"
				return files
			},
		},
		{
			Name:    "destroy_guard",
			Before:  BaseFiles,
			After:   connectorChange,
			Shadows: map[string]int{"app": 1500},
		},
	}
}

// ScenarioNamed returns the scenario called name; it panics when there is
// none, which is a mistake in a test.
func ScenarioNamed(name string) Scenario {
	for _, s := range Scenarios() {
		if s.Name == name {
			return s
		}
	}
	panic("plantest: no scenario " + name)
}

// PlanVars are the -var arguments the planned configuration loads with.
func (s Scenario) PlanVars() []string {
	if s.Vars == nil {
		return []string{SecretVar}
	}
	return s.Vars
}

// withLegacy adds a resource and a task that the update scenario removes
// or renames.
func withLegacy(files map[string]string) map[string]string {
	out := maps.Clone(files)
	out["legacy.hcl"] = `
resource "legacy" {
  connector = "csv"
  connection {
    path       = "data/legacy.csv"
    identifier = "id"
  }
}

task "nightly-report" {
  schedule = schedule.nightly
  activity "report" {
    source = "users"
    output = "reports/users.csv"
  }
}

task "cleanup" {
  activity "exec" {
    command = "cleanup.sh"
  }
}
`
	return out
}

// reviewedChange is a change a reviewer must look at closely: a cron moved
// across the daylight-saving change, a task leaving preview without its
// threshold, a rotated secret, a rename, removals.
func reviewedChange(t TB) map[string]string {
	files := Edit(t, BaseFiles, "schedules.hcl", `"0 2 * * *"`, `"30 2 * * *"`)
	files = Edit(t, files, "tasks.hcl", `mode  = "preview"`, `mode  = "full"`)
	files = Edit(t, files, "tasks.hcl", `    thresholds {
      max_deletions = 25
    }
`, "")
	files["renamed.hcl"] = `
task "users-report" {
  schedule = schedule.nightly
  activity "report" {
    source = "users"
    output = "reports/users.csv"
    format = "json"
  }
}

moved {
  from = task.nightly-report
  to   = task.users-report
}
`
	return files
}

// connectorChange switches the app resource to another connector, which
// replaces it.
func connectorChange(t TB) map[string]string {
	return Edit(t, BaseFiles, "resources.hcl", `connector = "sql"
  connection {
    driver = "sqlite"
    dsn    = var.app_dsn
    table  = "accounts"
    key    = "login"
  }`, `connector = "ldap"
  connection {
    url           = "ldaps://ldap.example.com:636"
    bind_dn       = "cn=syncline,dc=example,dc=com"
    bind_password = var.app_dsn
    base_dn       = "ou=people,dc=example,dc=com"
  }`)
}
