package main

import (
	"context"
	"errors"
	"os"
	"strings"

	"github.com/syncline/syncline/engine/ops"
	"github.com/syncline/syncline/internal/views"
	"github.com/urfave/cli/v3"
)

const applyDescription = `Stores the configuration's definitions in the state, in one transaction.

With -repo PATH and/or -ref REV the configuration is read from a git
revision without a checkout (with -repo, DIR is a directory inside the
repository); the apply records the commit and its author.

With DIR (default: the current directory), apply plans first, shows the plan
and asks for "yes" — on a terminal only; elsewhere -auto-approve is required.

With PLANFILE (from "syncline plan -out PLANFILE"), apply carries out exactly
that plan, without asking. It refuses a plan file that does not
authenticate with the state's secret key (made for another state, or
edited), a plan whose state changed since (stale), and a plan whose
configuration or secrets changed since, naming what changed; then it
recomputes the plan from the configuration and the state and refuses it
unless the changes are exactly those in the file.

apply holds the state's lock while it works; another apply waits up to
-lock-timeout and then fails naming the holder.`

func (a *app) applyCommand() *cli.Command {
	return &cli.Command{
		Name:        "apply",
		Usage:       "store the configuration's definitions in the state",
		UsageText:   "syncline apply [options] [DIR | PLANFILE]",
		Description: applyDescription,
		Flags: append([]cli.Flag{
			&cli.BoolFlag{Name: "auto-approve", Usage: "apply without asking for confirmation"},
			lockTimeoutFlag(),
		}, planFlags()...),
		Action: a.applyAction,
	}
}

func (a *app) applyAction(ctx context.Context, cmd *cli.Command) error {
	arg, err := dirArg(cmd)
	if err != nil {
		return err
	}
	if err := refuseGitWithPlanFile(cmd, arg); err != nil {
		return err
	}
	src, err := a.configSource(cmd)
	if err != nil {
		return err
	}
	if info, statErr := os.Stat(arg); !src.FromGit() && statErr == nil && !info.IsDir() {
		return a.applyPlanFile(ctx, arg, cmd)
	}
	return a.applySource(ctx, src, cmd)
}

// applySource plans the configuration under the lock, shows the plan,
// asks, and applies.
func (a *app) applySource(ctx context.Context, src ops.Source, cmd *cli.Command) error {
	lc, err := a.loadSourceStrict(src, cmd.StringSlice("var"), cmd.StringSlice("var-file"))
	if err != nil {
		return err
	}
	location := ops.StateLocation(cmd.String("state"), src.StateDir, lc.Config.Settings)
	view := a.applyView()
	res, err := ops.PlanAndApply(ctx, lc, ops.ApplyOptions{Location: location, LockTimeout: cmd.Duration("lock-timeout"),
		AllowDestroy: cmd.Bool("allow-destroy")}, a.reporter(view, func() error { return a.confirm(cmd, view) }))
	if err != nil {
		return a.reported(err)
	}
	showApplied(view, res)
	return nil
}

// showApplied reports through view what an apply did, when it applied.
func showApplied(view views.Apply, res *ops.ApplyResult) {
	if res.Applied != nil {
		view.Applied(views.Applied{Summary: res.Planned.Plan.Summary, Result: *res.Applied, Revision: res.Revision, Who: res.Who})
	}
}

// applyPlanFile applies a saved plan (ops.ApplyPlanFile) and reports
// through the apply view what it did.
func (a *app) applyPlanFile(ctx context.Context, path string, cmd *cli.Command) error {
	view := a.applyView()
	res, err := ops.ApplyPlanFile(ctx, a.loader(), ops.PlanFileOptions{Path: path, State: cmd.String("state"),
		LockTimeout: cmd.Duration("lock-timeout"), Vars: cmd.StringSlice("var"), VarFiles: cmd.StringSlice("var-file")},
		a.reporter(view, nil))
	if err != nil {
		return a.reported(err)
	}
	showApplied(view, res)
	return nil
}

// applyView is the view of apply and sync: text, coloured on a terminal.
func (a *app) applyView() views.Apply {
	return views.NewApply(a.streams(), a.color(a.stdout))
}

// confirm asks for "yes" on a terminal through view, unless -auto-approve.
func (a *app) confirm(cmd *cli.Command, view views.Apply) error {
	if cmd.Bool("auto-approve") {
		return nil
	}
	if !isTerminalReader(a.stdin) {
		return errors.New("apply needs confirmation, but standard input is not a terminal; review the plan and run again with -auto-approve, or apply a saved plan file")
	}
	view.AskApproval()
	answer, _ := readLine(a.stdin)
	if strings.TrimSpace(answer) != "yes" {
		return errors.New("apply cancelled")
	}
	return nil
}
