package views

import (
	"fmt"

	"github.com/syncline/syncline/config"
	"github.com/syncline/syncline/planner"
)

// Plan is how plan, show PLANFILE, diff, apply, sync and watch show a plan
// and what a command says around it. A command picks one with NewPlan
// from its -format flag and renders through it; what a view does not show
// (a revision line in JSON) it leaves out.
type Plan interface {
	// Revision names the git revision the plan was made from, above the
	// plan.
	Revision(rev *config.Revision)
	// Plan renders a plan of the configuration against the state.
	Plan(p *planner.Plan) error
	// Diff renders p as the difference between two revisions rather than
	// a plan against the state (syncline diff).
	Diff(p *planner.Plan, base, head DiffSide) error
	// StoreInitialized says plan -out created the state store at path, so
	// that the saved plan could be authenticated.
	StoreInitialized(path, lineage string)
	// Saved says where plan -out saved the plan and how to apply it.
	Saved(path string)
}

// DiffSide is one revision syncline diff compares.
type DiffSide struct {
	Ref   string // as the user named it: main, HEAD~1
	Short string // the short commit
	Empty bool   // the revision holds no configuration
}

// PlanOptions shape a plan view beyond its type.
type PlanOptions struct {
	// Color paints the text view (ColorFor).
	Color Color
}

// NewPlan returns the plan view of type t.
func NewPlan(t ViewType, s Streams, opts PlanOptions) Plan {
	switch t {
	case JSON:
		return &PlanJSON{streams: s}
	case Markdown:
		return &PlanMarkdown{streams: s}
	}
	return &PlanHuman{streams: s, color: opts.Color}
}

var (
	_ Plan = (*PlanHuman)(nil)
	_ Plan = (*PlanJSON)(nil)
	_ Plan = (*PlanMarkdown)(nil)
)

// PlanHuman is the text view, for a terminal.
type PlanHuman struct {
	streams Streams
	color   Color
}

// Revision writes the revision line and a blank line.
func (v *PlanHuman) Revision(rev *config.Revision) {
	fmt.Fprintf(v.streams.Stdout, "%s\n\n", RevisionLine(rev))
}

// Plan writes the text view of p.
func (v *PlanHuman) Plan(p *planner.Plan) error {
	return RenderText(v.streams.Stdout, p, TextOptions{Color: v.color})
}

// Diff writes the text view of p, worded as a comparison: "Syncline
// compared main (3f9c2e1) with feature (8a1d0b4)".
func (v *PlanHuman) Diff(p *planner.Plan, base, head DiffSide) error {
	return RenderText(v.streams.Stdout, p, TextOptions{
		Color:    v.color,
		Compared: base.label() + " with " + head.label(),
	})
}

// StoreInitialized writes on stdout, where the plan follows.
func (v *PlanHuman) StoreInitialized(path, lineage string) {
	fmt.Fprint(v.streams.Stdout, storeInitializedLine(path, lineage))
}

// Saved writes how to apply the saved plan.
func (v *PlanHuman) Saved(path string) {
	fmt.Fprintf(v.streams.Stdout, "\nSaved the plan to %s. To apply exactly this plan, run:\n  syncline apply %s\n", path, path)
}

// PlanJSON writes the plan's JSON encoding and nothing else on stdout.
type PlanJSON struct {
	streams Streams
}

// Revision writes nothing: the JSON carries the revision.
func (v *PlanJSON) Revision(*config.Revision) {}

// Plan writes p's JSON encoding.
func (v *PlanJSON) Plan(p *planner.Plan) error { return planner.RenderJSON(v.streams.Stdout, p) }

// Diff writes p's JSON encoding: "revision" is head's commit, "prior"
// base's definitions.
func (v *PlanJSON) Diff(p *planner.Plan, _, _ DiffSide) error {
	return planner.RenderJSON(v.streams.Stdout, p)
}

// StoreInitialized writes on stderr, keeping stdout to the plan.
func (v *PlanJSON) StoreInitialized(path, lineage string) {
	fmt.Fprint(v.streams.Stderr, storeInitializedLine(path, lineage))
}

// Saved writes nothing.
func (v *PlanJSON) Saved(string) {}

// PlanMarkdown writes a pull-request comment, cut to GitHubCommentLimit.
type PlanMarkdown struct {
	streams Streams
}

// Revision writes nothing: the comment names the revision under its
// title.
func (v *PlanMarkdown) Revision(*config.Revision) {}

// Plan writes the Markdown view of p.
func (v *PlanMarkdown) Plan(p *planner.Plan) error {
	return RenderMarkdownWith(v.streams.Stdout, p, MarkdownOptions{MaxLength: GitHubCommentLimit})
}

// Diff writes the Markdown view of p titled "Syncline diff BASE..HEAD",
// naming both revisions under the title.
func (v *PlanMarkdown) Diff(p *planner.Plan, base, head DiffSide) error {
	return RenderMarkdownWith(v.streams.Stdout, p, MarkdownOptions{
		Title:     "Syncline diff " + escapeMarkdownText(base.Ref+".."+head.Ref),
		Context:   diffContext(p, base, head),
		MaxLength: GitHubCommentLimit,
	})
}

// StoreInitialized writes on stderr, keeping stdout to the comment.
func (v *PlanMarkdown) StoreInitialized(path, lineage string) {
	fmt.Fprint(v.streams.Stderr, storeInitializedLine(path, lineage))
}

// Saved writes nothing.
func (v *PlanMarkdown) Saved(string) {}

func storeInitializedLine(path, lineage string) string {
	return fmt.Sprintf("Initialized the state store %s (lineage %s), so that the saved plan can be authenticated.\n\n", path, lineage)
}
