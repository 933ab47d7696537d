package plantest

import (
	"bytes"
	"os"
)

// GoldenTB is what CheckGolden needs of a *testing.T.
type GoldenTB interface {
	TB
	Errorf(format string, args ...any)
}

// CheckGolden compares got with the golden file at path, or rewrites the
// file when update is set (a test's -update flag). hint says how to
// create a missing file, such as "go test ./planner -run TestRenderJSONGolden -update".
func CheckGolden(t GoldenTB, path string, got []byte, update bool, hint string) {
	t.Helper()
	if update {
		if err := os.WriteFile(path, got, 0o644); err != nil {
			t.Fatalf("%v", err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run %s to create it)", err, hint)
	}
	if !bytes.Equal(got, want) {
		t.Errorf("%s differs from the output; run with -update and review the diff.\n--- got ---\n%s", path, got)
	}
}
