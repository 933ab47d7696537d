package views

import (
	"bytes"
	"strings"
	"testing"

	"github.com/syncline/syncline/state"
)

// TestUpSummaryInterrupted: a round Ctrl-C stopped says so in its title,
// lists the cancelled run and the tasks not started, and says what is
// kept.
func TestUpSummaryInterrupted(t *testing.T) {
	t.Parallel()
	var out bytes.Buffer
	cancelled := finishedImport()
	cancelled.State, cancelled.Error = state.RunCancelled, "cancelled: the process running it was stopped"
	NewUp(Streams{Stdout: &out}, Color{}).Summary(UpSummary{
		Serial: 1, RunsShow: "syncline runs show", Interrupted: true,
		Runs: []UpRun{
			{Task: "hr-import", Mode: "full", Run: cancelled},
			{Task: "app-reconcile", Mode: "preview", Skipped: "not started: up was interrupted"},
		}})
	for _, line := range []string{
		"\nSummary (interrupted)\n",
		"    run 3  task.hr-import      full     cancelled  1.5s  2 ok, 0 failed, 0 skipped — changed users 2 added — cancelled: the process running it was stopped\n",
		"    -      task.app-reconcile  preview  skipped    not started: up was interrupted\n",
		"What a run did: syncline runs show 3\n",
		"Interrupted: what the runs did before they stopped is kept; syncline up runs the tasks again.\n",
	} {
		if !strings.Contains(out.String(), line) {
			t.Errorf("summary lacks %q:\n%s", line, out.String())
		}
	}
}

// TestRunFinishedCancelled: a run Ctrl-C cancelled says it was cancelled,
// that what it did is kept, and how to see it.
func TestRunFinishedCancelled(t *testing.T) {
	t.Parallel()
	var out bytes.Buffer
	r := finishedImport()
	r.State, r.Error = state.RunCancelled, "cancelled: the process running it was stopped"
	NewRun(Streams{Stdout: &out}, Color{}, false, nil).Finished(*r)
	want := "\nRun 3 cancelled after 1.5s: 2 ok, 0 failed, 0 skipped.\nChanged users 2 added.\n" +
		"Cancelled: the process running it was stopped. What it did before it stopped is kept.\nDetails: syncline runs show 3\n"
	if out.String() != want {
		t.Errorf("got %q\nwant %q", out.String(), want)
	}
}
