package views

import (
	"github.com/syncline/syncline/planner"

	"fmt"
	"io"
	"strings"
)

// TextOptions shape the human view.
type TextOptions struct {
	// Color adds ANSI colour; turn it on only when writing to a terminal
	// (ColorFor).
	Color Color
	// Compared names the two sides of a view that is not a plan against
	// the state, completing "Syncline compared …" (syncline diff: "main
	// (3f9c2e1) with feature (8a1d0b4)"). "" is a plan: "the configuration
	// with the stored definitions".
	Compared string
}

// NoChanges is the text plan's line for a plan without changes.
const NoChanges = "No changes. The stored definitions match the configuration."

// RenderText writes the plan for people, as Terraform does: a legend, each
// change as a block of attribute lines with next runs and notes, then the
// summary line and any errors.
func RenderText(w io.Writer, p *planner.Plan, opts TextOptions) error {
	t := &textView{color: opts.Color}
	switch {
	case !p.HasChanges() && opts.Compared != "":
		t.line("No changes. Syncline compared " + opts.Compared + ".")
	case !p.HasChanges():
		t.line(NoChanges)
	default:
		t.legend(p, opts.Compared)
		for _, c := range p.Changes {
			t.change(c)
		}
		t.line(t.color.Paint("Plan:", Bold) + " " + summaryLine(p.Summary) + ".")
	}
	t.impact(p.Impact)
	t.errors(p.Errors)
	t.drift(p.Drift)
	_, err := io.WriteString(w, t.b.String())
	return err
}

type textView struct {
	b     strings.Builder
	color Color
}

func (t *textView) line(s string) {
	t.b.WriteString(strings.TrimRight(s, " "))
	t.b.WriteByte('\n')
}

// legend explains the symbols the plan uses, in a fixed order.
func (t *textView) legend(p *planner.Plan, compared string) {
	used := map[planner.Action]bool{}
	for _, c := range p.Changes {
		used[c.Action] = true
	}
	if compared == "" {
		t.line("Syncline compared the configuration with the stored definitions. Actions are")
		t.line("shown with these symbols:")
	} else {
		t.line("Syncline compared " + compared + ".")
		t.line("Actions are shown with these symbols:")
	}
	words := []struct {
		a    planner.Action
		word string
	}{{planner.Create, "create"}, {planner.Update, "update in place"}, {planner.Delete, "destroy"},
		{planner.Replace, "destroy and then create replacement"}, {planner.MoveOnly, "move"}}
	for _, wd := range words {
		if used[wd.a] {
			t.line(fmt.Sprintf("%s%s %s", pad(wd.a.Symbol(), 3), t.color.Symbol(wd.a), wd.word))
		}
	}
	t.line("")
	if compared == "" {
		t.line("Syncline will perform the following actions:")
	} else {
		t.line("The definitions change as follows:")
	}
	t.line("")
}

func (t *textView) change(c planner.Change) {
	t.line("  " + t.color.Paint("# "+headline(c), Bold))
	t.line(fmt.Sprintf("%s%s %s {", pad(c.Action.Symbol(), 3), t.color.Symbol(c.Action), blockLabel(c)))
	t.attributes(c)
	if c.NextRuns != nil || len(c.Notes) > 0 {
		t.line("")
	}
	t.nextRuns(c)
	for _, n := range c.Notes {
		t.line("        " + t.color.Paint("# Note: "+n, Yellow))
	}
	t.line("    }")
	t.line("")
}

func (t *textView) attributes(c planner.Change) {
	shown := shownAttributes(c)
	widths := alignmentWidths(shown)
	for i, a := range shown {
		t.attribute(a, widths[i])
	}
	if n := unchangedCount(c); n > 0 {
		t.line(fmt.Sprintf("        # (%d unchanged %s hidden)", n, plural(n, "attribute")))
	}
}

func (t *textView) attribute(a planner.AttributeChange, width int) {
	lead := "      " + t.color.Symbol(a.Action) + " " + a.Path + strings.Repeat(" ", width-len(a.Path)) + " = "
	var value string
	switch a.Action {
	case planner.Create:
		value = a.After
	case planner.Delete:
		value = a.Before
	default:
		value = a.Before + " -> " + a.After
	}
	if a.ForcesReplace {
		value += " " + t.color.Paint("# forces replacement", Red)
	}
	indent := strings.Repeat(" ", 8+width+3)
	t.line(lead + strings.ReplaceAll(value, "\n", "\n"+indent))
}

// nextRuns shows fire times before and after the change; a created
// definition has no before.
func (t *textView) nextRuns(c planner.Change) {
	n := c.NextRuns
	if n == nil {
		return
	}
	t.line(fmt.Sprintf("        # Next runs (%s):", runsZone(n)))
	if c.Action != planner.Create {
		t.line("        #   before: " + formatRuns(n.Before))
	}
	t.line("        #   after:  " + formatRuns(n.After))
}

func (t *textView) errors(errs []string) {
	if len(errs) == 0 {
		return
	}
	t.line("")
	for _, e := range errs {
		t.line(t.color.Paint("Error:", Bold, Red) + " " + e)
		t.line("")
	}
	t.line("This plan cannot be applied until the errors above are resolved.")
}

// pad returns the spaces that right-align s in width columns.
func pad(s string, width int) string {
	if len(s) >= width {
		return ""
	}
	return strings.Repeat(" ", width-len(s))
}

func plural(n int, word string) string {
	if n == 1 {
		return word
	}
	return word + "s"
}

func (t *textView) drift(drift []planner.Drift) {
	if len(drift) == 0 {
		return
	}
	t.line("")
	t.line(t.color.Paint("Drift:", Bold) + " the running system differs from the configuration; apply does not change this.")
	for _, d := range drift {
		t.line("  ! " + d.Address + " is " + d.Message)
	}
}
