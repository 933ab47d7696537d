package main

import (
	"errors"

	"github.com/hashicorp/hcl/v2"
	"github.com/syncline/syncline/config"
	"github.com/syncline/syncline/engine/ops"
	"github.com/syncline/syncline/internal/views"
	"github.com/syncline/syncline/planner"
)

// viewReporter shows what a workflow reports while it runs: diagnostics
// as the diagnostics view does, the plan through a plan view, the
// question through confirm (nil approves), a force-push through a sync
// view.
type viewReporter struct {
	a       *app
	plan    func(rev *config.Revision, p *planner.Plan) error
	confirm func() error
	sync    views.Sync
	// reloaded names the revision apply PLANFILE reloaded.
	reloaded func(rev *config.Revision)
}

// planShower is the part of the plan views a workflow's plan goes to.
type planShower interface {
	Revision(rev *config.Revision)
	Plan(p *planner.Plan) error
}

// reporter reports through view (nil: diagnostics only) and asks with
// confirm (nil approves).
func (a *app) reporter(view planShower, confirm func() error) ops.Reporter {
	r := &viewReporter{a: a, confirm: confirm}
	if view != nil {
		r.plan = func(rev *config.Revision, p *planner.Plan) error {
			if rev != nil {
				view.Revision(rev)
			}
			return view.Plan(p)
		}
	}
	if s, ok := view.(views.Sync); ok {
		r.sync = s
	}
	if v, ok := view.(views.Apply); ok {
		r.reloaded = v.PlanFileRevision
	}
	return r
}

func (r *viewReporter) Diagnostics(files map[string]*hcl.File, diags hcl.Diagnostics) {
	r.a.showDiagnostics(files, diags)
}

func (r *viewReporter) Plan(rev *config.Revision, p *planner.Plan) error {
	if r.plan == nil {
		return nil
	}
	return r.plan(rev, p)
}

func (r *viewReporter) Confirm() error {
	if r.confirm == nil {
		return nil
	}
	return r.confirm()
}

func (r *viewReporter) Fetched(res *ops.SyncResult) {
	if r.sync != nil && res.Forced != "" {
		r.sync.ForcePush(res.Forced, res.Commit)
	}
}

func (r *viewReporter) Reloaded(rev *config.Revision) {
	if r.reloaded != nil {
		r.reloaded(rev)
	}
}

// reported is err for the command: a configuration or plan error whose
// diagnostics or plan were shown only ends the command (exit status 1).
func (a *app) reported(err error) error {
	var cfgErr *ops.ConfigError
	var planErr *ops.PlanError
	if errors.As(err, &cfgErr) || errors.As(err, &planErr) {
		return exitStatus(exitError)
	}
	return err
}
