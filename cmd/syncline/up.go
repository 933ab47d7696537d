package main

import (
	"context"
	"errors"
	"fmt"
	"os"
	"os/signal"
	"syscall"

	"github.com/syncline/syncline/config"
	"github.com/syncline/syncline/engine/ops"
	"github.com/syncline/syncline/internal/views"
	"github.com/syncline/syncline/planner"
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

Ctrl-C (or SIGTERM) stops the run that is running: it ends cancelled,
keeping what it did; the tasks not started yet are skipped, and up prints
the summary of the round and exits 1. Under -watch, Ctrl-C between rounds
stops watching.

up is for a workstation; on a server, run syncline apply (or sync) and
syncline serve, which follow the schedules.

Exit status: 0 when every run succeeded or finished with item errors, 1
when the configuration does not load, the apply fails, a run fails, or up
was interrupted.`

func (a *app) upCommand() *cli.Command {
	return &cli.Command{
		Name:        "up",
		Usage:       "apply the configuration and run every enabled task once (local work)",
		UsageText:   "syncline up [options] [DIR]",
		Description: upDescription,
		Flags: append([]cli.Flag{
			stateFlag(),
			&cli.BoolFlag{Name: "watch", Usage: "keep watching DIR; apply and re-run what changed on every saved change"},
			allowDestroyFlag(),
			lockTimeoutFlag(),
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
	round, err := a.upRound(ctx, a.upOptions(dir, cmd), nil)
	if !cmd.Bool("watch") {
		if err != nil {
			return err
		}
		if round.Failed() {
			return exitStatus(exitError)
		}
		return nil
	}
	if err != nil {
		a.reportRoundError(err)
	}
	return a.upWatch(ctx, a.upOptions(dir, cmd), round)
}

func (a *app) upOptions(dir string, cmd *cli.Command) ops.UpOptions {
	return ops.UpOptions{Dir: dir, StateFlag: cmd.String("state"), Vars: cmd.StringSlice("var"), VarFiles: cmd.StringSlice("var-file"),
		AllowDestroy: cmd.Bool("allow-destroy"), LockTimeout: cmd.Duration("lock-timeout"), Loader: a.loader()}
}

// upRound is one round of up (ops.UpRound) shown through the up view; the
// plan it applies is shown as one line per change. selected picks the
// tasks to run from the new fingerprints; nil runs every enabled task.
func (a *app) upRound(ctx context.Context, opts ops.UpOptions, selected func(map[string]string) map[string]bool) (*ops.UpResult, error) {
	view := a.upView()
	res, err := ops.UpRound(ctx, opts, selected, a.reporter(planLines{a}, nil), upObserver{view, a.runView()})
	var cfgErr *ops.ConfigError
	if errors.As(err, &cfgErr) {
		// Its diagnostics were shown.
		return res, exitStatus(exitError)
	}
	if err != nil {
		return res, err
	}
	view.Summary(upSummary(res))
	return res, nil
}

// upObserver shows a round through the up view and its runs through the
// run view.
type upObserver struct {
	views.Up
	views.Run
}

// planLines shows the plan up applies as one line per change.
type planLines struct{ a *app }

func (planLines) Revision(*config.Revision) {}

func (v planLines) Plan(p *planner.Plan) error {
	views.WritePlanLines(v.a.stdout, v.a.color(v.a.stdout), p)
	return nil
}

// reportRoundError prints an error that ended a round under -watch, where
// watching goes on.
func (a *app) reportRoundError(err error) {
	if _, reported := err.(exitStatus); reported {
		return
	}
	a.printError(err.Error())
}
