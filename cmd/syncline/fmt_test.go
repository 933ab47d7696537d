package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

const (
	unformatted = "resource \"hr\" {\nconnector=\"csv\"\n  description = \"HR\"\n}\n"
	formatted   = "resource \"hr\" {\n  connector   = \"csv\"\n  description = \"HR\"\n}\n"
)

func TestFmt(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name       string
		files      map[string]string
		args       []string // "DIR" is replaced by the temporary directory
		wantCode   int
		wantStdout []string
		wantFiles  map[string]string // contents after the run
	}{
		{
			name:       "rewrites and lists changed files",
			files:      map[string]string{"a.hcl": unformatted, "b.hcl": formatted, "notes.txt": unformatted},
			args:       []string{"DIR"},
			wantStdout: []string{filepath.Join("DIR", "a.hcl") + "\n"},
			wantFiles:  map[string]string{"a.hcl": formatted, "b.hcl": formatted, "notes.txt": unformatted},
		},
		{
			name:       "check writes nothing and exits 3",
			files:      map[string]string{"a.hcl": unformatted},
			args:       []string{"-check", "DIR"},
			wantCode:   3,
			wantStdout: []string{filepath.Join("DIR", "a.hcl")},
			wantFiles:  map[string]string{"a.hcl": unformatted},
		},
		{
			name:      "check on formatted files exits 0",
			files:     map[string]string{"a.hcl": formatted},
			args:      []string{"DIR", "-check"},
			wantFiles: map[string]string{"a.hcl": formatted},
		},
		{
			name:  "diff",
			files: map[string]string{"a.hcl": unformatted},
			args:  []string{"-diff", "-check", "DIR"},
			wantStdout: []string{
				"--- old/",
				"/a.hcl\n+++ new/",
				"@@ -1,4 +1,4 @@\n resource \"hr\" {\n-connector=\"csv\"\n+  connector   = \"csv\"\n   description = \"HR\"\n }\n",
			},
			wantCode:  3,
			wantFiles: map[string]string{"a.hcl": unformatted},
		},
		{
			name:       "not recursive by default",
			files:      map[string]string{"sub/a.hcl": unformatted},
			args:       []string{"DIR"},
			wantFiles:  map[string]string{"sub/a.hcl": unformatted},
			wantStdout: nil,
		},
		{
			name:       "recursive skips hidden directories",
			files:      map[string]string{"sub/deep/a.hcl": unformatted, ".git/x.hcl": unformatted, ".syncline/y.hcl": unformatted},
			args:       []string{"-recursive", "DIR"},
			wantStdout: []string{filepath.Join("DIR", "sub", "deep", "a.hcl")},
			wantFiles:  map[string]string{"sub/deep/a.hcl": formatted, ".git/x.hcl": unformatted, ".syncline/y.hcl": unformatted},
		},
		{
			name:      "list=false prints nothing",
			files:     map[string]string{"a.hcl": unformatted},
			args:      []string{"-list=false", "DIR"},
			wantFiles: map[string]string{"a.hcl": formatted},
		},
		{
			name:       "file argument",
			files:      map[string]string{"a.hcl": unformatted, "b.hcl": unformatted},
			args:       []string{filepath.Join("DIR", "b.hcl")},
			wantStdout: []string{"b.hcl"},
			wantFiles:  map[string]string{"a.hcl": unformatted, "b.hcl": formatted},
		},
		{
			name:       "variable files are formatted too",
			files:      map[string]string{"prod.vars.hcl": "ldap_password=\"x\"\n"},
			args:       []string{"DIR"},
			wantStdout: []string{"prod.vars.hcl"},
			wantFiles:  map[string]string{"prod.vars.hcl": "ldap_password = \"x\"\n"},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			dir := t.TempDir()
			writeFiles(t, dir, tt.files)
			res := runCLI(t, "", append([]string{"fmt"}, replaceDir(tt.args, dir)...)...)
			if res.code != tt.wantCode {
				t.Fatalf("exit code %d, want %d; stderr:\n%s", res.code, tt.wantCode, res.stderr)
			}
			if len(tt.wantStdout) == 0 && res.stdout != "" {
				t.Errorf("stdout should be empty, got:\n%s", res.stdout)
			}
			checkContains(t, "stdout", res.stdout, replaceDir(tt.wantStdout, dir)...)
			for name, want := range tt.wantFiles {
				if got := readFile(t, filepath.Join(dir, name)); got != want {
					t.Errorf("%s after fmt:\n%s\nwant:\n%s", name, got, want)
				}
			}
		})
	}
}

