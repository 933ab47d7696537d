package main

import (
	"context"
	"fmt"
	"os"
	"path/filepath"

	"github.com/syncline/syncline/config"
	"github.com/syncline/syncline/engine/ops"
	"github.com/syncline/syncline/internal/gitmirror"
	"github.com/syncline/syncline/internal/views"
	"github.com/syncline/syncline/state"
	"github.com/urfave/cli/v3"
)

const showDescription = `With PLANFILE, renders a saved plan (-format text, json or markdown). The
file is first authenticated against the state it names (or -state): a file
that was edited or made for another state is refused. When that state
cannot be read, the plan is shown with a warning that it is not
authenticated.

Without it, or with a directory DIR, summarizes the state store of the
configuration in DIR (default: the current directory; or -state): lineage, serial, the stored definitions with their
source, and the latest applies. Definitions and applies made from git show
their revision: the short commit and, when the commit is in the repository
holding the state or the current directory, the first line of its message.`

func (a *app) showCommand() *cli.Command {
	return &cli.Command{
		Name:        "show",
		Usage:       "show a saved plan, or a summary of the state",
		UsageText:   "syncline show [options] [PLANFILE | DIR]",
		Description: showDescription,
		Flags: []cli.Flag{
			stateFlag(),
			&cli.StringFlag{Name: "format", Value: "text", Usage: "plan output `FORMAT`: text, json or markdown"},
		},
		Action: a.showAction,
	}
}

func (a *app) showAction(ctx context.Context, cmd *cli.Command) error {
	if cmd.NArg() > 1 {
		return newUsageError(cmd, "too many arguments; expected at most one plan file or configuration directory")
	}
	dir := "."
	if arg := cmd.Args().First(); isDir(arg) {
		dir = arg
	} else if path := arg; path != "" {
		view, err := a.planView(cmd)
		if err != nil {
			return err
		}
		shown, err := ops.ShowPlanFile(ctx, path, cmd.String("state"))
		if err != nil {
			return err
		}
		if shown.Unauthenticated != nil {
			views.PlanFileUnauthenticated(a.stderr, shown.Location, shown.Unauthenticated)
		}
		if rev := shown.File.Revision(); rev != nil {
			view.Revision(rev)
		}
		return view.Plan(shown.Plan)
	}
	st, err := a.openExistingStore(ctx, cmd, dir)
	if err != nil {
		return err
	}
	defer st.Close()
	return a.showState(ctx, st)
}

// openExistingStore opens, read-only, the store named by -state or by the
// configuration in dir; a missing store is an error.
func (a *app) openExistingStore(ctx context.Context, cmd *cli.Command, dir string) (*state.Store, error) {
	return a.openExisting(ctx, cmd, dir, true)
}

// openExistingStoreWritable is openExistingStore for commands that write.
func (a *app) openExistingStoreWritable(ctx context.Context, cmd *cli.Command, dir string) (*state.Store, error) {
	return a.openExisting(ctx, cmd, dir, false)
}

func (a *app) openExisting(ctx context.Context, cmd *cli.Command, dir string, readOnly bool) (*state.Store, error) {
	location, err := a.stateLocationIn(cmd, dir)
	if err != nil {
		return nil, err
	}
	if ok, err := state.Exists(ctx, location); err != nil {
		return nil, err
	} else if !ok {
		return nil, fmt.Errorf("no state store at %s\nRun syncline init or syncline apply to create the state, or name it with -state", state.ShowLocation(location))
	}
	st, err := a.openStore(ctx, location, readOnly)
	if err != nil {
		return nil, fmt.Errorf("%w\nRun syncline init or syncline apply to create the state, or name it with -state", err)
	}
	return st, nil
}

// stateLocationIn is where the commands that read the state find it: the
// -state option, else the syncline block of the configuration in dir
// (only that block is read), else dir/.syncline/state.db.
func (a *app) stateLocationIn(cmd *cli.Command, dir string) (string, error) {
	if loc := cmd.String("state"); loc != "" {
		return loc, nil
	}
	if info, err := os.Stat(dir); err != nil || !info.IsDir() {
		return "", fmt.Errorf("%q is not a configuration directory; name the directory whose state to read, or the store with -state", dir)
	}
	settings, _ := config.LoadSettings(dir, config.LoadOptions{Environ: a.environ})
	return ops.StateLocation("", dir, settings), nil
}

func (a *app) showState(ctx context.Context, st *state.Store) error {
	snap, err := st.Snapshot(ctx)
	if err != nil {
		return err
	}
	history, err := st.ApplyHistory(ctx, 5)
	if err != nil {
		return err
	}
	views.NewState(a.streams(), stateRevisionLabels(st)).Summary(views.StateSummary{Path: st.Path(), Snapshot: snap, History: history})
	return nil
}

// stateRevisionLabels describes the revisions recorded in st, looking
// commits up in the repository holding the state and in the current one.
func stateRevisionLabels(st *state.Store) *gitmirror.RevisionLabels {
	if st.IsPostgres() {
		return gitmirror.NewRevisionLabels(".", ".")
	}
	return gitmirror.NewRevisionLabels(filepath.Dir(st.Path()), ".")
}
