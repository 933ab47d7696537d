package views

import (
	"fmt"
	"io"
	"time"
)

// Watch is the view of syncline watch around the validation result and
// the plan of each round.
type Watch interface {
	// Watching says watch now follows dir.
	Watching(dir string)
	// RoundStarts separates a round from the previous, with the time it
	// starts.
	RoundStarts(t time.Time)
	// Planning separates the validation result from the plan.
	Planning()
}

var _ Watch = (*WatchHuman)(nil)

// NewWatch returns the text view of watch.
func NewWatch(s Streams) Watch { return &WatchHuman{streams: s} }

// WatchHuman is the text view of watch.
type WatchHuman struct{ streams Streams }

// Watching writes what watch does and how to stop it.
func (v *WatchHuman) Watching(dir string) {
	fmt.Fprintf(v.streams.Stdout, "Watching %s for changes to the configuration; press Ctrl-C to stop.\n", dir)
}

// RoundStarts writes the separator line with the time.
func (v *WatchHuman) RoundStarts(t time.Time) { writeRoundSeparator(v.streams.Stdout, t) }

// Planning writes a blank line.
func (v *WatchHuman) Planning() { fmt.Fprintln(v.streams.Stdout) }

// writeRoundSeparator writes a blank line and "──── 15:04:05 ────", the
// line that starts a round of watch and up -watch.
func writeRoundSeparator(w io.Writer, t time.Time) {
	fmt.Fprintf(w, "\n──── %s ────\n", t.Format("15:04:05"))
}
