package views

import (
	"fmt"

	"github.com/syncline/syncline/planner"
)

// impact writes the identity impact section of the text view: what was
// evaluated, the counts per object type and for users, the thresholds
// exceeded, then the samples with values before → after.
func (t *textView) impact(imp *planner.Impact) {
	if imp == nil {
		return
	}
	t.line("")
	t.line(t.color.Paint("Identity impact", Bold) + " (" + evaluatedLine(imp) + "):")
	for _, n := range imp.Notes {
		t.line("  " + t.color.Paint("# Note: "+n, Yellow))
	}
	if imp.Truncated != "" {
		t.line("  " + t.color.Paint("# "+imp.Truncated, Yellow))
	}
	if imp.Totals.Total() == 0 && imp.Totals.Errors == 0 && imp.Totals.MembershipsTolerated == 0 {
		t.line("  No user or resource object would change.")
		return
	}
	if users := countsLine(imp.Totals, true); users != "" {
		line := "  users: " + users
		if len(imp.UserAttributes) > 0 {
			line += " (" + attributeCounts(imp.UserAttributes) + ")"
		}
		t.line(line)
	}
	for _, ty := range imp.Types {
		counts := countsLine(ty.Counts, false)
		if counts == "" {
			continue
		}
		line := "  " + typeLabel(ty) + ": " + counts
		if len(ty.Attributes) > 0 {
			line += " (" + attributeCounts(ty.Attributes) + ")"
		}
		t.line(line)
	}
	for _, x := range imp.Thresholds {
		t.line("  " + t.color.Paint("# Threshold: "+thresholdLine(x), Red))
	}
	t.impactSamples(imp)
}

func (t *textView) impactSamples(imp *planner.Impact) {
	kinds, by := sampleGroups(imp)
	for _, kind := range kinds {
		total, _ := imp.Totals.Count(kind)
		t.line("")
		t.line(fmt.Sprintf("  %s (%d of %d):", impactWords[kind].heading, len(by[kind]), total))
		for _, s := range by[kind] {
			line := "    " + sampleSubject(s)
			if d := sampleDetail(s); d != "" {
				line += " " + d
			}
			t.line(line)
			for _, a := range s.Attributes {
				t.line("        " + attributeLine(a))
			}
		}
	}
}
