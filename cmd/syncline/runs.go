package main

import (
	"context"
	"fmt"
	"path/filepath"
	"strconv"
	"strings"

	"github.com/syncline/syncline/internal/views"
	"github.com/syncline/syncline/state"
	"github.com/urfave/cli/v3"
)

func (a *app) runsCommand() *cli.Command {
	return &cli.Command{
		Name:      "runs",
		Usage:     "list runs, show one, or cancel one",
		UsageText: "syncline runs [-state PATH] [-limit N] [-json] [TASK] [DIR]\nsyncline runs show|cancel ID [DIR]",
		Description: `Lists runs, newest first: every run of every task, or of TASK (NAME or
task.NAME). Runs are kept after their task is removed from the
configuration.

The state read is the one of the configuration in DIR (default: the
current directory; only its syncline block is read), or -state. A single
argument that names a directory is DIR.`,
		Flags: []cli.Flag{
			stateFlag(),
			&cli.IntFlag{Name: "limit", Value: 20, Usage: "show at most `N` runs (0: all)"},
			&cli.BoolFlag{Name: "json", Usage: "print the runs as JSON"},
		},
		Action: a.runsList,
		Commands: []*cli.Command{
			{
				Name: "show", Usage: "show a run: trigger, mode, activities, statistics, errors, output and changes",
				UsageText: "syncline runs show [-state PATH] [-json] [-changes N] ID [DIR]",
				Description: `Changes lists what the run changed in users and resource objects (in
preview: what it would change), after a summary that counts them all:
+ add or create, ~ modify, enable, link or unlink, ! disable, - delete.`,
				Flags: []cli.Flag{
					stateFlag(),
					&cli.BoolFlag{Name: "json", Usage: "print the run as JSON"},
					&cli.IntFlag{Name: "changes", Value: defaultChangesListed,
						Usage: "list at most `N` changes (0: only the summary, -1: all)"},
				},
				Action: a.runsShow,
			},
			{
				Name: "cancel", Usage: "cancel a queued or running run",
				UsageText: "syncline runs cancel [-state PATH] ID [DIR]",
				Description: `A queued run is cancelled at once. A running run is asked to stop: its
worker sees the request at its next heartbeat, stops the activity and
records the run as cancelled.`,
				Flags: []cli.Flag{stateFlag()}, Action: a.runsCancel,
			},
		},
	}
}

func (a *app) runsList(ctx context.Context, cmd *cli.Command) error {
	task, dir := "", "."
	switch args := cmd.Args().Slice(); {
	case len(args) == 1 && (isDir(args[0]) || strings.ContainsRune(args[0], filepath.Separator)):
		dir = args[0]
	case len(args) == 1:
		task = taskName(args[0])
	case len(args) == 2:
		task, dir = taskName(args[0]), args[1]
	case len(args) > 2:
		return newUsageError(cmd, "expected at most a TASK and a configuration directory")
	}
	st, err := a.openExistingStore(ctx, cmd, dir)
	if err != nil {
		return err
	}
	defer st.Close()
	runs, err := st.RunList(ctx, state.RunFilter{Task: task, Limit: int(cmd.Int("limit"))})
	if err != nil {
		return err
	}
	return a.runsView(cmd, st).List(runs, task)
}

// runsView is the view runs and runs show render through: JSON with
// -json, text otherwise.
func (a *app) runsView(cmd *cli.Command, st *state.Store) views.Runs {
	t := views.Text
	if cmd.Bool("json") {
		t = views.JSON
	}
	return views.NewRuns(t, a.streams(), stateRevisionLabels(st))
}

func (a *app) runsShow(ctx context.Context, cmd *cli.Command) error {
	id, dir, err := runIDArg(cmd)
	if err != nil {
		return err
	}
	st, err := a.openExistingStore(ctx, cmd, dir)
	if err != nil {
		return err
	}
	defer st.Close()
	r, err := st.RunGet(ctx, id)
	if err != nil {
		return err
	}
	rc, err := loadRunChanges(ctx, st, id, int(cmd.Int("changes")))
	if err != nil {
		return err
	}
	rc.ListAll = allChangesCommand(cmd, id, dir)
	notes, err := st.RunNotifications(ctx, id)
	if err != nil {
		return err
	}
	return a.runsView(cmd, st).Show(*r, rc, notes)
}

// defaultChangesListed is how many changes runs show lists unless told.
const defaultChangesListed = 100

// allChangesCommand is the runs show command line that lists every
// change of run id.
func allChangesCommand(cmd *cli.Command, id int64, dir string) string {
	line := "syncline runs show -changes -1"
	if loc := cmd.String("state"); loc != "" {
		line += " -state " + views.ShellWord(loc)
	}
	line += fmt.Sprintf(" %d", id)
	if dir != "." {
		line += " " + views.ShellWord(dir)
	}
	return line
}

func (a *app) runsCancel(ctx context.Context, cmd *cli.Command) error {
	id, dir, err := runIDArg(cmd)
	if err != nil {
		return err
	}
	st, err := a.openExistingStoreWritable(ctx, cmd, dir)
	if err != nil {
		return err
	}
	defer st.Close()
	r, err := st.RunCancel(ctx, id, state.OSUser(), a.clock().Now())
	if err != nil {
		return err
	}
	views.NewRunsHuman(a.streams(), nil).Cancelled(*r)
	return nil
}

// runIDArg reads "ID [DIR]".
func runIDArg(cmd *cli.Command) (int64, string, error) {
	args, dir, err := argsAndDir(cmd, 1, "one run ID")
	if err != nil {
		return 0, "", err
	}
	id, err := strconv.ParseInt(args[0], 10, 64)
	if err != nil || id <= 0 {
		return 0, "", newUsageError(cmd, "%q is not a run ID; run IDs are positive numbers, as listed by syncline runs", args[0])
	}
	return id, dir, nil
}
