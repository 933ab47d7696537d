package main

import (
	"context"
	"errors"
	"fmt"
	"os"
	"os/signal"
	"syscall"
	"time"

	"github.com/syncline/syncline/config"
	"github.com/syncline/syncline/engine/catalog"
	"github.com/syncline/syncline/engine/ops"
	"github.com/syncline/syncline/engine/runner"
	"github.com/syncline/syncline/engine/scheduler"
	"github.com/syncline/syncline/internal/views"
	"github.com/syncline/syncline/planner"
	"github.com/syncline/syncline/state"
	"github.com/urfave/cli/v3"
)

const upDescription = `For local work: brings the configuration in DIR (default: the current
directory) up in one step.

up applies the configuration to its state without asking (creating the
state when there is none), then runs every enabled task once, in the
foreground, in dependency order: a task with after runs once the tasks it
names have succeeded in this round, and is skipped when one of them did
not. Each task runs in its own mode (a preview task only previews). At the
end up prints what changed: definitions, users, accounts and the runs.

Running up again on unchanged files changes nothing: the apply finds no
changes and the tasks find every object unchanged.

With -watch, up keeps watching DIR's configuration files (*.hcl) and the
files its csv resources read; on every saved change it applies again and
re-runs the tasks the change concerns: tasks whose definition changed,
tasks using a resource whose definition or data changed, tasks whose
variables or locals changed, and the tasks that run after them. A file a
run writes itself does not start another round. Ctrl-C stops watching.

up is for a workstation; on a server, run syncline apply (or sync) and
syncline serve, which follow the schedules.

Exit status: 0 when every run succeeded or finished with item errors, 1
when the configuration does not load, the apply fails, or a run fails.`

func (a *app) upCommand() *cli.Command {
	return &cli.Command{
		Name:        "up",
		Usage:       "apply the configuration and run every enabled task once (local work)",
		UsageText:   "syncline up [options] [DIR]",
		Description: upDescription,
		Flags: append([]cli.Flag{
			stateFlag(),
			&cli.BoolFlag{Name: "watch", Usage: "keep watching DIR; apply and re-run what changed on every saved change"},
			&cli.BoolFlag{Name: "allow-destroy", Usage: "allow removing or replacing a resource that still has shadows"},
			&cli.DurationFlag{Name: "lock-timeout", Usage: "how long to wait for the state lock (e.g. 30s)"},
		}, variableFlags()...),
		Action: a.upAction,
	}
}

func (a *app) upAction(ctx context.Context, cmd *cli.Command) error {
	dir, err := dirArg(cmd)
	if err != nil {
		return err
	}
	if info, err := os.Stat(dir); err != nil || !info.IsDir() {
		return fmt.Errorf("up needs a configuration directory, and %q is not one", dir)
	}
	ctx, stop := signal.NotifyContext(ctx, os.Interrupt, syscall.SIGTERM)
	defer stop()
	round, err := a.upRound(ctx, dir, cmd, nil)
	if !cmd.Bool("watch") {
		if err != nil {
			return err
		}
		if round.failed() {
			return exitStatus(exitError)
		}
		return nil
	}
	if err != nil {
		a.reportRoundError(err)
	}
	return a.upWatch(ctx, dir, cmd, round)
}

// upRound is one apply and the runs that follow it. selected picks the
// tasks to run from the new fingerprints; nil runs every enabled task.
func (a *app) upRound(ctx context.Context, dir string, cmd *cli.Command, selected func(map[string]string) map[string]bool) (*upResult, error) {
	res := &upResult{dir: dir}
	lc, err := a.loadSourceStrict(ops.DirSource(dir), cmd.StringSlice("var"), cmd.StringSlice("var-file"))
	if err != nil {
		return res, err
	}
	res.cfg = lc.Config
	location := ops.StateLocation(cmd.String("state"), dir, lc.Config.Settings)
	if err := a.upApply(ctx, location, lc, cmd, res); err != nil {
		return res, err
	}
	st, err := state.Open(ctx, location, state.Options{})
	if err != nil {
		return res, err
	}
	defer st.Close()
	snap, err := st.Snapshot(ctx)
	if err != nil {
		return res, err
	}
	cat, err := catalog.Load(dir, a.loadOptions(cmd), snap)
	if err != nil {
		return res, err
	}
	res.fingerprints = taskFingerprints(cat.Config(), snap)
	run := map[string]bool(nil)
	if selected != nil {
		run = selected(res.fingerprints)
	}
	if err := a.upRuns(ctx, st, cat, run, res); err != nil {
		return res, err
	}
	// Fingerprints are taken again after the runs, so that a file a run
	// wrote itself (a csv resource it provisions to) is not a change.
	res.fingerprints = taskFingerprints(cat.Config(), snap)
	a.upSummary(res)
	return res, nil
}

