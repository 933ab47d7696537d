package main

import (
	"encoding/json"
	"reflect"
	"strings"
	"testing"

	"github.com/hashicorp/hcl/v2"
	"github.com/syncline/syncline/config"
	"github.com/syncline/syncline/internal/plantest"
	"github.com/syncline/syncline/internal/views"
)

// fakeLoader records the options validate passes and returns diags with
// the golden source.
type fakeLoader struct {
	t     *testing.T
	diags hcl.Diagnostics
	dir   string
	opts  config.LoadOptions
}

func (f *fakeLoader) load(dir string, opts config.LoadOptions) (*config.Config, hcl.Diagnostics) {
	f.dir, f.opts = dir, opts
	return &config.Config{Dir: dir, Files: plantest.DiagnosticFiles(f.t)}, f.diags
}

func TestValidateOptions(t *testing.T) {
	t.Parallel()
	fake := &fakeLoader{t: t}
	a := newApp(strings.NewReader(""), nil, nil, []string{"SYNCLINE_VAR_x=1"})
	a.loadDir = fake.load
	res := runApp(t, a, "validate", "-var", "a=b,c", "conf", "--var", "d=e", "-var-file", "prod.vars.hcl")
	if res.code != 0 {
		t.Fatalf("exit code %d; stderr:\n%s", res.code, res.stderr)
	}
	want := config.LoadOptions{
		Vars:                []string{"a=b,c", "d=e"},
		VarFiles:            []string{"prod.vars.hcl"},
		Environ:             []string{"SYNCLINE_VAR_x=1"},
		AllowUnsetVariables: true,
	}
	if fake.dir != "conf" || !reflect.DeepEqual(fake.opts, want) {
		t.Errorf("LoadDir(%q, %+v), want LoadDir(%q, %+v)", fake.dir, fake.opts, "conf", want)
	}
}

func TestValidate(t *testing.T) {
	t.Parallel()
	all := plantest.Diagnostics(t)
	warning, failure := all[1:2], all[0:1]
	tests := []struct {
		name       string
		diags      hcl.Diagnostics
		wantCode   int
		wantStdout []string
		wantStderr []string
	}{
		{"valid", nil, 0, []string{"Success! The configuration is valid.\n"}, nil},
		{"warnings go to stdout", warning, 0, []string{"Warning: Deprecated block", "Success!"}, nil},
		{"errors go to stderr", append(failure, warning...), 1, []string{"Warning: Deprecated block"},
			[]string{"Error: Unsupported argument", "on main.hcl:4,5:", "    4 |     pth"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			a := newApp(strings.NewReader(""), nil, nil, nil)
			a.loadDir = (&fakeLoader{t: t, diags: tt.diags}).load
			res := runApp(t, a, "validate")
			if res.code != tt.wantCode {
				t.Fatalf("exit code %d, want %d; stderr:\n%s", res.code, tt.wantCode, res.stderr)
			}
			checkContains(t, "stdout", res.stdout, tt.wantStdout...)
			checkContains(t, "stderr", res.stderr, tt.wantStderr...)
			if tt.wantCode != 0 && strings.Contains(res.stdout, "Success") {
				t.Errorf("stdout claims success:\n%s", res.stdout)
			}
		})
	}
}

func TestValidateJSON(t *testing.T) {
	t.Parallel()
	all := plantest.Diagnostics(t)
	tests := []struct {
		name     string
		diags    hcl.Diagnostics
		wantCode int
		want     views.ValidateResult
	}{
		{"valid", nil, 0, views.ValidateResult{FormatVersion: "1.0", Valid: true}},
		{"invalid", all, 1, views.ValidateResult{FormatVersion: "1.0", ErrorCount: 5, WarningCount: 2}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			a := newApp(strings.NewReader(""), nil, nil, nil)
			a.loadDir = (&fakeLoader{t: t, diags: tt.diags}).load
			res := runApp(t, a, "validate", "-json")
			if res.code != tt.wantCode || res.stderr != "" {
				t.Fatalf("exit code %d, want %d; stderr:\n%s", res.code, tt.wantCode, res.stderr)
			}
			var got views.ValidateResult
			if err := json.Unmarshal([]byte(res.stdout), &got); err != nil {
				t.Fatalf("stdout is not JSON: %v\n%s", err, res.stdout)
			}
			if len(got.Diagnostics) != len(tt.diags) {
				t.Errorf("%d diagnostics, want %d", len(got.Diagnostics), len(tt.diags))
			}
			got.Diagnostics = nil
			if !reflect.DeepEqual(got, tt.want) {
				t.Errorf("got %+v, want %+v", got, tt.want)
			}
			checkContains(t, "stdout", res.stdout, `"diagnostics": [`)
		})
	}
}
