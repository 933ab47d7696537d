package ops

import (
	"github.com/hashicorp/hcl/v2"
	"github.com/syncline/syncline/config"
	"github.com/syncline/syncline/planner"
)

// Reporter is what a workflow tells a person while it runs, at the moment
// it matters: the diagnostics of loading, the plan before it is applied,
// the question before an apply. Results come back as data; a Reporter
// only shows what cannot wait for them.
type Reporter interface {
	// Diagnostics shows the diagnostics of loading a configuration.
	Diagnostics(files map[string]*hcl.File, diags hcl.Diagnostics)
	// Plan shows the plan about to be applied (or, under the plan_only
	// sync policy, the plan); rev is nil for a directory on disk.
	Plan(rev *config.Revision, p *planner.Plan) error
	// Confirm asks whether to apply; an error stops the workflow with
	// nothing applied.
	Confirm() error
	// Fetched reports a sync's target once it is known, before planning.
	Fetched(res *SyncResult)
	// Reloaded names the revision a saved plan's configuration was
	// reloaded from (ApplyPlanFile), before the plan is checked against it.
	Reloaded(rev *config.Revision)
}

// Quiet is a Reporter that shows nothing and confirms every apply; embed
// it to implement only some of Reporter's methods.
type Quiet struct{}

// Diagnostics does nothing.
func (Quiet) Diagnostics(map[string]*hcl.File, hcl.Diagnostics) {}

// Plan does nothing.
func (Quiet) Plan(*config.Revision, *planner.Plan) error { return nil }

// Confirm approves.
func (Quiet) Confirm() error { return nil }

// Fetched does nothing.
func (Quiet) Fetched(*SyncResult) {}

// Reloaded does nothing.
func (Quiet) Reloaded(*config.Revision) {}

var _ Reporter = Quiet{}
