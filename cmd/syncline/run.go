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
	st, cat, err := a.openCatalog(ctx, dir, cmd)
	if err != nil {
		return err
	}
	defer st.Close()
	// A run whose process was killed would hold the task forever: end it
	// as interrupted and queue its recovery, as serve does at startup.
	recovered, err := runner.RecoverDeadRuns(ctx, st, time.Now())
	if err != nil {
		return err
	}
	a.runView().Recovered(recovered)
	run, err := runner.EnqueueManual(ctx, st, cat, task, cmd.String("mode"), state.OSUser())
	if errors.Is(err, runner.ErrTaskBusy) && !cmd.Bool("detach") {
		// A run already waits in the queue (one that `after` triggered,
		// say): in the foreground, run that one instead of refusing.
		if queued := queuedRun(ctx, st, task, cmd.String("mode")); queued != nil {
			a.runView().AlreadyQueued(task, *queued)
			return a.runForeground(ctx, st, cat, queued)
		}
	}
	if err != nil {
		return err
	}
	if cmd.Bool("detach") {
		a.runView().Queued(*run)
		return nil
	}
	return a.runForeground(ctx, st, cat, run)
}

func (a *app) runForeground(ctx context.Context, st *state.Store, cat *catalog.Catalog, run *state.Run) error {
	ctx, stop := signal.NotifyContext(ctx, os.Interrupt, syscall.SIGTERM)
	defer stop()
	view := a.runView()
	final, err := a.execute(ctx, st, cat, run, view)
	if err != nil {
		return err
	}
	view.Finished(*final)
	switch final.State {
	case state.RunSucceeded, state.RunPartial:
		return nil
	}
	return exitStatus(exitError)
}

// runView is the view of a run, coloured and with a progress bar on a
// terminal.
func (a *app) runView() views.Run {
	return views.NewRun(a.streams(), a.color(a.stdout), views.IsTerminal(a.stdout))
}

// execute runs the queued run in this process, showing its progress, and
// returns it as it ended.
func (a *app) execute(ctx context.Context, st *state.Store, cat *catalog.Catalog, run *state.Run, view views.Run) (*state.Run, error) {
	view.Started(*run)
	final, err := runner.RunForeground(ctx, st, cat, run.ID, runner.WorkerPrefix()+":cli", view.Progress)
	if err != nil && final == nil {
		return nil, err
	}
	view.Progress(final)
	return final, nil
}

// openCatalog opens the existing store and loads the configuration in dir
// as a catalog checked against the applied definitions.
func (a *app) openCatalog(ctx context.Context, dir string, cmd *cli.Command) (*state.Store, *catalog.Catalog, error) {
	cfg, err := a.loadStrict(dir, cmd)
	if err != nil {
		return nil, nil, err
	}
	location := ops.StateLocation(cmd.String("state"), dir, cfg.Settings)
	if _, err := os.Stat(location); err != nil {
		return nil, nil, fmt.Errorf("no state store at %s; run syncline apply first so that there are tasks to run", location)
	}
	st, err := state.Open(ctx, location, state.Options{})
	if err != nil {
		return nil, nil, err
	}
	snap, err := st.Snapshot(ctx)
	if err != nil {
		st.Close()
		return nil, nil, err
	}
	cat, err := catalog.Load(dir, a.loadOptions(cmd), snap)
	if err != nil {
		st.Close()
		return nil, nil, err
	}
	return st, cat, nil
}

func (a *app) loadOptions(cmd *cli.Command) config.LoadOptions {
	return config.LoadOptions{Vars: cmd.StringSlice("var"), VarFiles: cmd.StringSlice("var-file"), Environ: a.environ}
}

// taskAndDir reads "TASK [DIR]".
func taskAndDir(cmd *cli.Command) (string, string, error) {
	switch cmd.NArg() {
	case 1:
		return cmd.Args().Get(0), ".", nil
	case 2:
		return cmd.Args().Get(0), cmd.Args().Get(1), nil
	}
	return "", "", newUsageError(cmd, "expected TASK and optionally DIR")
}

func isMode(m string) bool {
	for _, known := range config.Modes {
		if m == known {
			return true
		}
	}
	return false
}

// queuedRun returns the task's queued run when it is the only active one
// and has the mode asked for ("" for any), else nil.
func queuedRun(ctx context.Context, st *state.Store, task, mode string) *state.Run {
	active, err := st.RunListActive(ctx, task)
	if err != nil || len(active) != 1 || active[0].State != state.RunQueued {
		return nil
	}
	if mode != "" && active[0].Mode != mode {
		return nil
	}
	return &active[0]
}
