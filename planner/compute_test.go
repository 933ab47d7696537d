package planner

import (
	"encoding/json"
	"maps"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/syncline/syncline/state"
)

func TestCompute(t *testing.T) {
	t.Parallel()
	prague, err := time.LoadLocation("Europe/Prague")
	if err != nil {
		t.Fatal(err)
	}
	at := func(day, hour, minute int) time.Time { return time.Date(2026, 3, day, hour, minute, 0, 0, prague) }

	tests := []struct {
		name    string
		before  map[string]string // nil: empty state
		after   func(t *testing.T) map[string]string
		vars    []string // for after; before always uses secretVar
		shadows map[string]int
		opts    Options
		check   func(t *testing.T, p *Plan)
	}{
		{
			name:  "create everything in an empty state",
			after: func(*testing.T) map[string]string { return baseFiles },
			check: func(t *testing.T, p *Plan) {
				wantSummary(t, p, Summary{Add: 5})
				wantActions(t, p, map[string]Action{
					"resource.app": Create, "resource.hr": Create, "schedule.nightly": Create,
					"task.app-reconcile": Create, "task.hr-import": Create,
				})
				c := changeAt(p, "task.hr-import")
				if c.Before != nil || c.After == nil || c.Source != "cfg/tasks.hcl:2" {
					t.Errorf("create: before %v, after %v, source %q", c.Before, c.After, c.Source)
				}
				if a := attributeAt(c, "schedule"); a == nil || a.Action != Create || a.After != "schedule.nightly" {
					t.Errorf("schedule attribute = %+v", a)
				}
				wantRuns(t, c.NextRuns, nil, []time.Time{at(28, 2, 0), at(30, 2, 0), at(31, 2, 0)})
			},
		},
		{
			name:   "no changes",
			before: baseFiles,
			after:  func(*testing.T) map[string]string { return baseFiles },
			check: func(t *testing.T, p *Plan) {
				if p.HasChanges() || p.Summary != (Summary{}) || len(p.Errors) != 0 {
					t.Errorf("plan has changes: %+v", p.Changes)
				}
			},
		},
		{
			name:   "update in place",
			before: baseFiles,
			after: func(t *testing.T) map[string]string {
				return edit(t, baseFiles, "tasks.hcl", `description = "Import HR accounts"`, `description = "Import HR"`)
			},
			check: func(t *testing.T, p *Plan) {
				wantSummary(t, p, Summary{Change: 1})
				c := changeAt(p, "task.hr-import")
				want := []AttributeChange{{Path: "description", Action: Update, Before: `"Import HR accounts"`, After: `"Import HR"`}}
				if !slices.Equal(c.Attributes, want) {
					t.Errorf("attributes = %+v", c.Attributes)
				}
				if c.NextRuns != nil {
					t.Errorf("a description change shows next runs: %+v", c.NextRuns)
				}
			},
		},
		{
			name:   "delete a task",
			before: baseFiles,
			after: func(t *testing.T) map[string]string {
				files := maps.Clone(baseFiles)
				files["tasks.hcl"], _, _ = strings.Cut(files["tasks.hcl"], `task "app-reconcile"`)
				return files
			},
			check: func(t *testing.T, p *Plan) {
				wantSummary(t, p, Summary{Remove: 1})
				c := changeAt(p, "task.app-reconcile")
				if c == nil || c.Action != Delete || c.After != nil || c.Before == nil || c.Source != "cfg/tasks.hcl:10" {
					t.Fatalf("task.app-reconcile: %+v", c)
				}
				wantNote(t, c, "The task will be closed; its run history is kept.")
				if a := attributeAt(c, "mode"); a == nil || a.Action != Delete || a.Before != `"preview"` || a.After != "" {
					t.Errorf("mode on delete = %+v", a)
				}
			},
		},
		{
			name:   "connector change replaces the resource",
			before: baseFiles,
			after: func(t *testing.T) map[string]string {
				return edit(t, baseFiles, "resources.hcl", `connector = "sql"
  connection {
    driver = "sqlite"
    dsn    = var.app_dsn
    table  = "accounts"
    key    = "login"
  }`, `connector = "csv"
  connection {
    path       = "data/app.csv"
    identifier = "login"
  }`)
			},
			check: func(t *testing.T, p *Plan) {
				wantSummary(t, p, Summary{Add: 1, Remove: 1})
				c := changeAt(p, "resource.app")
				if c.Action != Replace {
					t.Fatalf("action = %s", c.Action)
				}
				a := attributeAt(c, "connector")
				if a == nil || !a.ForcesReplace || a.Before != `"sql"` || a.After != `"csv"` {
					t.Errorf("connector = %+v", a)
				}
				if a := attributeAt(c, "connection.dsn"); a == nil || a.Action != Delete || a.Before != RedactedValue || !a.Sensitive {
					t.Errorf("connection.dsn = %+v", a)
				}
			},
		},
		{
			name:   "renaming an object type is an update",
			before: baseFiles,
			after: func(t *testing.T) map[string]string {
				files := edit(t, baseFiles, "resources.hcl", `object_type "account" {
    correlate {
      employee_number`, `object_type "person" {
    correlate {
      employee_number`)
				return edit(t, files, "tasks.hcl", `resource = resource.hr`, `resource = resource.hr
    kind     = "person"`)
			},
			check: func(t *testing.T, p *Plan) {
				c := changeAt(p, "resource.hr")
				if c.Action != Update {
					t.Fatalf("action = %s", c.Action)
				}
				if attributeAt(c, "object_type.person/default.inbound.name") == nil || attributeAt(c, "object_type.account/default.inbound.name") == nil {
					t.Errorf("attributes = %+v", c.Attributes)
				}
			},
		},
		{
			name:   "moved block renames a task",
			before: baseFiles,
			after: func(t *testing.T) map[string]string {
				files := edit(t, baseFiles, "tasks.hcl", `task "app-reconcile"`, `task "app-reconciliation"`)
				files["moved.hcl"] = "moved {\n  from = task.app-reconcile\n  to   = task.app-reconciliation\n}\n"
				return files
			},
			check: func(t *testing.T, p *Plan) {
				wantSummary(t, p, Summary{Move: 1})
				c := changeAt(p, "task.app-reconciliation")
				if c.Action != MoveOnly || c.PreviousAddress != "task.app-reconcile" || len(c.Attributes) != 0 {
					t.Errorf("move: %+v", c)
				}
				if changeAt(p, "task.app-reconcile") != nil {
					t.Error("the old address is also deleted")
				}
			},
		},
		{
			name:   "moved and changed",
			before: baseFiles,
			after: func(t *testing.T) map[string]string {
				files := edit(t, baseFiles, "tasks.hcl", `task "app-reconcile" {
  after = [task.hr-import]`, `task "app-reconciliation" {
  after = []`)
				files["moved.hcl"] = "moved {\n  from = task.app-reconcile\n  to   = task.app-reconciliation\n}\n"
				return files
			},
			check: func(t *testing.T, p *Plan) {
				wantSummary(t, p, Summary{Change: 1, Move: 1})
				c := changeAt(p, "task.app-reconciliation")
				if c.Action != Update || c.PreviousAddress != "task.app-reconcile" || len(c.Attributes) != 1 {
					t.Errorf("move: %+v", c)
				}
			},
		},
		{
			name:   "moved block already applied is ignored",
			before: nil,
			after: func(t *testing.T) map[string]string {
				files := edit(t, baseFiles, "tasks.hcl", `task "app-reconcile"`, `task "app-reconciliation"`)
				files["moved.hcl"] = "moved {\n  from = task.app-reconcile\n  to   = task.app-reconciliation\n}\n"
				return files
			},
			check: func(t *testing.T, p *Plan) {
				c := changeAt(p, "task.app-reconciliation")
				if c.Action != Create || c.PreviousAddress != "" {
					t.Errorf("change = %+v", c)
				}
			},
		},
		{
			name:   "changed secret is redacted but seen",
			before: baseFiles,
			after:  func(*testing.T) map[string]string { return baseFiles },
			vars:   []string{"app_dsn=rotated-" + testSecret},
			check: func(t *testing.T, p *Plan) {
				wantSummary(t, p, Summary{Change: 1})
				c := changeAt(p, "resource.app")
				want := []AttributeChange{{Path: "connection.dsn", Action: Update, Before: RedactedValue, After: RedactedValue, Sensitive: true}}
				if !slices.Equal(c.Attributes, want) {
					t.Errorf("attributes = %+v", c.Attributes)
				}
				data, _ := json.Marshal(p)
				if strings.Contains(string(data), testSecret) {
					t.Error("the plan's JSON holds the secret")
				}
			},
		},
		{
			name:    "removing a resource with shadows needs AllowDestroy",
			before:  baseFiles,
			after:   withoutHR,
			shadows: map[string]int{"hr": 120},
			check: func(t *testing.T, p *Plan) {
				if len(p.Errors) != 1 || !strings.Contains(p.Errors[0], "resource.hr has 120 shadows") || p.Err() == nil {
					t.Errorf("errors = %q", p.Errors)
				}
				if c := changeAt(p, "resource.hr"); c == nil || c.Action != Delete {
					t.Errorf("the plan does not show the delete: %+v", c)
				}
			},
		},
		{
			name:    "AllowDestroy removes a resource with shadows and says so",
			before:  baseFiles,
			after:   withoutHR,
			shadows: map[string]int{"hr": 120, "app": 3},
			opts:    Options{AllowDestroy: true},
			check: func(t *testing.T, p *Plan) {
				if len(p.Errors) != 0 {
					t.Errorf("errors = %q", p.Errors)
				}
				wantNote(t, changeAt(p, "resource.hr"), "The resource's 120 shadows will be dropped.")
			},
		},
		{
			name:   "cron change across the spring-forward day in Prague",
			before: baseFiles,
			after: func(t *testing.T) map[string]string {
				return edit(t, baseFiles, "schedules.hcl", `"0 2 * * *"`, `"30 2 * * *"`)
			},
			check: func(t *testing.T, p *Plan) {
				c := changeAt(p, "schedule.nightly")
				// 02:00 and 02:30 do not exist on Sunday 29 March: both are skipped.
				wantRuns(t, c.NextRuns,
					[]time.Time{at(28, 2, 0), at(30, 2, 0), at(31, 2, 0)},
					[]time.Time{at(28, 2, 30), at(30, 2, 30), at(31, 2, 30)})
				if c.NextRuns.Timezone != "Europe/Prague" {
					t.Errorf("timezone = %q", c.NextRuns.Timezone)
				}
				_, offset := c.NextRuns.After[1].Zone()
				if offset != 2*3600 {
					t.Errorf("after the change the offset is %d, want CEST", offset)
				}
				wantNote(t, c, "Used by task.hr-import; their next runs change with it.")
			},
		},
		{
			name:   "task switches from a named to an inline schedule",
			before: baseFiles,
			after: func(t *testing.T) map[string]string {
				return edit(t, baseFiles, "tasks.hcl", `schedule    = schedule.nightly`, `schedule {
    every = "6h"
  }`)
			},
			check: func(t *testing.T, p *Plan) {
				c := changeAt(p, "task.hr-import")
				wantRuns(t, c.NextRuns,
					[]time.Time{at(28, 2, 0), at(30, 2, 0), at(31, 2, 0)},
					[]time.Time{testNow.Add(6 * time.Hour), testNow.Add(12 * time.Hour), testNow.Add(18 * time.Hour)})
				if a := attributeAt(c, "schedule"); a == nil || a.Action != Delete {
					t.Errorf("schedule = %+v", a)
				}
				if a := attributeAt(c, "schedule.every"); a == nil || a.Action != Create || a.After != `"6h"` {
					t.Errorf("schedule.every = %+v", a)
				}
			},
		},
		{
			name:   "disabling a task leaves no next runs",
			before: baseFiles,
			after: func(t *testing.T) map[string]string {
				return edit(t, baseFiles, "tasks.hcl", `description = "Import HR accounts"`, `enabled = false`)
			},
			check: func(t *testing.T, p *Plan) {
				c := changeAt(p, "task.hr-import")
				if c.NextRuns == nil || len(c.NextRuns.Before) != 3 || len(c.NextRuns.After) != 0 {
					t.Errorf("next runs = %+v", c.NextRuns)
				}
			},
		},
		{
			name:   "preview to full and a removed threshold are noted",
			before: baseFiles,
			after: func(t *testing.T) map[string]string {
				files := edit(t, baseFiles, "tasks.hcl", `mode  = "preview"`, `mode  = "full"`)
				return edit(t, files, "tasks.hcl", `max_deletions = 25`, `max_disables = 10`)
			},
			check: func(t *testing.T, p *Plan) {
				c := changeAt(p, "task.app-reconcile")
				wantNote(t, c, `Mode changes from "preview" to "full": the task's activities will write to resources and the repository.`)
				wantNote(t, c, `activity[0].thresholds.max_deletions (reconciliation) is removed (was 25): nothing stops this activity before mass changes.`)
				if len(c.Notes) != 2 {
					t.Errorf("notes = %q", c.Notes)
				}
			},
		},
		{
			name:   "a changed connection is noted with the tasks that use the resource",
			before: baseFiles,
			after: func(t *testing.T) map[string]string {
				files := edit(t, baseFiles, "resources.hcl", `path       = "data/hr.csv"`, `path       = "/mnt/other/hr.csv"`)
				return edit(t, files, "resources.hcl", `object_type "account" {
    correlate {
      employee_number`, `description = "moved"
  object_type "account" {
    correlate {
      employee_number`)
			},
			check: func(t *testing.T, p *Plan) {
				c := changeAt(p, "resource.hr")
				want := "The connection changes (connection.path): check that it still reaches the intended system. Used by task.hr-import."
				if !slices.Equal(c.Notes, []string{want}) {
					t.Errorf("notes = %q, want %q", c.Notes, want)
				}
			},
		},
		{
			name:   "a resource change outside its connection is not noted",
			before: baseFiles,
			after: func(t *testing.T) map[string]string {
				return edit(t, baseFiles, "resources.hcl", `connector = "csv"`, `connector = "csv"
  description = "HR"`)
			},
			check: func(t *testing.T, p *Plan) {
				if c := changeAt(p, "resource.hr"); c.Action != Update || len(c.Notes) != 0 {
					t.Errorf("%s with notes %q", c.Action, c.Notes)
				}
			},
		},
		{
			name:   "a raised threshold is noted, a lowered one is not",
			before: baseFiles,
			after: func(t *testing.T) map[string]string {
				return edit(t, baseFiles, "tasks.hcl", `max_deletions = 25`, `max_deletions = 500
      max_creations = 10`)
			},
			check: func(t *testing.T, p *Plan) {
				c := changeAt(p, "task.app-reconcile")
				if !slices.Equal(c.Notes, []string{"activity[0].thresholds.max_deletions (reconciliation) is raised from 25 to 500."}) {
					t.Errorf("notes = %q", c.Notes)
				}
			},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			snap := &state.Snapshot{}
			if tt.before != nil {
				snap = storedFrom(t, tt.before, secretVar)
				snap.ShadowCounts = tt.shadows
			}
			vars := tt.vars
			if vars == nil {
				vars = []string{secretVar}
			}
			cfg := loadConfig(t, tt.after(t), vars...)
			desired, err := Desired(cfg, "rev2", testKey)
			if err != nil {
				t.Fatal(err)
			}
			opts := tt.opts
			opts.Moves = MovesFromConfig(cfg)
			p := mustCompute(t, desired, snap, opts)
			if p.FormatVersion != FormatVersion || p.Serial != snap.Serial || p.Lineage != snap.Lineage || !p.CreatedAt.Equal(testNow) {
				t.Errorf("plan header: %q %q/%d %s", p.FormatVersion, p.Lineage, p.Serial, p.CreatedAt)
			}
			tt.check(t, p)
		})
	}
}

