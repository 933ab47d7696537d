// Package exampletest is what the tests of examples/ share: the syncline
// binary built as a user builds it, and a copy of an example's files to run
// it on. Only tests import it.
package exampletest

import (
	"os"
	"os/exec"
	"path/filepath"
	"testing"
)

// Build builds the syncline binary into a temporary directory and returns
// its path.
func Build(t testing.TB) string {
	t.Helper()
	bin := filepath.Join(t.TempDir(), "syncline")
	out, err := exec.Command("go", "build", "-o", bin, "github.com/syncline/syncline/cmd/syncline").CombinedOutput()
	if err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	return bin
}

// Copy copies files (paths relative to the test's directory, the
// example's) into a new temporary directory and returns it: the example's
// configuration and data, not its state.
func Copy(t testing.TB, files ...string) string {
	t.Helper()
	dir := t.TempDir()
	for _, name := range files {
		data, err := os.ReadFile(name)
		if err != nil {
			t.Fatal(err)
		}
		if err := os.MkdirAll(filepath.Join(dir, filepath.Dir(name)), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(dir, name), data, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return dir
}
