package config

import (
	"os"
	"path/filepath"
	"slices"
	"testing"
)

// TestRepeatedFiltersCheckedEach: a filter repeated word for word is
// checked once when it is clean, but every copy that is wrong is reported
// at its own line, and the same text where other roots are allowed (a
// recompute's filter reads user, not attributes) is checked there.
func TestRepeatedFiltersCheckedEach(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	task := func(name, activity, filter string) string {
		resource := ""
		if activity == "import" {
			resource = "resource = resource.hr\n    "
		}
		return `task "` + name + `" {
  activity "` + activity + `" {
    ` + resource + `filter = ` + filter + `
  }
}
`
	}
	src := `resource "hr" {
  connector = "csv"
  connection {
    path       = "hr.csv"
    identifier = "id"
  }
  object_type "account" {
    inbound { name = attributes.id }
  }
}
` + task("a", "import", `startswith(attributes.id, "e")`) + // filter at line 14
		task("b", "import", `startswith(attributes.id, "e")`) + // 20
		task("c", "import", `startswith(attributes.id)`) + // 26: wrong
		task("d", "import", `startswith(attributes.id)`) + // 32: wrong
		task("e", "recompute", `startswith(attributes.id, "e")`) // 37: no attributes here
	if err := os.WriteFile(filepath.Join(dir, "main.hcl"), []byte(src), 0o600); err != nil {
		t.Fatal(err)
	}
	_, diags := LoadDir(dir, LoadOptions{})
	var lines []int
	for _, d := range diags {
		if d.Subject != nil {
			lines = append(lines, d.Subject.Start.Line)
		}
	}
	slices.Sort(lines)
	lines = slices.Compact(lines)
	if !slices.Equal(lines, []int{26, 32, 37}) {
		t.Fatalf("errors at lines %v, want 26, 32 and 37:\n%s", lines, diagnosticLines(diags))
	}
}
