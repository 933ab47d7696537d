package main

import (
	"context"
	"fmt"
	"os"
	"os/signal"
	"path/filepath"
	"strings"
	"syscall"

	"github.com/fsnotify/fsnotify"
	"github.com/hashicorp/hcl/v2"
	"github.com/syncline/syncline/config"
	"github.com/syncline/syncline/engine/ops"
	"github.com/syncline/syncline/engine/watch"
	"github.com/syncline/syncline/internal/views"
	"github.com/urfave/cli/v3"
)

const watchDescription = `Watches the configuration files (*.hcl) in DIR (default: the current
directory) and, on every saved change, prints a separator with the time,
validates the configuration again and, when it is valid, plans it against
the state. watch never writes the state: it reads it like plan does.

Changes are debounced (300ms), so an editor's save — often a write to a
temporary file renamed over the original — is planned once.

watch runs until interrupted (Ctrl-C, SIGTERM) and then exits 0.`

func (a *app) watchCommand() *cli.Command {
	return &cli.Command{
		Name:        "watch",
		Usage:       "validate and plan again on every saved change",
		UsageText:   "syncline watch [options] [DIR]",
		Description: watchDescription,
		Flags: append([]cli.Flag{
			stateFlag(),
			&cli.BoolFlag{Name: "allow-destroy", Usage: "plan as if removing or replacing a resource that still has shadows were allowed"},
		}, variableFlags()...),
		Action: a.watchAction,
	}
}

func (a *app) watchAction(ctx context.Context, cmd *cli.Command) error {
	dir, err := dirArg(cmd)
	if err != nil {
		return err
	}
	if info, err := os.Stat(dir); err != nil || !info.IsDir() {
		return fmt.Errorf("watch needs a configuration directory, and %q is not one", dir)
	}
	ctx, stop := signal.NotifyContext(ctx, os.Interrupt, syscall.SIGTERM)
	defer stop()

	view := views.NewWatch(a.streams())
	round := func(ctx context.Context) { a.watchRound(ctx, dir, cmd, view) }
	w := &watch.Watcher{
		Dir:        dir,
		Files:      func() watch.Files { return watch.Files{Config: watch.ConfigFiles(dir, config.ConfigFileSuffix)} },
		EveryEvent: true,
		Relevant:   watchedChange,
		Errors:     func(err error) { a.reportRoundError(err) },
		// The first round runs once the directory is followed, so that a
		// save made while it runs starts the next.
		Ready: func() {
			view.Watching(dir)
			round(ctx)
		},
	}
	return w.Run(ctx, round)
}

// watchedChange reports whether ev changes a configuration file: editors
// save by writing, by creating, or by renaming a temporary file over the
// original, and removing a file changes the configuration too.
func watchedChange(ev fsnotify.Event) bool {
	name := filepath.Base(ev.Name)
	if !strings.HasSuffix(name, config.ConfigFileSuffix) || strings.HasPrefix(name, ".") {
		return false
	}
	return ev.Has(fsnotify.Write) || ev.Has(fsnotify.Create) || ev.Has(fsnotify.Rename) || ev.Has(fsnotify.Remove)
}

// watchRound validates dir and, when it is valid, plans it against the
// state read-only. Errors are reported and watching goes on.
func (a *app) watchRound(ctx context.Context, dir string, cmd *cli.Command, view views.Watch) {
	view.RoundStarts(a.clock().Now())
	files, _, diags := a.loadConfig(ops.DirSource(dir), cmd)
	a.showValidateResult(files, nil, diags)
	if diags.HasErrors() {
		return
	}
	if err := a.watchPlan(ctx, dir, cmd, view); err != nil {
		a.reportRoundError(err)
	}
}

// watchPlan plans dir like "syncline plan" does, never writing.
func (a *app) watchPlan(ctx context.Context, dir string, cmd *cli.Command, view views.Watch) error {
	cfg, _, diags := a.loadSource(ops.DirSource(dir), config.LoadOptions{
		Vars: cmd.StringSlice("var"), VarFiles: cmd.StringSlice("var-file"), Environ: a.environ,
	})
	if diags.HasErrors() {
		// Validation passed, so these are variables without a value.
		var errs hcl.Diagnostics
		for _, d := range diags {
			if d.Severity == hcl.DiagError {
				errs = append(errs, d)
			}
		}
		var files map[string]*hcl.File
		if cfg != nil {
			files = cfg.Files
		}
		a.showDiagnostics(files, errs)
		return exitStatus(exitError)
	}
	lc := &ops.Loaded{Config: cfg, Source: ops.DirSource(dir), Clock: a.clock()}
	location := ops.StateLocation(cmd.String("state"), dir, cfg.Settings)
	pl, err := ops.PlanAgainst(ctx, lc, location, cmd.Bool("allow-destroy"))
	if err != nil {
		return err
	}
	view.Planning()
	return a.textPlanView().Plan(pl.Plan)
}
