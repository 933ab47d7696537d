package ops

import (
	"context"
	"strings"
	"testing"

	"github.com/syncline/syncline/planner"
	"github.com/syncline/syncline/state/statetest"
)

// TestDiffImpactNamesAPostgresStateWithoutItsPassword: diff -state with a
// PostgreSQL location that holds no state says so, and never shows the
// password.
func TestDiffImpactNamesAPostgresStateWithoutItsPassword(t *testing.T) {
	t.Parallel()
	location := statetest.Location(t) + "&password=S3cr3t-pw"
	err := DiffImpact(context.Background(), &DiffResult{Plan: &planner.Plan{}}, location, ImpactOptions{})
	if err == nil || !strings.Contains(err.Error(), "there is no state store there") || strings.Contains(err.Error(), "S3cr3t-pw") {
		t.Fatalf("DiffImpact on an empty schema: %v", err)
	}
}