// upApply plans the configuration against the state and applies it
// without asking, printing one line per change.
func (a *app) upApply(ctx context.Context, location string, lc *ops.Loaded, cmd *cli.Command, res *upResult) error {
	a.upView().Applying(lc.Config.Dir, location)
	applied, err := ops.PlanAndApply(ctx, lc, ops.ApplyOptions{Location: location, LockTimeout: cmd.Duration("lock-timeout"),
		AllowDestroy: cmd.Bool("allow-destroy")}, a.reporter(planLines{a}, nil))
	if err != nil {
		return err
	}
	res.plan = applied.Planned.Plan.Summary
	res.serial = applied.Serial
	return nil
}

// planLines shows the plan up applies as one line per change.
type planLines struct{ a *app }

func (planLines) Revision(*config.Revision) {}

func (v planLines) Plan(p *planner.Plan) error {
	views.WritePlanLines(v.a.stdout, v.a.color(v.a.stdout), p)
	return nil
}

// upRuns runs the enabled tasks in dependency order: all of them when
// selected is nil, else those selected.
func (a *app) upRuns(ctx context.Context, st *state.Store, cat *catalog.Catalog, selected map[string]bool, res *upResult) error {
	recovered, err := runner.RecoverDeadRuns(ctx, st, time.Now())
	if err != nil {
		return err
	}
	a.runView().Recovered(recovered)
	order := scheduler.Order(cat.Tasks(), selected)
	view := a.upView()
	if len(order) == 0 {
		view.NoTasks(selected != nil)
		return nil
	}
	names := make([]string, len(order))
	for i, t := range order {
		names[i] = "task." + t.Name
	}
	view.Order(names)
	outcome := map[string]*upRun{}
	for _, t := range order {
		if ctx.Err() != nil {
			return ctx.Err()
		}
		view.TaskStarting()
		r := a.upTask(ctx, st, cat, t, outcome)
		outcome[t.Name] = r
		res.runs = append(res.runs, r)
		if r.err != nil {
			view.TaskFailed(t.Name, r.err)
		}
	}
	return nil
}

// upTask runs t once, or says why it does not.
func (a *app) upTask(ctx context.Context, st *state.Store, cat *catalog.Catalog, t *config.Task, outcome map[string]*upRun) *upRun {
	r := &upRun{task: t.Name, mode: t.Mode}
	for _, ref := range t.After {
		if prior, ran := outcome[ref.Name]; ran && !prior.succeeded() {
			r.skipped = fmt.Sprintf("task.%s did not succeed, and this task runs after it", ref.Name)
			if prior.run != nil && prior.run.State == state.RunPartial {
				r.skipped = fmt.Sprintf("task.%s finished with item errors, and this task runs only after it succeeds", ref.Name)
			}
			a.upView().Skipped(t.Name, r.skipped+".")
			return r
		}
	}
	// A run of t may wait in the queue already: the one the after of a
	// task that just succeeded queued, say. That one runs.
	run := queuedRun(ctx, st, t.Name, t.Mode)
	if run == nil {
		queued, err := runner.EnqueueManual(ctx, st, cat, t.Name, "", state.OSUser())
		if err != nil {
			return a.notStarted(r, err)
		}
		run = queued
	}
	final, err := a.execute(ctx, st, cat, run, a.runView())
	if err != nil {
		r.err = err
		return r
	}
	r.run = final
	return r
}

// notStarted records why a task could not start: a suspended task or one
// already running elsewhere is skipped, anything else is an error.
func (a *app) notStarted(r *upRun, err error) *upRun {
	if errors.Is(err, runner.ErrTaskBusy) || errors.Is(err, catalog.ErrNotRunnable) {
		r.skipped = err.Error()
		a.upView().Skipped(r.task, err.Error())
		return r
	}
	r.err = err
	return r
}

// reportRoundError prints an error that ended a round under -watch, where
// watching goes on.
func (a *app) reportRoundError(err error) {
	if _, reported := err.(exitStatus); reported {
		return
	}
	fmt.Fprintf(a.stderr, "Error: %s\n", err)
}
