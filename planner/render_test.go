package planner

import (
	"bytes"
	"flag"
	"maps"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/syncline/syncline/state"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata/ from the current output")

// goldenScenario is one representative plan, rendered in every view.
type goldenScenario struct {
	name    string
	before  map[string]string // nil: empty state
	after   func(t *testing.T) map[string]string
	vars    []string
	shadows map[string]int
	opts    Options
}

func goldenScenarios() []goldenScenario {
	return []goldenScenario{
		{name: "create", after: func(*testing.T) map[string]string { return baseFiles }},
		{name: "no_changes", before: baseFiles, after: func(*testing.T) map[string]string { return baseFiles }},
		{
			name:    "update",
			before:  withLegacy(baseFiles),
			after:   reviewedChange,
			vars:    []string{"app_dsn=rotated-" + testSecret},
			shadows: map[string]int{"legacy": 42},
			opts:    Options{AllowDestroy: true, Revision: "3f9c2e1"},
		},
		{
			name:   "move",
			before: baseFiles,
			after: func(t *testing.T) map[string]string {
				files := edit(t, baseFiles, "tasks.hcl", `task "app-reconcile"`, `task "app-reconciliation"`)
				files["moved.hcl"] = "moved {\n  from = task.app-reconcile\n  to   = task.app-reconciliation\n}\n"
				return files
			},
		},
		{
			name:    "destroy_guard",
			before:  baseFiles,
			after:   connectorChange,
			shadows: map[string]int{"app": 1500},
		},
	}
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
func reviewedChange(t *testing.T) map[string]string {
	files := edit(t, baseFiles, "schedules.hcl", `"0 2 * * *"`, `"30 2 * * *"`)
	files = edit(t, files, "tasks.hcl", `mode  = "preview"`, `mode  = "full"`)
	files = edit(t, files, "tasks.hcl", `    thresholds {
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

func connectorChange(t *testing.T) map[string]string {
	return edit(t, baseFiles, "resources.hcl", `connector = "sql"
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

func (s goldenScenario) plan(t *testing.T) *Plan {
	snap := &state.Snapshot{}
	if s.before != nil {
		snap = storedFrom(t, s.before, secretVar)
		snap.Lineage = "5b0d7c52-8a9e-4d61-9f3a-2f1e6c1b9a70"
		snap.ShadowCounts = s.shadows
	}
	vars := s.vars
	if vars == nil {
		vars = []string{secretVar}
	}
	cfg := loadConfig(t, s.after(t), vars...)
	desired, err := Desired(cfg, s.opts.Revision, testKey)
	if err != nil {
		t.Fatal(err)
	}
	opts := s.opts
	opts.Moves = MovesFromConfig(cfg)
	return mustCompute(t, desired, snap, opts)
}

// views renders a plan in every view.
var views = map[string]func(*bytes.Buffer, *Plan) error{
	"txt":       func(b *bytes.Buffer, p *Plan) error { return RenderText(b, p, TextOptions{}) },
	"color.txt": func(b *bytes.Buffer, p *Plan) error { return RenderText(b, p, TextOptions{Color: true}) },
	"json":      func(b *bytes.Buffer, p *Plan) error { return RenderJSON(b, p) },
	"md":        func(b *bytes.Buffer, p *Plan) error { return RenderMarkdown(b, p) },
}

func TestRenderGolden(t *testing.T) {
	t.Parallel()
	for _, s := range goldenScenarios() {
		t.Run(s.name, func(t *testing.T) {
			t.Parallel()
			p := s.plan(t)
			for ext, render := range views {
				if ext == "color.txt" && s.name != "update" {
					continue
				}
				var buf bytes.Buffer
				if err := render(&buf, p); err != nil {
					t.Fatal(err)
				}
				if strings.Contains(buf.String(), testSecret) {
					t.Errorf("the %s view holds the secret", ext)
				}
				if (ext == "color.txt") != strings.Contains(buf.String(), "\x1b[") {
					t.Errorf("the %s view has colour: %v", ext, ext == "color.txt")
				}
				checkGolden(t, filepath.Join("testdata", s.name+"."+ext+".golden"), buf.Bytes())
			}
		})
	}
}

func checkGolden(t *testing.T, path string, got []byte) {
	t.Helper()
	if *update {
		if err := os.WriteFile(path, got, 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run go test ./planner -run TestRenderGolden -update to create it)", err)
	}
	if !bytes.Equal(got, want) {
		t.Errorf("%s differs from the output; run with -update and review the diff.\n--- got ---\n%s", path, got)
	}
}

func TestRenderJSONRoundTrip(t *testing.T) {
	t.Parallel()
	p := goldenScenarios()[2].plan(t)
	var buf bytes.Buffer
	if err := RenderJSON(&buf, p); err != nil {
		t.Fatal(err)
	}
	back, err := DecodeJSON(buf.Bytes())
	if err != nil {
		t.Fatal(err)
	}
	var again bytes.Buffer
	if err := RenderJSON(&again, back); err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(buf.Bytes(), again.Bytes()) {
		t.Error("a plan read back from JSON renders differently")
	}
	var text1, text2 bytes.Buffer
	_ = RenderText(&text1, p, TextOptions{})
	_ = RenderText(&text2, back, TextOptions{})
	if text1.String() != text2.String() {
		t.Errorf("the text view of a plan read back from JSON differs:\n%s\n---\n%s", text1.String(), text2.String())
	}
	if _, err := DecodeJSON([]byte(`{"format_version": "2"}`)); err == nil {
		t.Error("a plan of format version 2 was accepted")
	}
}
