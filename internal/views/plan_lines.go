package views

import (
	"fmt"
	"io"

	"github.com/syncline/syncline/planner"
)

// WritePlanLines writes a plan as one line per change, coloured by action,
// the way syncline up shows what it applies; a plan without changes is
// one line naming the state's serial.
func WritePlanLines(w io.Writer, c Color, p *planner.Plan) {
	if !p.HasChanges() {
		fmt.Fprintf(w, "  No changes: the state (serial %d) already matches the configuration.\n", p.Serial)
		return
	}
	for _, ch := range p.Changes {
		line := fmt.Sprintf("  %-3s %s", ch.Action.Symbol(), ch.Address)
		if ch.PreviousAddress != "" {
			line += " (was " + ch.PreviousAddress + ")"
		}
		fmt.Fprintln(w, c.Paint(line, actionColor(ch.Action)))
	}
}

// actionColor is the colour of a plan line: green to create, red to
// delete or replace, yellow otherwise.
func actionColor(a planner.Action) string {
	switch a {
	case planner.Create:
		return Green
	case planner.Delete, planner.Replace:
		return Red
	}
	return Yellow
}
