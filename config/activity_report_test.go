package config

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestReportOutputThroughSymlink loads a real directory in which the
// output's directory is a symbolic link: one that leads outside is an
// error at validate time, one that stays inside is not.
func TestReportOutputThroughSymlink(t *testing.T) {
	t.Parallel()
	outside := t.TempDir()
	for _, tt := range []struct {
		name, target string
		wantErr      bool
	}{
		{"escaping", outside, true},
		{"inside", "archive", false},
	} {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			dir := t.TempDir()
			if err := os.Mkdir(filepath.Join(dir, "archive"), 0o755); err != nil {
				t.Fatal(err)
			}
			if err := os.Symlink(tt.target, filepath.Join(dir, "reports")); err != nil {
				t.Fatal(err)
			}
			hcl := "task \"r\" {\n  activity \"report\" {\n    source = \"users\"\n    output = \"reports/users.csv\"\n  }\n}\n"
			if err := os.WriteFile(filepath.Join(dir, "main.hcl"), []byte(hcl), 0o644); err != nil {
				t.Fatal(err)
			}
			_, diags := LoadDir(dir, LoadOptions{})
			if !tt.wantErr {
				if diags.HasErrors() {
					t.Fatal(diags.Error())
				}
				return
			}
			if len(diags) != 1 || diags[0].Summary != "Invalid report output" || !strings.Contains(diags[0].Detail, "escapes") {
				t.Fatalf("diagnostics: %v", diags)
			}
		})
	}
}

// TestReportOutputProblem lists outputs and whether they may be written.
func TestReportOutputProblem(t *testing.T) {
	t.Parallel()
	for _, tt := range []struct {
		output, want string // want: a word of the problem, "" for none
	}{
		{"users.csv", ""},
		{"reports/daily/summary.html", ""},
		{"reports/../users.csv", ""},
		{"/tmp/users.csv", "absolute"},
		{"../users.csv", "leaves"},
		{"reports/../../users.csv", "leaves"},
		{".syncline/state.db", ".syncline"},
		{".git/hooks/post-merge", ".git"},
		{"main.hcl", "configuration file"},
		{".", "directory"},
		{"reports/", "directory"},
		{"a\x00b", "control"},
		{"", "empty"},
	} {
		got := ReportOutputProblem(tt.output)
		if (tt.want == "") != (got == "") || !strings.Contains(got, tt.want) {
			t.Errorf("ReportOutputProblem(%q) = %q, want a problem with %q", tt.output, got, tt.want)
		}
	}
}

// TestReportDefaults checks the settings a report gets when they are not
// written.
func TestReportDefaults(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	hcl := "task \"r\" {\n  activity \"report\" {\n    source = \"summary\"\n    output = \"s.csv\"\n  }\n}\n"
	if err := os.WriteFile(filepath.Join(dir, "main.hcl"), []byte(hcl), 0o644); err != nil {
		t.Fatal(err)
	}
	cfg, diags := LoadDir(dir, LoadOptions{})
	if diags.HasErrors() {
		t.Fatal(diags.Error())
	}
	r := cfg.Tasks["r"].Activities[0].Report
	if r.Format != "csv" || r.Since != DefaultReportSince || r.Output != "s.csv" {
		t.Errorf("settings %+v", r)
	}
}