func withoutHR(t *testing.T) map[string]string {
	files := edit(t, baseFiles, "resources.hcl", `resource "hr"`, `resource "hr2"`)
	return edit(t, files, "tasks.hcl", `resource = resource.hr`, `resource = resource.hr2`)
}

func wantSummary(t *testing.T, p *Plan, want Summary) {
	t.Helper()
	if p.Summary != want {
		t.Errorf("summary = %+v, want %+v", p.Summary, want)
	}
}

func wantActions(t *testing.T, p *Plan, want map[string]Action) {
	t.Helper()
	got := map[string]Action{}
	for _, c := range p.Changes {
		got[c.Address] = c.Action
	}
	if len(got) != len(want) {
		t.Errorf("actions = %v, want %v", got, want)
	}
	for addr, a := range want {
		if got[addr] != a {
			t.Errorf("%s: action %q, want %q", addr, got[addr], a)
		}
	}
}

func wantNote(t *testing.T, c *Change, note string) {
	t.Helper()
	if c == nil || !slices.Contains(c.Notes, note) {
		t.Errorf("notes do not include %q: %+v", note, c)
	}
}

func wantRuns(t *testing.T, got *NextRuns, before, after []time.Time) {
	t.Helper()
	if got == nil {
		t.Fatal("no next runs")
	}
	same := func(a, b []time.Time) bool {
		return slices.EqualFunc(a, b, func(x, y time.Time) bool { return x.Equal(y) })
	}
	if !same(got.Before, before) || !same(got.After, after) {
		t.Errorf("next runs:\n before %v\n  want  %v\n after  %v\n  want  %v", got.Before, before, got.After, after)
	}
}

