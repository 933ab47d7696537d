package config_test

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/syncline/syncline/config"
)

// TestLoadSettings: the state setting is found in the file that holds the
// syncline block, also when it refers to a variable another file
// declares; no block gives the defaults; a broken file elsewhere does not
// matter to a quick read.
func TestLoadSettings(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name  string
		files map[string]string
		want  string
	}{
		{"literal", map[string]string{"syncline.hcl": `syncline { state = "here.db" }`, "tasks.hcl": `task "a" {`}, "here.db"},
		{"a variable from another file", map[string]string{
			"syncline.hcl": `syncline { state = var.where }`,
			"vars.hcl":     `variable "where" { default = "there.db" }`,
		}, "there.db"},
		{"no block", map[string]string{"tasks.hcl": `task "a" {}`}, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			dir := t.TempDir()
			for name, text := range tt.files {
				if err := os.WriteFile(filepath.Join(dir, name), []byte(text), 0o644); err != nil {
					t.Fatal(err)
				}
			}
			s, diags := config.LoadSettings(dir, config.LoadOptions{})
			if diags.HasErrors() {
				t.Fatal(diags.Error())
			}
			if s.State != tt.want {
				t.Errorf("state %q, want %q", s.State, tt.want)
			}
		})
	}
	if _, diags := config.LoadSettings(filepath.Join(t.TempDir(), "missing"), config.LoadOptions{}); !diags.HasErrors() {
		t.Error("a missing directory has settings")
	}
}
