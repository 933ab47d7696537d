package views

import (
	"github.com/syncline/syncline/planner"

	"strings"
	"time"
)

// diffLines renders a change's attributes and next runs as the body of a
// ```diff block: + for new values, - for old ones, # for comments.
func diffLines(c planner.Change) string {
	var b strings.Builder
	shown := shownAttributes(c)
	widths := alignmentWidths(shown)
	for i, a := range shown {
		writeDiffAttribute(&b, a, widths[i])
	}
	if len(shown) == 0 {
		b.WriteString("# no attribute changes\n")
	}
	if n := c.NextRuns; n != nil {
		b.WriteString("# next runs (" + runsZone(n) + ")\n")
		if c.Action != planner.Create {
			writeDiffRuns(&b, "-", n.Before)
		}
		writeDiffRuns(&b, "+", n.After)
	}
	return b.String()
}

func writeDiffAttribute(b *strings.Builder, a planner.AttributeChange, width int) {
	line := func(sign, value, suffix string) {
		lead := sign + " " + a.Path + strings.Repeat(" ", width-len(a.Path)) + " = "
		cont := "\n" + sign + strings.Repeat(" ", len(lead)-1)
		b.WriteString(lead + strings.ReplaceAll(value, "\n", cont) + suffix + "\n")
	}
	suffix := ""
	if a.ForcesReplace {
		suffix = " # forces replacement"
	}
	if a.Action != planner.Create {
		line("-", a.Before, "")
	}
	if a.Action != planner.Delete {
		line("+", a.After, suffix)
	}
}

// writeDiffRuns writes one line per fire time, or "(none)".
func writeDiffRuns(b *strings.Builder, sign string, times []time.Time) {
	if len(times) == 0 {
		b.WriteString(sign + " (none)\n")
		return
	}
	for _, t := range times {
		b.WriteString(sign + " " + t.Format(runTimeLayout) + "\n")
	}
}