func TestComputeOrdersChanges(t *testing.T) {
	t.Parallel()
	p := mustCompute(t, mustDesired(t, baseFiles, secretVar), nil, Options{})
	var got []string
	for _, c := range p.Changes {
		got = append(got, c.Address)
	}
	want := []string{"resource.app", "resource.hr", "schedule.nightly", "task.app-reconcile", "task.hr-import"}
	if !slices.Equal(got, want) {
		t.Errorf("order = %q, want %q", got, want)
	}
}

func TestComputeRejectsBadInput(t *testing.T) {
	t.Parallel()
	desired := mustDesired(t, baseFiles, secretVar)
	if _, err := Compute(desired, nil, Options{}); err == nil {
		t.Error("Compute without Now succeeded")
	}
	bad := map[string]*state.Definition{"task.x": desired["task.hr-import"]}
	if _, err := Compute(bad, nil, Options{Now: testNow}); err == nil {
		t.Error("Compute accepted a definition filed under another address")
	}
	for _, m := range []Move{{"task.a", "schedule.a"}, {"task.a", "task.a"}, {"task", "task.b"}} {
		if _, err := Compute(desired, nil, Options{Now: testNow, Moves: []Move{m}}); err == nil {
			t.Errorf("Compute accepted the move %v", m)
		}
	}
}
