package views

import (
	"fmt"
	"io"
	"time"

	"github.com/schollz/progressbar/v3"
	"github.com/syncline/syncline/state"
)

// progressBar is the progress of one activity on a terminal: its name
// (once: "import", not "import (import)"), and, as it runs, the objects
// done of the total when known with the share, rate and time left, or the
// objects done and the rate while the total is unknown. It draws only
// when told to: no goroutine of its own redraws it.
type progressBar struct {
	bar   *progressbar.ProgressBar
	label string // shown before the bar
	total int64  // the bar's maximum; -1 while unknown
}

func newProgressBar(w io.Writer, act state.ActivityResult) *progressBar {
	m := measureOf(act)
	b := &progressBar{label: barLabel(act, m), total: m.total}
	b.bar = progressbar.NewOptions64(m.total,
		progressbar.OptionSetWriter(w),
		progressbar.OptionSetDescription(b.label),
		progressbar.OptionShowCount(),
		progressbar.OptionShowIts(),
		progressbar.OptionSetItsString("objects"),
		progressbar.OptionSetPredictTime(true),
		progressbar.OptionSetSpinnerChangeInterval(0),
		progressbar.OptionThrottle(100*time.Millisecond),
		progressbar.OptionOnCompletion(func() { fmt.Fprintln(w) }),
	)
	return b
}

// activityLabel names an activity once: "import" for the activity whose
// name is its type, "hr (import)" otherwise.
func activityLabel(act state.ActivityResult) string {
	if act.Name == act.Type || act.Name == "" {
		return act.Type
	}
	return act.Name + " (" + act.Type + ")"
}

// barLabel is the activity's label, with the stage that runs.
func barLabel(act state.ActivityResult, m measure) string {
	if m.stage == "" {
		return activityLabel(act)
	}
	return activityLabel(act) + ": " + m.stage
}

// show draws act's progress: a new stage, a total that became known (or
// was passed, and so is no longer shown), the objects done.
func (b *progressBar) show(act state.ActivityResult) {
	m := measureOf(act)
	if label := barLabel(act, m); label != b.label {
		b.label = label
		b.bar.Describe(label)
	}
	if m.total != b.total {
		b.total = m.total
		b.bar.ChangeMax64(m.total)
	}
	_ = b.bar.Set64(m.done)
}

// finish draws how act ended. A completed activity's bar ends full at the
// objects it did (an estimated total gives way to the count); a cancelled
// or failed one stays where it stopped.
func (b *progressBar) finish(act state.ActivityResult) {
	m := measureOf(act)
	if label := activityLabel(act); label != b.label {
		b.bar.Describe(label)
	}
	if act.State != state.RunSucceeded && act.State != state.RunPartial {
		_ = b.bar.Set64(m.done)
		_ = b.bar.Exit()
		return
	}
	b.bar.ChangeMax64(m.done)
	_ = b.bar.Finish()
}
