package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// copyQuickstart copies examples/quickstart into a fresh directory.
func copyQuickstart(t *testing.T) string {
	t.Helper()
	dir := t.TempDir()
	src := filepath.Join("..", "..", "examples", "quickstart")
	err := filepath.WalkDir(src, func(path string, d os.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(src, path)
		if d.IsDir() {
			return os.MkdirAll(filepath.Join(dir, rel), 0o755)
		}
		data, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		return os.WriteFile(filepath.Join(dir, rel), data, 0o644)
	})
	if err != nil {
		t.Fatal(err)
	}
	return dir
}

// TestQuickstartValidates is the README's first command.
func TestQuickstartValidates(t *testing.T) {
	t.Parallel()
	res := runCLI(t, "", "validate", copyQuickstart(t))
	if res.code != 0 || !strings.Contains(res.stdout, "Success!") {
		t.Fatalf("exit %d\nstdout:\n%s\nstderr:\n%s", res.code, res.stdout, res.stderr)
	}
}

// TestQuickstartBroken breaks a copy of the quickstart the ways a newcomer
// would and checks each gives exit 1 and a diagnostic at the right place.
func TestQuickstartBroken(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name     string
		file     string
		old, new string
		wantAt   string // file:line,col
		wantText string
	}{
		{
			name: "misspelled attribute", file: "resources.hcl",
			old: `    path       = "data/hr.csv"`, new: `    pth        = "data/hr.csv"`,
			wantAt: "resources.hcl:6,5", wantText: `Did you mean "path"?`,
		},
		{
			name: "task naming an undefined resource", file: "tasks.hcl",
			old: "resource = resource.hr\n", new: "resource = resource.payroll\n",
			wantAt: "tasks.hcl:12,16", wantText: `There is no resource named "payroll"`,
		},
		{
			name: "two-task after cycle", file: "tasks.hcl",
			old: "  schedule    = schedule.nightly\n", new: "  after       = [task.app-reconcile]\n",
			wantAt: "tasks.hcl:4,18", wantText: "task.app-reconcile → task.hr-import → task.app-reconcile",
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			dir := copyQuickstart(t)
			src := readFile(t, filepath.Join(dir, tt.file))
			if !strings.Contains(src, tt.old) {
				t.Fatalf("%s no longer contains %q; update the test", tt.file, tt.old)
			}
			writeFiles(t, dir, map[string]string{tt.file: strings.Replace(src, tt.old, tt.new, 1)})
			res := runCLI(t, "", "validate", dir)
			if res.code != 1 {
				t.Fatalf("exit %d, want 1\nstderr:\n%s", res.code, res.stderr)
			}
			checkContains(t, "stderr", res.stderr, filepath.Join(dir, tt.wantAt), tt.wantText)
		})
	}
}

// TestExamplesAreFormatted keeps the examples in canonical format, since
// users copy from them.
func TestExamplesAreFormatted(t *testing.T) {
	t.Parallel()
	res := runCLI(t, "", "fmt", "-check", "-recursive", filepath.Join("..", "..", "examples"))
	if res.code != 0 {
		t.Fatalf("fmt -check exit %d; run syncline fmt -recursive examples\n%s%s", res.code, res.stdout, res.stderr)
	}
}
