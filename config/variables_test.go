package config

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"testing/fstest"

	"github.com/zclconf/go-cty/cty"
)

const varsConfig = `
variable "region" {
  default = "eu"
}
variable "replicas" {
  type    = number
  default = 1
}
variable "password" {
  type      = string
  sensitive = true
}
variable "tags" {
  type    = list(string)
  default = []
}
`

func loadVars(t *testing.T, opts LoadOptions) (*Config, string) {
	t.Helper()
	fsys := fstest.MapFS{"main.hcl": {Data: []byte(varsConfig)}}
	cfg, diags := LoadFS(fsys, "", opts)
	if len(diags) == 0 {
		return cfg, ""
	}
	var msgs []string
	for _, d := range diags {
		msgs = append(msgs, d.Summary+"; "+d.Detail)
	}
	return cfg, strings.Join(msgs, "\n")
}

func TestVariablePrecedence(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	varFile := filepath.Join(dir, "prod.vars.hcl")
	if err := os.WriteFile(varFile, []byte("region = \"us\"\nreplicas = 3\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name         string
		opts         LoadOptions
		wantRegion   string
		wantReplicas int64
	}{
		{"defaults", LoadOptions{Environ: []string{"SYNCLINE_VAR_password=x"}}, "eu", 1},
		{"environment", LoadOptions{Environ: []string{"SYNCLINE_VAR_password=x", "SYNCLINE_VAR_region=ap"}}, "ap", 1},
		{"var file beats environment", LoadOptions{
			Environ:  []string{"SYNCLINE_VAR_password=x", "SYNCLINE_VAR_region=ap"},
			VarFiles: []string{varFile},
		}, "us", 3},
		{"var option beats var file", LoadOptions{
			Vars:     []string{"password=x", "region=sa", "replicas=5"},
			VarFiles: []string{varFile},
		}, "sa", 5},
		{"last var option wins", LoadOptions{Vars: []string{"password=x", "region=a", "region=b=c"}}, "b=c", 1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			cfg, errs := loadVars(t, tt.opts)
			if errs != "" {
				t.Fatal(errs)
			}
			if got := cfg.Variables["region"].Value.AsString(); got != tt.wantRegion {
				t.Errorf("region = %q, want %q", got, tt.wantRegion)
			}
			if got, _ := cfg.Variables["replicas"].Value.AsBigFloat().Int64(); got != tt.wantReplicas {
				t.Errorf("replicas = %d, want %d", got, tt.wantReplicas)
			}
		})
	}
}

func TestVariableErrors(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	badFile := filepath.Join(dir, "bad.vars.hcl")
	os.WriteFile(badFile, []byte("replicas = \"many\"\n"), 0o600)
	extraFile := filepath.Join(dir, "extra.vars.hcl")
	os.WriteFile(extraFile, []byte("password = \"x\"\nzone = \"a\"\n"), 0o600)
	tests := []struct {
		name string
		opts LoadOptions
		want string
	}{
		{"required variable unset", LoadOptions{}, `No value for required variable; The variable "password" has no default`},
		{"malformed -var", LoadOptions{Vars: []string{"password"}}, "Invalid -var option"},
		{"undeclared -var", LoadOptions{Vars: []string{"password=x", "regoin=us"}}, `Value for undeclared variable; A -var option sets "regoin", but no variable block declares it. Did you mean "region"?`},
		{"wrong type from -var", LoadOptions{Vars: []string{"password=x", "replicas=many"}}, `The variable "replicas" must be number: -var replicas is not a literal value`},
		{"wrong type from environment", LoadOptions{Environ: []string{"SYNCLINE_VAR_password=x", `SYNCLINE_VAR_tags="a"`}}, `The variable "tags" must be list of string`},
		{"wrong type in var file", LoadOptions{Vars: []string{"password=x"}, VarFiles: []string{badFile}}, `Invalid value for variable`},
		{"missing var file", LoadOptions{VarFiles: []string{filepath.Join(dir, "nope.vars.hcl")}}, "Cannot read variable file"},
		{"undeclared in var file is a warning", LoadOptions{VarFiles: []string{extraFile}}, `Value for undeclared variable; A variable file sets "zone"`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			_, errs := loadVars(t, tt.opts)
			if !strings.Contains(errs, tt.want) {
				t.Errorf("diagnostics %q do not contain %q", errs, tt.want)
			}
		})
	}
}

func TestSensitiveVariableIsMarked(t *testing.T) {
	t.Parallel()
	cfg, errs := loadVars(t, LoadOptions{Vars: []string{"password=hunter2"}})
	if errs != "" {
		t.Fatal(errs)
	}
	pw := cfg.Variables["password"].Value
	if !pw.HasMark(Sensitive) {
		t.Fatal("sensitive variable value is not marked")
	}
	if cfg.Variables["region"].Value.IsMarked() {
		t.Fatal("plain variable value is marked")
	}
}

func TestUnsetVariablesAreUnknownForValidate(t *testing.T) {
	t.Parallel()
	cfg, errs := loadVars(t, LoadOptions{AllowUnsetVariables: true})
	if errs != "" {
		t.Fatal(errs)
	}
	if cfg.Variables["password"].Value.IsKnown() {
		t.Fatal("unset variable should be unknown")
	}
	if !cfg.Variables["password"].Value.Type().Equals(cty.String) {
		t.Fatalf("unset variable has type %s", cfg.Variables["password"].Value.Type().FriendlyName())
	}
}
