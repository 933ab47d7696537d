package main

import (
	"context"
	"fmt"
	"strconv"

	"github.com/syncline/syncline/internal/views"
	"github.com/syncline/syncline/state"
	"github.com/urfave/cli/v3"
)

func (a *app) runsCommand() *cli.Command {
	return &cli.Command{
		Name:      "runs",
		Usage:     "list runs, show one, or cancel one",
		UsageText: "syncline runs [-state PATH] [-limit N] [-json] [TASK]\nsyncline runs show|cancel ID",
		Description: `Lists runs, newest first: every run of every task, or of TASK. Runs are
kept after their task is removed from the configuration.`,
		Flags: []cli.Flag{
			stateFlag(),
			&cli.IntFlag{Name: "limit", Value: 20, Usage: "show at most `N` runs (0: all)"},
			&cli.BoolFlag{Name: "json", Usage: "print the runs as JSON"},
		},
		Action: a.runsList,
		Commands: []*cli.Command{
			{
				Name: "show", Usage: "show a run: trigger, mode, activities, statistics, errors, output and changes",
				UsageText: "syncline runs show [-state PATH] [-json] [-changes N] ID",
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
				UsageText: "syncline runs cancel [-state PATH] ID",
				Description: `A queued run is cancelled at once. A running run is asked to stop: its
worker sees the request at its next heartbeat, stops the activity and
records the run as cancelled.`,
				Flags: []cli.Flag{stateFlag()}, Action: a.runsCancel,
			},
		},
	}
}

func (a *app) runsList(ctx context.Context, cmd *cli.Command) error {
	if cmd.NArg() > 1 {
		return newUsageError(cmd, "expected at most one TASK")
	}
	st, err := a.openExistingStore(ctx, cmd)
	if err != nil {
		return err
	}
	defer st.Close()
	runs, err := st.RunList(ctx, state.RunFilter{Task: cmd.Args().First(), Limit: int(cmd.Int("limit"))})
	if err != nil {
		return err
	}
	return a.runsView(cmd, st).List(runs)
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
	id, err := runIDArg(cmd)
	if err != nil {
		return err
	}
	st, err := a.openExistingStore(ctx, cmd)
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
	rc.ListAll = allChangesCommand(cmd, id)
	return a.runsView(cmd, st).Show(*r, rc)
}

// defaultChangesListed is how many changes runs show lists unless told.
const defaultChangesListed = 100

// allChangesCommand is the runs show command line that lists every
// change of run id.
func allChangesCommand(cmd *cli.Command, id int64) string {
	line := "syncline runs show -changes -1"
	if loc := cmd.String("state"); loc != "" {
		line += " -state " + strconv.Quote(loc)
	}
	return fmt.Sprintf("%s %d", line, id)
}

func (a *app) runsCancel(ctx context.Context, cmd *cli.Command) error {
	id, err := runIDArg(cmd)
	if err != nil {
		return err
	}
	st, err := a.openExistingStoreWritable(ctx, cmd)
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

func runIDArg(cmd *cli.Command) (int64, error) {
	if cmd.NArg() != 1 {
		return 0, newUsageError(cmd, "expected one run ID")
	}
	id, err := strconv.ParseInt(cmd.Args().First(), 10, 64)
	if err != nil || id <= 0 {
		return 0, newUsageError(cmd, "%q is not a run ID; run IDs are positive numbers, as listed by syncline runs", cmd.Args().First())
	}
	return id, nil
}
