package main

import (
	"path/filepath"
	"strings"
	"testing"

	"github.com/syncline/syncline/internal/views"
)

func TestCommandLineErrors(t *testing.T) {
	t.Parallel()
	missing := filepath.Join(t.TempDir(), "missing")
	tests := []struct {
		name       string
		args       []string
		wantCode   int
		wantStderr []string
	}{
		{"chdir to missing directory", []string{"-chdir", missing, "version"}, 1,
			[]string{"Error: invalid -chdir option:", "is not a directory"}},
		{"chdir with equals", []string{"--chdir=" + missing, "fmt"}, 1,
			[]string{"invalid -chdir option"}},
		{"unknown global flag", []string{"-bogus", "version"}, 1,
			[]string{"syncline: flag provided but not defined: -bogus", "Run 'syncline -help' for usage."}},
		{"unknown command flag", []string{"fmt", "-bogus"}, 1,
			[]string{"syncline fmt: flag provided but not defined: -bogus", "Run 'syncline fmt -help' for usage."}},
		{"flag needs a value", []string{"validate", "-var"}, 1,
			[]string{"syncline validate: flag needs an argument: -var"}},
		{"unknown command with suggestion", []string{"valdate"}, 1,
			[]string{`syncline: unknown command "valdate"; did you mean "validate"?`}},
		{"unknown command prefix", []string{"vers"}, 1,
			[]string{`did you mean "version"?`}},
		{"unknown command without suggestion", []string{"launch-rockets"}, 1,
			[]string{`syncline: unknown command "launch-rockets"` + "\n"}},
		{"help for unknown command", []string{"help", "fnt"}, 1,
			[]string{`unknown command "fnt"; did you mean "fmt"?`}},
		{"too many validate arguments", []string{"validate", "a", "b"}, 1,
			[]string{"syncline validate: too many arguments"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			res := runCLI(t, "", tt.args...)
			if res.code != tt.wantCode {
				t.Fatalf("exit code %d, want %d; stderr:\n%s", res.code, tt.wantCode, res.stderr)
			}
			checkContains(t, "stderr", res.stderr, tt.wantStderr...)
			if res.stdout != "" {
				t.Errorf("stdout should be empty on a usage error, got:\n%s", res.stdout)
			}
		})
	}
}

func TestHelp(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name       string
		args       []string
		wantStdout []string
	}{
		{"no arguments", nil, []string{"USAGE:", "validate", "fmt", "version", "-chdir", "-no-color"}},
		{"root help flag", []string{"-help"}, []string{"syncline [global options] <command>"}},
		{"help command", []string{"help", "fmt"}, []string{"syncline fmt [options] [DIR|FILE|- ...]"}},
		{"fmt help", []string{"fmt", "--help"}, []string{"Exit status", "exit 3", "-recursive", "-list"}},
		{"validate help", []string{"validate", "-h"}, []string{"syncline validate [options] [DIR]", "-var-file", "-json"}},
		{"version help", []string{"version", "-help"}, []string{"syncline version [-json]"}},
		{"completion", []string{"completion", "bash"}, []string{"syncline"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			res := runCLI(t, "", tt.args...)
			if res.code != 0 {
				t.Fatalf("exit code %d; stderr:\n%s", res.code, res.stderr)
			}
			checkContains(t, "stdout", res.stdout, tt.wantStdout...)
		})
	}
}

func TestClosestName(t *testing.T) {
	t.Parallel()
	commands := []string{"validate", "fmt", "version", "help", "completion"}
	tests := []struct {
		name string
		want string
	}{
		{"valdate", "validate"},
		{"vaildate", "validate"},
		{"fmtt", "fmt"},
		{"verison", "version"},
		{"comp", "completion"},
		{"plan", ""},
		{"x", ""},
		{"", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			if got := closestName(tt.name, commands); got != tt.want {
				t.Errorf("closestName(%q) = %q, want %q", tt.name, got, tt.want)
			}
		})
	}
}

func TestColor(t *testing.T) {
	t.Parallel()
	var b strings.Builder
	tests := []struct {
		name    string
		environ []string
		noColor bool
	}{
		{"not a terminal", nil, false},
		{"no-color flag", nil, true},
		{"NO_COLOR", []string{"NO_COLOR=1"}, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			a := newApp(nil, &b, &b, tt.environ)
			a.noColor = tt.noColor
			if a.color(&b).On {
				t.Error("colour enabled")
			}
		})
	}
	if got := (views.Color{On: true}).Paint("Error", views.Bold, views.Red); got != "\x1b[1m\x1b[31mError\x1b[0m" {
		t.Errorf("paint = %q", got)
	}
}
