package views

import (
	"bytes"
	"strings"
	"testing"
	"time"

	"github.com/syncline/syncline/planner"
	"github.com/syncline/syncline/state"
)

func TestRunsViewsEmpty(t *testing.T) {
	t.Parallel()
	for _, tt := range []struct {
		vt         ViewType
		task, want string
	}{
		{Text, "", "No runs yet. Start one with: syncline run TASK\n"},
		{Text, "hr-import", "No runs of task.hr-import yet. Start one with: syncline run hr-import\n"},
		{JSON, "", "[]\n"},
		{JSON, "hr-import", "[]\n"},
	} {
		var out bytes.Buffer
		if err := NewRuns(tt.vt, Streams{Stdout: &out}, nil).List(nil, tt.task); err != nil {
			t.Fatal(err)
		}
		if out.String() != tt.want {
			t.Errorf("%s %q: %q, want %q", tt.vt, tt.task, out.String(), tt.want)
		}
	}
}

func finishedImport() *state.Run {
	start := time.Date(2025, 3, 14, 2, 0, 0, 0, time.UTC)
	return &state.Run{ID: 3, Task: "hr-import", Mode: "full", State: state.RunSucceeded,
		StartedAt: start, FinishedAt: start.Add(1500 * time.Millisecond),
		Activities: []state.ActivityResult{{Name: "import", Type: "import", Success: 2,
			Statistics: map[string]int64{"users.add": 2}}}}
}

func TestRunFinished(t *testing.T) {
	t.Parallel()
	var out bytes.Buffer
	NewRun(Streams{Stdout: &out}, Color{}, false, nil).Finished(*finishedImport())
	want := "\nRun 3 succeeded in 1.5s: 2 ok, 0 failed, 0 skipped.\nChanged users 2 added.\nDetails: syncline runs show 3\n"
	if out.String() != want {
		t.Errorf("got %q\nwant %q", out.String(), want)
	}
}

func TestUpSummary(t *testing.T) {
	t.Parallel()
	var out bytes.Buffer
	NewUp(Streams{Stdout: &out}, Color{}).Summary(UpSummary{
		Plan: planner.Summary{Add: 1}, Serial: 2, RunsShow: "syncline runs show",
		Runs: []UpRun{
			{Task: "hr-import", Mode: "full", Run: finishedImport()},
			{Task: "report", Mode: "full", Skipped: "task.hr-import did not succeed"},
		}})
	for _, line := range []string{
		"  definitions:  1 added, 0 changed, 0 removed (state serial 2)\n",
		"  users:        2 added\n",
		"  accounts:     no changes\n",
		"    run 3  task.hr-import  full  succeeded  1.5s  2 ok, 0 failed, 0 skipped — changed users 2 added\n",
		"    -      task.report     full  skipped    task.hr-import did not succeed\n",
		"What a run did: syncline runs show 3\n",
	} {
		if !strings.Contains(out.String(), line) {
			t.Errorf("summary lacks %q:\n%s", line, out.String())
		}
	}
}
