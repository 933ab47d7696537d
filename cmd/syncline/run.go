package main

import (
	"context"
	"os"
	"os/signal"
	"syscall"

	"github.com/syncline/syncline/config"
	"github.com/syncline/syncline/engine/ops"
	"github.com/syncline/syncline/internal/views"
	"github.com/syncline/syncline/state"
	"github.com/urfave/cli/v3"
)

const runDescription = `Runs TASK now, from the configuration in DIR (default: the current
directory), as it was applied: a task whose definition in DIR differs from
the applied one is refused — run syncline plan and apply first.

In the foreground (the default) the run's activities execute in this process,
with a progress bar on a terminal (plain lines otherwise), and a summary at
the end; Ctrl-C cancels the run. With -detach the run is only queued, for
syncline serve to start.

-mode overrides the task's mode for this run: full, preview (compute every
change, write none) or dry_run (report situations only).

Exit status: 0 when the run succeeded or finished with item errors (partial;
the summary says how many), 1 when it failed or was cancelled, or could not
start.`

func (a *app) runCommand() *cli.Command {
	return &cli.Command{
		Name:        "run",
		Usage:       "run a task now",
		UsageText:   "syncline run [options] TASK [DIR]",
		Description: runDescription,
		Flags: append([]cli.Flag{
			stateFlag(),
			&cli.StringFlag{Name: "mode", Usage: "run in `MODE`: full, preview or dry_run (default: the task's)"},
			&cli.BoolFlag{Name: "detach", Usage: "queue the run for syncline serve and return"},
		}, variableFlags()...),
		Action: a.runAction,
	}
}

func (a *app) runAction(ctx context.Context, cmd *cli.Command) error {
	task, dir, err := taskAndDir(cmd)
	if err != nil {
		return err
	}
	if m := cmd.String("mode"); m != "" && !isMode(m) {
		return newUsageError(cmd, "-mode must be full, preview or dry_run, not %q", m)
	}
	cfg, err := a.loadStrict(dir, cmd)
	if err != nil {
		return err
	}
	st, cat, err := ops.OpenCatalog(ctx, dir, ops.StateLocation(cmd.String("state"), dir, cfg.Settings), a.loadOptions(cmd))
	if err != nil {
		return err
	}
	defer st.Close()
	ctx, stop := signal.NotifyContext(ctx, os.Interrupt, syscall.SIGTERM)
	defer stop()
	view := a.runView().In(dir)
	final, err := ops.RunTask(ctx, st, cat, ops.RunRequest{Task: task, Mode: config.Mode(cmd.String("mode")), Detach: cmd.Bool("detach"),
		Who: state.OSUser(), Clock: a.clock()}, view)
	if err != nil || cmd.Bool("detach") {
		return err
	}
	view.Finished(*final)
	view.Notified(ops.DeliverNotifications(ctx, st, cat, a.clock()))
	switch final.State {
	case state.RunSucceeded, state.RunPartial:
		return nil
	}
	return exitStatus(exitError)
}

// runView is the view of a run, coloured and with a progress bar on a
// terminal.
func (a *app) runView() views.Run {
	return views.NewRun(a.streams(), a.color(a.stdout), views.IsTerminal(a.stdout), a.clock())
}

func (a *app) loadOptions(cmd *cli.Command) config.LoadOptions {
	return config.LoadOptions{Vars: cmd.StringSlice("var"), VarFiles: cmd.StringSlice("var-file"), Environ: a.environ}
}

// taskAndDir reads "TASK [DIR]"; TASK is NAME or task.NAME.
func taskAndDir(cmd *cli.Command) (string, string, error) {
	args, dir, err := argsAndDir(cmd, 1, "a TASK")
	if err != nil {
		return "", "", err
	}
	return taskName(args[0]), dir, nil
}

func isMode(m string) bool {
	for _, known := range config.Modes {
		if m == known {
			return true
		}
	}
	return false
}
