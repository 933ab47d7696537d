package config

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"testing/fstest"
)

func TestLoadDirErrors(t *testing.T) {
	t.Parallel()
	empty := t.TempDir()
	os.WriteFile(filepath.Join(empty, "README.md"), []byte("# not config"), 0o600)
	notDir := filepath.Join(t.TempDir(), "file.hcl")
	os.WriteFile(notDir, []byte(""), 0o600)
	tests := []struct {
		name, dir, want string
	}{
		{"missing directory", filepath.Join(empty, "nope"), "Cannot read configuration directory"},
		{"a file, not a directory", notDir, "Cannot read configuration directory"},
		{"no configuration files", empty, "No configuration files"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			cfg, diags := LoadDir(tt.dir, LoadOptions{})
			if cfg == nil {
				t.Fatal("LoadDir returned a nil Config")
			}
			if !diags.HasErrors() || !strings.Contains(diags.Error(), tt.want) {
				t.Fatalf("got %v, want an error containing %q", diags, tt.want)
			}
		})
	}
}

func TestLoadDirSkipsVarFilesAndSubdirectories(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	write := func(name, content string) {
		t.Helper()
		path := filepath.Join(dir, name)
		os.MkdirAll(filepath.Dir(path), 0o755)
		if err := os.WriteFile(path, []byte(content), 0o600); err != nil {
			t.Fatal(err)
		}
	}
	write("a.hcl", `schedule "a" { every = "1h" }`)
	write("b.hcl", `schedule "b" { every = "2h" }`)
	write("prod.vars.hcl", `this is { not config`)
	write("nested/c.hcl", `this is { not config either`)
	write(".hidden.hcl", `nor { this`)
	cfg, diags := LoadDir(dir, LoadOptions{})
	if diags.HasErrors() {
		t.Fatal(diags.Error())
	}
	if got := strings.Join(SortedNames(cfg.Schedules), ","); got != "a,b" {
		t.Fatalf("schedules = %s", got)
	}
	if _, ok := cfg.Files[filepath.Join(dir, "a.hcl")]; !ok {
		t.Fatalf("Files does not hold a.hcl under its display name: %v", SortedNames(cfg.Files))
	}
}

// TestFileFunctionStaysInsideRoot checks file() through a real directory:
// a symbolic link that leads outside the configuration is refused.
func TestFileFunctionStaysInsideRoot(t *testing.T) {
	t.Parallel()
	outside := t.TempDir()
	secret := filepath.Join(outside, "secret.txt")
	os.WriteFile(secret, []byte("outside"), 0o600)
	dir := t.TempDir()
	os.WriteFile(filepath.Join(dir, "inside.txt"), []byte("inside"), 0o600)
	if err := os.Symlink(secret, filepath.Join(dir, "escape.txt")); err != nil {
		t.Skip("symlinks not supported:", err)
	}
	tests := []struct {
		expr    string
		wantErr bool
	}{
		{`file("inside.txt")`, false},
		{`file("escape.txt")`, true},
		{`file("../` + filepath.Base(outside) + `/secret.txt")`, true},
		{`file("` + secret + `")`, true},
	}
	for _, tt := range tests {
		t.Run(tt.expr, func(t *testing.T) {
			t.Parallel()
			sub := t.TempDir()
			// Each case gets its own copy of the root so cases run in parallel.
			copyTree(t, dir, sub)
			os.WriteFile(filepath.Join(sub, "main.hcl"), []byte("locals {\n  x = "+tt.expr+"\n}\n"), 0o600)
			cfg, diags := LoadDir(sub, LoadOptions{})
			if diags.HasErrors() != tt.wantErr {
				t.Fatalf("errors = %v, want error %v", diags, tt.wantErr)
			}
			if !tt.wantErr && !cfg.Locals["x"].Value.HasMark(Sensitive) {
				t.Fatal("file() result is not marked sensitive")
			}
		})
	}
}

func copyTree(t *testing.T, from, to string) {
	t.Helper()
	entries, _ := os.ReadDir(from)
	for _, e := range entries {
		src := filepath.Join(from, e.Name())
		if e.Type()&os.ModeSymlink != 0 {
			target, _ := os.Readlink(src)
			os.Symlink(target, filepath.Join(to, e.Name()))
			continue
		}
		data, _ := os.ReadFile(src)
		os.WriteFile(filepath.Join(to, e.Name()), data, 0o600)
	}
}