// replaceDir replaces "DIR" in each string with dir.
func replaceDir(ss []string, dir string) []string {
	out := make([]string, len(ss))
	for i, s := range ss {
		out[i] = strings.ReplaceAll(s, "DIR", dir)
	}
	return out
}

func TestFmtStdin(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name       string
		args       []string
		stdin      string
		wantCode   int
		wantStdout string
	}{
		{"formats to stdout", []string{"-"}, unformatted, 0, formatted},
		{"already formatted", []string{"-"}, formatted, 0, formatted},
		{"check sets exit status", []string{"-check", "-"}, unformatted, 3, formatted},
		{"diff", []string{"-diff", "-"}, "a=1\n", 0, "--- old/<stdin>\n+++ new/<stdin>\n@@ -1 +1 @@\n-a=1\n+a = 1\n"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			res := runCLI(t, tt.stdin, append([]string{"fmt"}, tt.args...)...)
			if res.code != tt.wantCode {
				t.Fatalf("exit code %d, want %d; stderr:\n%s", res.code, tt.wantCode, res.stderr)
			}
			if res.stdout != tt.wantStdout {
				t.Errorf("stdout:\n%q\nwant:\n%q", res.stdout, tt.wantStdout)
			}
		})
	}
}

func TestFmtSyntaxError(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name       string
		args       []string
		stdin      string
		wantStderr []string
	}{
		{"file", []string{"DIR"}, "", []string{"Error: Unclosed configuration block", "on " + filepath.Join("DIR", "bad.hcl") + ":1,14:", "    1 | resource \"x\" {\n"}},
		{"check", []string{"-check", "DIR"}, "", []string{filepath.Join("DIR", "bad.hcl") + ":1,14:"}},
		{"stdin", []string{"-"}, "a = \n", []string{"Error: Invalid expression", "on <stdin>:1,5:"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			dir := t.TempDir()
			writeFiles(t, dir, map[string]string{"bad.hcl": "resource \"x\" {\n", "good.hcl": unformatted})
			res := runCLI(t, tt.stdin, append([]string{"fmt"}, replaceDir(tt.args, dir)...)...)
			if res.code != 1 {
				t.Fatalf("exit code %d, want 1; stderr:\n%s", res.code, res.stderr)
			}
			checkContains(t, "stderr", res.stderr, replaceDir(tt.wantStderr, dir)...)
			if got := readFile(t, filepath.Join(dir, "bad.hcl")); got != "resource \"x\" {\n" {
				t.Errorf("bad.hcl was changed to:\n%s", got)
			}
		})
	}
}

func TestFmtBadArguments(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	writeFiles(t, dir, map[string]string{"notes.txt": "x"})
	tests := []struct {
		name       string
		arg        string
		wantStderr string
	}{
		{"missing path", filepath.Join(dir, "missing"), "Error: no file or directory"},
		{"not an hcl file", filepath.Join(dir, "notes.txt"), "Error: only .hcl files can be formatted"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			res := runCLI(t, "", "fmt", tt.arg)
			if res.code != 1 {
				t.Fatalf("exit code %d, want 1", res.code)
			}
			checkContains(t, "stderr", res.stderr, tt.wantStderr)
		})
	}
}

func TestFmtKeepsPermissionsAndLinks(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	writeFiles(t, dir, map[string]string{"real/a.hcl": unformatted})
	real := filepath.Join(dir, "real", "a.hcl")
	if err := os.Chmod(real, 0o600); err != nil {
		t.Fatal(err)
	}
	link := filepath.Join(dir, "link.hcl")
	if err := os.Symlink(real, link); err != nil {
		t.Skip("symbolic links not supported:", err)
	}
	if res := runCLI(t, "", "fmt", link); res.code != 0 {
		t.Fatalf("exit code %d; stderr:\n%s", res.code, res.stderr)
	}
	if got := readFile(t, real); got != formatted {
		t.Errorf("target not formatted:\n%s", got)
	}
	info, err := os.Lstat(link)
	if err != nil || info.Mode()&os.ModeSymlink == 0 {
		t.Errorf("link.hcl is no longer a symbolic link (err %v)", err)
	}
	if info, err := os.Stat(real); err != nil || info.Mode().Perm() != 0o600 {
		t.Errorf("permissions not kept: %v (err %v)", info.Mode().Perm(), err)
	}
	entries, _ := os.ReadDir(filepath.Join(dir, "real"))
	if len(entries) != 1 {
		t.Errorf("temporary files left behind: %v", entries)
	}
}
