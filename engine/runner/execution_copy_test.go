package runner

import (
	"testing"

	"github.com/syncline/syncline/state"
)

// TestCopyLockedCopiesStages: the copy a progress write encodes shares
// nothing the activity goes on writing — a stage's counts and statistics
// included (a race seen when a bucketed reconciliation merged a bucket's
// counts into its stage while the monitor saved the progress).
func TestCopyLockedCopiesStages(t *testing.T) {
	t.Parallel()
	ex := &execution{run: state.Run{Activities: []state.ActivityResult{{
		Statistics: map[string]int64{"unchanged": 1},
		Stages:     []state.StageResult{{Name: "resource_objects", Success: 1, Statistics: map[string]int64{"unchanged": 1}}},
	}}}}
	ex.mu.Lock()
	run := ex.copyLocked()
	ex.mu.Unlock()
	a := &ex.run.Activities[0]
	a.Statistics["unchanged"]++
	a.Stages[0].Success++
	a.Stages[0].Statistics["unchanged"]++
	got := run.Activities[0]
	if got.Statistics["unchanged"] != 1 || got.Stages[0].Success != 1 || got.Stages[0].Statistics["unchanged"] != 1 {
		t.Errorf("the copy changed with the run: %+v", got)
	}
}