// TestExamplesValidate loads every configuration directory in examples/
// (those holding *.hcl files; others, such as CI workflows, are skipped).
func TestExamplesValidate(t *testing.T) {
	t.Parallel()
	dirs, _ := filepath.Glob("../examples/*")
	found := 0
	for _, dir := range dirs {
		if info, err := os.Stat(dir); err != nil || !info.IsDir() {
			continue
		}
		if files, _ := filepath.Glob(filepath.Join(dir, "*"+ConfigFileSuffix)); len(files) == 0 {
			continue
		}
		found++
		t.Run(filepath.Base(dir), func(t *testing.T) {
			t.Parallel()
			_, diags := LoadDir(dir, LoadOptions{AllowUnsetVariables: true})
			if len(diags) > 0 {
				t.Fatal(diags.Error())
			}
		})
	}
	if found == 0 {
		t.Fatal("no examples found")
	}
}

func TestQuickstartContents(t *testing.T) {
	t.Parallel()
	cfg, diags := LoadDir("../examples/quickstart", LoadOptions{})
	if diags.HasErrors() {
		t.Fatal(diags.Error())
	}
	if got := strings.Join(SortedNames(cfg.Tasks), ","); got != "app-reconcile,hr-export-check,hr-import" {
		t.Errorf("tasks = %s", got)
	}
	rec := cfg.Tasks["app-reconcile"]
	if rec.Mode != ModePreview || len(rec.After) != 1 || rec.After[0].Name != "hr-import" {
		t.Errorf("app-reconcile = %+v", rec)
	}
	if got := strings.Join(rec.Activities[0].Stages(), ","); got != "resource_objects,remaining_shadows" {
		t.Errorf("stages = %s", got)
	}
	hr := cfg.Resources["hr"]
	if hr.Connection.String("path") != "data/hr.csv" || hr.ObjectTypes[0].Inbound[0].Target != "name" {
		t.Errorf("hr resource = %+v", hr)
	}
	if cfg.Tasks["hr-import"].Schedule != cfg.Schedules["nightly"] {
		t.Error("hr-import is not linked to schedule.nightly")
	}
}

func TestDefaults(t *testing.T) {
	t.Parallel()
	fsys := fstest.MapFS{"main.hcl": {Data: []byte(`
resource "r" {
  connector = "csv"
  connection {
    path       = "x.csv"
    identifier = "id"
  }
  object_type "account" {}
}
task "t" {
  activity "import" {
    resource = resource.r
  }
}`)}}
	cfg, diags := LoadFS(fsys, "", LoadOptions{})
	if diags.HasErrors() {
		t.Fatal(diags.Error())
	}
	task := cfg.Tasks["t"]
	if task.Mode != ModeFull || task.Concurrency != ConcurrencyForbid || !task.Enabled || task.Priority != DefaultPriority || task.Schedule != nil {
		t.Errorf("task defaults = %+v", task)
	}
	a := task.Activities[0]
	if a.Name != "import" || a.Kind != DefaultKind || a.Intent != DefaultIntent || a.Threads != 1 {
		t.Errorf("activity defaults = %+v", a)
	}
	ot := cfg.Resources["r"].ObjectTypes[0]
	if ot.Deprovision != DeprovisionDelete || ot.Reactions[SituationLinked] != ReactionSynchronize || ot.Reactions[SituationUnmatched] != ReactionNone {
		t.Errorf("object type defaults = %+v", ot)
	}
	if cfg.Settings.State != DefaultState {
		t.Errorf("state = %q", cfg.Settings.State)
	}
}

// TestEnvUnset: env() of an unset variable is an error when loading for
// real, and an unknown sensitive value when validating without secrets.
func TestEnvUnset(t *testing.T) {
	t.Parallel()
	fsys := fstest.MapFS{"main.hcl": {Data: []byte("locals {\n  x = env(\"SYNCLINE_TEST_UNSET\")\n}\n")}}
	_, diags := LoadFS(fsys, "", LoadOptions{})
	if !diags.HasErrors() || !strings.Contains(diags.Error(), "environment variable SYNCLINE_TEST_UNSET is not set") {
		t.Fatalf("loading for real: %v", diags)
	}
	cfg, diags := LoadFS(fsys, "", LoadOptions{AllowUnsetVariables: true})
	if diags.HasErrors() {
		t.Fatal(diags.Error())
	}
	if v := cfg.Locals["x"].Value; v.IsKnown() || !v.HasMark(Sensitive) {
		t.Fatalf("validating: env() = %#v, want unknown and sensitive", v)
	}
}
