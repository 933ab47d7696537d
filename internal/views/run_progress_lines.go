package views

import (
	"fmt"
	"io"
	"time"

	"github.com/syncline/syncline/state"
)

// progressLines are the progress lines of one activity when the output is
// not a terminal (a pipe, a log file, CI): at most one every
// ProgressLineInterval, with the objects done, the rate since the
// activity started and, when the total is known, the share done and the
// time left —
//
//	activity 2: import (import): 52000 of 200000 objects (26%), 5200/s, about 28s left
//
// Time is the view's clock's, so a test moves it with clock.Fake.
type progressLines struct {
	w       io.Writer
	index   int       // the activity's number in the run, from 1
	started time.Time // when the activity's start was shown
	last    time.Time // when the last line (or the start) was written
}

// show writes a line for act when the last one is ProgressLineInterval
// old or older at now.
func (l *progressLines) show(act state.ActivityResult, now time.Time) {
	if now.Sub(l.last) < ProgressLineInterval {
		return
	}
	l.last = now
	fmt.Fprintf(l.w, "activity %d: %s (%s)%s\n", l.index, act.Name, act.Type, progressWords(measureOf(act), now.Sub(l.started)))
}

// progressWords are ": 52000 of 200000 objects (26%), 5200/s, about 28s
// left" for m after elapsed; without a total, ": 52000 objects so far,
// 5200/s".
func progressWords(m measure, elapsed time.Duration) string {
	s := ": "
	if m.stage != "" {
		s = ", " + m.stage + ": "
	}
	if m.total < 0 {
		s += fmt.Sprintf("%d %s so far", m.done, plural(int(m.done), "object"))
	} else {
		s += fmt.Sprintf("%d of %d %s (%d%%)", m.done, m.total, plural(int(m.total), "object"), m.done*100/m.total)
	}
	if elapsed < time.Second || m.done == 0 {
		return s
	}
	rate := float64(m.done) / elapsed.Seconds()
	s += ", " + FormatRate(rate)
	if m.total >= 0 {
		s += ", about " + FormatLeft(time.Duration(float64(m.total-m.done)/rate*float64(time.Second))) + " left"
	}
	return s
}

// FormatRate is "5200/s", or "0.4/s" below ten a second: a rate as the
// progress lines (and the console's run page) say it.
func FormatRate(perSecond float64) string {
	if perSecond < 10 {
		return fmt.Sprintf("%.1f/s", perSecond)
	}
	return fmt.Sprintf("%.0f/s", perSecond)
}

// FormatLeft is a time left as a person reads it: "28s", "4m10s",
// "2h05m".
func FormatLeft(d time.Duration) string {
	switch d = d.Round(time.Second); {
	case d >= time.Hour:
		d = d.Round(time.Minute)
		return fmt.Sprintf("%dh%02dm", int(d.Hours()), int(d.Minutes())%60)
	case d >= time.Minute:
		return fmt.Sprintf("%dm%02ds", int(d.Minutes()), int(d.Seconds())%60)
	}
	return fmt.Sprintf("%ds", int(d.Seconds()))
}
