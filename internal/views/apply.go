package views

import (
	"fmt"

	"github.com/syncline/syncline/config"
	"github.com/syncline/syncline/planner"
	"github.com/syncline/syncline/state"
)

// Apply is the view of a command that carries a plan out — apply, and
// sync, which applies what it fetched: the plan it shows before, the
// question it asks, and what the apply did. It is text only; apply has
// no -format.
type Apply interface {
	// Revision and Plan show the plan about to be applied, as the text
	// plan view does.
	Revision(rev *config.Revision)
	Plan(p *planner.Plan) error
	// PlanFileRevision names the revision a saved plan was made from,
	// when apply PLANFILE reloads it.
	PlanFileRevision(rev *config.Revision)
	// AskApproval asks the user to type "yes".
	AskApproval()
	// Applied reports what the apply did.
	Applied(r Applied)
}

// Applied is what one apply did, for the view.
type Applied struct {
	// Summary is the plan's count of changes.
	Summary planner.Summary
	// Result is the state the apply left: lineage, serial, whether
	// anything changed.
	Result state.ApplyResult
	// Revision and Who are the commit and author recorded with the apply;
	// the revision is reported when it is set and the state changed.
	Revision string
	Who      string
}

var _ Apply = (*ApplyHuman)(nil)

// NewApply returns the apply view, painting with color.
func NewApply(s Streams, color Color) Apply {
	return &ApplyHuman{PlanHuman: PlanHuman{streams: s, color: color}}
}

// ApplyHuman is the text view of an apply.
type ApplyHuman struct {
	PlanHuman
}

// PlanFileRevision writes the revision line.
func (v *ApplyHuman) PlanFileRevision(rev *config.Revision) {
	fmt.Fprintf(v.streams.Stdout, "%s\n", RevisionLine(rev))
}

// AskApproval writes Terraform's question and leaves the cursor after it.
func (v *ApplyHuman) AskApproval() {
	fmt.Fprint(v.streams.Stdout, "\nDo you want to perform these actions?\n  Only 'yes' will be accepted to approve.\n\n  Enter a value: ")
}

// Applied writes "Apply complete! 1 added, 0 changed, 0 removed. State
// serial 2 (lineage …)." and the recorded revision.
func (v *ApplyHuman) Applied(r Applied) {
	lines := AppliedLines(r, v.color)
	fmt.Fprintf(v.streams.Stdout, "\n%s\n", lines[0])
	if len(lines) > 1 {
		fmt.Fprintf(v.streams.Stdout, "%s\n", lines[1])
	}
}

// AppliedLines are the lines that report an apply: "Apply complete! …"
// and, when the state changed, the recorded revision.
func AppliedLines(r Applied, color Color) []string {
	s := r.Summary
	line := fmt.Sprintf("%s %d added, %d changed, %d removed", color.Paint(ApplyComplete, Bold, Green), s.Add, s.Change, s.Remove)
	if s.Move > 0 {
		line += fmt.Sprintf(", %d moved", s.Move)
	}
	lines := []string{line + fmt.Sprintf(". State serial %d (lineage %s).", r.Result.Serial, r.Result.Lineage)}
	if r.Revision != "" && r.Result.Changed {
		lines = append(lines, fmt.Sprintf("Recorded revision %s by %s.", config.ShortCommit(r.Revision), r.Who))
	}
	return lines
}

// ApplyComplete opens the report of a finished apply.
const ApplyComplete = "Apply complete!"
