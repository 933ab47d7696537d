package views

import (
	"github.com/syncline/syncline/planner"

	"fmt"
	"strings"
	"time"
)

// headline says what happens to a change's address, for the text and
// Markdown views: "task.x will be created", "task.b will be moved from
// task.a and updated in place".
func headline(c planner.Change) string {
	verb := map[planner.Action]string{
		planner.Create:   "will be created",
		planner.Update:   "will be updated in place",
		planner.Delete:   "will be destroyed",
		planner.Replace:  "will be replaced",
		planner.MoveOnly: "will be moved",
	}[c.Action]
	if c.PreviousAddress == "" {
		return c.Address + " " + verb
	}
	moved := c.Address + " will be moved from " + c.PreviousAddress
	switch c.Action {
	case planner.Update:
		return moved + " and updated in place"
	case planner.Replace:
		return moved + " and replaced"
	}
	return moved
}

// summaryLine is "N to add, N to change, N to remove" with ", N to move"
// when something moves.
func summaryLine(s planner.Summary) string {
	line := fmt.Sprintf("%d to add, %d to change, %d to remove", s.Add, s.Change, s.Remove)
	if s.Move > 0 {
		line += fmt.Sprintf(", %d to move", s.Move)
	}
	return line
}

// runTimeLayout shows a fire time with its weekday and UTC offset, which
// stays correct after the plan is read back from JSON.
const runTimeLayout = "Mon 2006-01-02 15:04 -07:00"

func formatRuns(times []time.Time) string {
	if len(times) == 0 {
		return "(none)"
	}
	parts := make([]string, len(times))
	for i, t := range times {
		parts[i] = t.Format(runTimeLayout)
	}
	return strings.Join(parts, ", ")
}

func runsZone(n *planner.NextRuns) string {
	if n.Timezone == "" {
		return "UTC"
	}
	return n.Timezone
}

// unchangedCount is how many attributes a change leaves as they are, or -1
// when the plan does not carry the specs.
func unchangedCount(c planner.Change) int {
	if c.Before == nil || c.After == nil {
		return -1
	}
	n := 0
	for p, a := range c.After.Spec {
		if b, ok := c.Before.Spec[p]; ok && a == b {
			n++
		}
	}
	return n
}

// shownAttributes are the attribute changes a view lists: all but those
// that only appear or disappear as null (an unset optional setting), which
// say nothing to a reader.
func shownAttributes(c planner.Change) []planner.AttributeChange {
	out := make([]planner.AttributeChange, 0, len(c.Attributes))
	for _, a := range c.Attributes {
		if (a.Action == planner.Create && a.After == planner.Null) || (a.Action == planner.Delete && a.Before == planner.Null) {
			continue
		}
		out = append(out, a)
	}
	return out
}

// blockLabel is how a definition opens in the text view: task "x".
func blockLabel(c planner.Change) string {
	return fmt.Sprintf("%s %s", c.Kind, planner.Quote(c.Name))
}

// alignmentWidths returns, for each attribute, the width its path is padded
// to: the longest path among the consecutive attributes of the same block
// (the same path up to the last dot), as Terraform aligns within a block.
func alignmentWidths(attrs []planner.AttributeChange) []int {
	widths := make([]int, len(attrs))
	for start := 0; start < len(attrs); {
		end, width := start, 0
		for end < len(attrs) && parentPath(attrs[end].Path) == parentPath(attrs[start].Path) {
			width = max(width, len(attrs[end].Path))
			end++
		}
		for i := start; i < end; i++ {
			widths[i] = width
		}
		start = end
	}
	return widths
}

// parentPath is a path up to its last dot: "activity[0].thresholds" for
// "activity[0].thresholds.max_deletions", "" for a top-level attribute.
func parentPath(path string) string {
	if i := strings.LastIndexByte(path, '.'); i >= 0 {
		return path[:i]
	}
	return ""
}
