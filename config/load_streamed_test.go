package config

import (
	"os"
	"path/filepath"
	"reflect"
	"testing"
)

// TestLoadStreamedSameConfig holds the streamed load to the phased one: a
// configuration without errors loads streamed into the same definitions,
// with the same warnings in the same order, wherever its variables and
// locals are declared.
func TestLoadStreamedSameConfig(t *testing.T) {
	t.Parallel()
	dirs, _ := filepath.Glob("../examples/*")
	later := laterValuesDir(t)
	dirs = append(dirs, "testdata/valid", later)
	for _, dir := range dirs {
		if files, _ := filepath.Glob(filepath.Join(dir, "*"+ConfigFileSuffix)); len(files) == 0 {
			continue
		}
		t.Run(filepath.Base(dir), func(t *testing.T) {
			t.Parallel()
			opts := LoadOptions{AllowUnsetVariables: true, Environ: []string{"SYNCLINE_VAR_region=eu"}}
			if dir == later {
				opts.VarFiles = []string{filepath.Join(dir, "extra.vars.hcl")}
			}
			streamed := &loader{cfg: newConfig(dir), opts: opts, fsys: rootFS(dir)}
			streamedDiags := streamed.loadWith(streamed.loadStreamed)
			phased := &loader{cfg: newConfig(dir), opts: opts, fsys: rootFS(dir)}
			phasedDiags := phased.loadWith(phased.loadPhases)
			if phasedDiags.HasErrors() {
				t.Fatalf("phased load reported %s", phasedDiags.Error())
			}
			if got, want := streamedDiags.Error(), phasedDiags.Error(); got != want {
				t.Errorf("streamed load reported\n%s\nwant\n%s", got, want)
			}
			if dir == later && len(phasedDiags) != 2 {
				t.Errorf("want the two warnings of %s, got %q", dir, phasedDiags.Error())
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
// declared in a file after the task that reads them, with two warnings:
// a variable file sets an undeclared variable, and a resource does not
// verify TLS certificates.
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
		"c-directory.hcl": `resource "dir" {
  connector = "ldap"
  connection {
    url                  = "ldaps://ldap.example.com"
    base_dn              = "dc=example,dc=com"
    container            = "ou=people,dc=example,dc=com"
    insecure_skip_verify = true
  }
}
`,
		"extra.vars.hcl": `colour = "blue"
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
