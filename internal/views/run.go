package views

import (
	"fmt"
	"strings"

	"github.com/syncline/syncline/engine/ops"
	"github.com/syncline/syncline/internal/clock"
	"github.com/syncline/syncline/state"
)

// Run is the view of syncline run (and of each run syncline up starts):
// runs recovered from a dead process, the run queued or started, its
// progress, and a summary when it ends.
type Run interface {
	// Recovered, AlreadyQueued, Queued, Started and Progress report what
	// ops.RunTask and ops.Execute do.
	ops.RunObserver
	// Finished shows how the run ended: state, duration, items, changes,
	// error, and how to see more.
	Finished(r state.Run)
	// In makes the commands the view suggests ("Details: syncline runs
	// show 7 DIR") read the state of the configuration in dir.
	In(dir string) Run
}

var _ Run = (*RunHuman)(nil)

// NewRun returns the text view of a run, painting with color; on a
// terminal its progress is a bar, elsewhere plain lines, at most one every
// ProgressLineInterval of clk between an activity's start and end.
func NewRun(s Streams, color Color, terminal bool, clk clock.Clock) Run {
	if clk == nil {
		clk = clock.Real{}
	}
	return &RunHuman{streams: s, color: color, terminal: terminal, clock: clk, runsShow: "syncline runs show %d"}
}

// In makes v's "Details:" line name the state of the configuration in
// dir ("." or "": the current directory's), where the command that ran
// the task found it.
func (v *RunHuman) In(dir string) Run {
	if dir != "" && dir != "." {
		v.runsShow = "syncline runs show %d " + ShellWord(dir)
	}
	return v
}

// RunHuman is the text view of a run.
type RunHuman struct {
	streams  Streams
	color    Color
	terminal bool
	clock    clock.Clock
	progress *progressView
	// runsShow is the command line that shows a run, with %d for its ID.
	runsShow string
}

// Recovered writes a line per recovered run: cancelled, or interrupted and
// resumed by a recovery run.
func (v *RunHuman) Recovered(runs []state.Run) {
	for _, r := range runs {
		if r.State == state.RunCancelled {
			fmt.Fprintf(v.streams.Stdout, "Run %d of task.%s is cancelled: a cancel was requested, and its process (%s) is gone.\n", r.ID, r.Task, r.ClaimedBy)
			continue
		}
		fmt.Fprintf(v.streams.Stdout, "Run %d of task.%s was interrupted: its process (%s) is gone. A recovery run resumes it.\n", r.ID, r.Task, r.ClaimedBy)
	}
}

// AlreadyQueued writes "task.X already had run N queued (TRIGGER); running
// it now."
func (v *RunHuman) AlreadyQueued(task string, queued state.Run) {
	fmt.Fprintf(v.streams.Stdout, "task.%s already had run %d queued (%s); running it now.\n", task, queued.ID, queued.Trigger)
}

// Queued writes that serve starts the run, and how to follow it.
func (v *RunHuman) Queued(r state.Run) {
	fmt.Fprintf(v.streams.Stdout, "Queued run %d of task.%s (%s); syncline serve starts it.\nFollow it with: syncline runs show %d\n",
		r.ID, r.Task, r.Mode, r.ID)
}

// Started writes "Run N of task.X (MODE mode, triggered by WHO)".
func (v *RunHuman) Started(r state.Run) {
	fmt.Fprintf(v.streams.Stdout, "Run %d of task.%s (%s mode, triggered by %s)\n", r.ID, r.Task, r.Mode, r.TriggeredBy)
	v.progress = newProgressView(v.streams.Stdout, v.terminal, v.clock)
}

// Progress shows the run's current activity.
func (v *RunHuman) Progress(r *state.Run) {
	if v.progress == nil {
		v.progress = newProgressView(v.streams.Stdout, v.terminal, v.clock)
	}
	v.progress.update(r)
}

// Finished writes the run's summary. A run stopped before its end
// (cancelled: Ctrl-C, syncline runs cancel; interrupted: serve stopped)
// says so instead of giving an error, and that what it did is kept.
func (v *RunHuman) Finished(r state.Run) {
	w, c := v.streams.Stdout, v.color
	word, in := string(r.State), "in"
	switch r.State {
	case state.RunSucceeded:
		word = c.Paint("succeeded", Bold, Green)
	case state.RunPartial:
		word = c.Paint("finished with item errors", Bold, Yellow)
	case state.RunCancelled, state.RunInterrupted:
		word, in = c.Paint(word, Bold, Yellow), "after"
	default:
		word = c.Paint(word, Bold, Red)
	}
	fmt.Fprintf(w, "\nRun %d %s %s %s: %s.\n", r.ID, word, in, RunDuration(r), ItemCounts(r.Activities))
	if what := changesMade(&r); what != "" {
		fmt.Fprintf(w, "%s\n", what)
	}
	switch {
	case r.State == state.RunCancelled || r.State == state.RunInterrupted:
		fmt.Fprintf(w, "%s. What it did before it stopped is kept.\n", stopReason(r))
	case r.Error != "":
		fmt.Fprintf(w, "Error: %s\n", r.Error)
	}
	fmt.Fprintf(w, "Details: "+v.runsShow+"\n", r.ID)
}

// stopReason is why a cancelled or interrupted run stopped, as a sentence
// without its full stop: "Cancelled: the process running it was stopped".
func stopReason(r state.Run) string {
	why := strings.TrimSuffix(r.Error, ".")
	if why == "" {
		why = string(r.State)
	}
	return strings.ToUpper(why[:1]) + why[1:]
}
