package config

import (
	"os"
	"path/filepath"
	"reflect"
	"testing"
)

// TestLoadStreamedSameConfig holds the streamed load to the phased one: a
// clean configuration loads streamed, with nothing to report, into the
// same definitions, wherever its variables and locals are declared.
func TestLoadStreamedSameConfig(t *testing.T) {
	t.Parallel()
	dirs, _ := filepath.Glob("../examples/*")
	dirs = append(dirs, "testdata/valid", laterValuesDir(t))
	for _, dir := range dirs {
		if files, _ := filepath.Glob(filepath.Join(dir, "*"+ConfigFileSuffix)); len(files) == 0 {
			continue
		}
		t.Run(filepath.Base(dir), func(t *testing.T) {
			t.Parallel()
			opts := LoadOptions{AllowUnsetVariables: true, Environ: []string{"SYNCLINE_VAR_region=eu"}}
			streamed := &loader{cfg: newConfig(dir), opts: opts, fsys: rootFS(dir)}
			if diags := streamed.loadWith(streamed.loadStreamed); len(diags) > 0 {
				t.Fatalf("streamed load reported %s", diags.Error())
			}
			phased := &loader{cfg: newConfig(dir), opts: opts, fsys: rootFS(dir)}
			if diags := phased.loadWith(phased.loadPhases); len(diags) > 0 {
				t.Fatalf("phased load reported %s", diags.Error())
			}
			s, p := streamed.cfg, phased.cfg
			for name, pair := range map[string][2]any{
				"settings": {s.Settings, p.Settings}, "schedules": {s.Schedules, p.Schedules},
				"resources": {s.Resources, p.Resources}, "tasks": {s.Tasks, p.Tasks},
				"moved": {s.Moved, p.Moved}, "files": {s.Files, p.Files},
			} {
				if !reflect.DeepEqual(pair[0], pair[1]) {
					t.Errorf("%s differ between the streamed and the phased load", name)
				}
			}
		})
	}
}

// laterValuesDir writes a configuration whose variable and local are
// declared in a file after the task that reads them.
func laterValuesDir(t *testing.T) string {
	dir := t.TempDir()
	files := map[string]string{
		"a-tasks.hcl": `task "t" {
  description = "in ${local.where}"
  activity "import" { resource = resource.hr }
}
moved {
  from = task.old
  to   = task.t
}
`,
		"b-resources.hcl": `resource "hr" {
  connector = "csv"
  description = var.region
  connection {
    path       = "hr.csv"
    identifier = "id"
  }
  object_type "account" {}
}
`,
		"z-values.hcl": `variable "region" { type = string }
locals { where = "${var.region}-1" }
`,
	}
	for name, text := range files {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(text), 0o600); err != nil {
			t.Fatal(err)
		}
	}
	return dir
}
