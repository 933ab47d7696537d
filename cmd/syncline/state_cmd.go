package main

import (
	"context"
	"fmt"

	"github.com/syncline/syncline/internal/views"
	"github.com/syncline/syncline/state"
	"github.com/urfave/cli/v3"
)

func (a *app) stateCommand() *cli.Command {
	return &cli.Command{
		Name:      "state",
		Usage:     "inspect the state store and remove a stale lock",
		UsageText: "syncline state <list | show ADDRESS | history | unlock ID | migrate -to LOCATION> [options] [DIR]",
		Description: `Subcommands read the state store of the configuration in DIR (default: the
current directory; only its syncline block is read), or the one named with
-state. Only unlock writes, and migrate, to a new state.`,
		Commands: []*cli.Command{
			{
				Name: "list", Usage: "list the stored definitions", UsageText: "syncline state list [-state PATH] [DIR]",
				Flags: []cli.Flag{stateFlag()}, Action: a.stateList,
			},
			{
				Name: "show", Usage: "show one stored definition's spec", UsageText: "syncline state show [-state PATH] ADDRESS [DIR]",
				Flags: []cli.Flag{stateFlag()}, Action: a.stateShow,
			},
			{
				Name: "history", Usage: "list the applies and failed syncs, newest first", UsageText: "syncline state history [-state PATH] [-limit N] [DIR]",
				Flags:  []cli.Flag{stateFlag(), &cli.IntFlag{Name: "limit", Value: 20, Usage: "show at most `N` applies (0: all)"}},
				Action: a.stateHistory,
			},
			{
				Name: "unlock", Usage: "remove a stale apply lock", UsageText: "syncline state unlock [-state PATH] LOCK_ID [DIR]",
				Description: `Removes the apply lock with LOCK_ID, as printed by the apply that found it
held. Only do this when the holder is gone: an apply that is still running
would lose its protection.`,
				Flags: []cli.Flag{stateFlag()}, Action: a.stateUnlock,
			},
			{
				Name: "migrate", Usage: "copy the state into a new one (SQLite or PostgreSQL)",
				UsageText: "syncline state migrate [-state PATH] -to LOCATION [DIR]",
				Description: `Copies the whole state — lineage, serial, definitions and history, the lock,
tasks and runs, users and shadows, tokens and notifications — into a new
state at LOCATION: a file path, sqlite://PATH or postgres://USER@HOST/DB
(set search_path=SCHEMA for a schema of its own, created when missing).
A target that already holds a state is refused and left alone. Every table
is read back and its row count and content hash checked. Stop syncline
serve first: runs it starts during the copy are not copied.`,
				Flags: []cli.Flag{stateFlag(), &cli.StringFlag{Name: "to", Required: true,
					Usage: "the new state's `LOCATION` (a path, sqlite://PATH or postgres://…)"}},
				Action: a.stateMigrate,
			},
		},
	}
}

func (a *app) stateList(ctx context.Context, cmd *cli.Command) error {
	_, dir, err := argsAndDir(cmd, 0, "")
	if err != nil {
		return err
	}
	st, err := a.openExistingStore(ctx, cmd, dir)
	if err != nil {
		return err
	}
	defer st.Close()
	snap, err := st.Snapshot(ctx)
	if err != nil {
		return err
	}
	views.NewState(a.streams(), stateRevisionLabels(st)).Definitions(snap)
	return nil
}

// readExistingSnapshot reads the snapshot of an existing store.
func (a *app) readExistingSnapshot(ctx context.Context, cmd *cli.Command, dir string) (*state.Snapshot, error) {
	st, err := a.openExistingStore(ctx, cmd, dir)
	if err != nil {
		return nil, err
	}
	defer st.Close()
	return st.Snapshot(ctx)
}

func (a *app) stateShow(ctx context.Context, cmd *cli.Command) error {
	args, dir, err := argsAndDir(cmd, 1, "one ADDRESS, such as task.hr-import,")
	if err != nil {
		return err
	}
	addr := args[0]
	snap, err := a.readExistingSnapshot(ctx, cmd, dir)
	if err != nil {
		return err
	}
	d, ok := snap.Definitions[addr]
	if !ok {
		return fmt.Errorf("no definition %s is stored; syncline state list shows what is", addr)
	}
	views.NewState(a.streams(), nil).Definition(addr, d)
	return nil
}

func (a *app) stateHistory(ctx context.Context, cmd *cli.Command) error {
	_, dir, err := argsAndDir(cmd, 0, "")
	if err != nil {
		return err
	}
	st, err := a.openExistingStore(ctx, cmd, dir)
	if err != nil {
		return err
	}
	defer st.Close()
	history, err := st.ApplyHistory(ctx, int(cmd.Int("limit")))
	if err != nil {
		return err
	}
	view := views.NewState(a.streams(), stateRevisionLabels(st))
	view.History(history)
	failures, err := st.SyncFailures(ctx, int(cmd.Int("limit")))
	if err != nil {
		return err
	}
	view.SyncFailures(failures)
	return nil
}

func (a *app) stateUnlock(ctx context.Context, cmd *cli.Command) error {
	args, dir, err := argsAndDir(cmd, 1, "one LOCK_ID, as printed by the apply that found the lock held,")
	if err != nil {
		return err
	}
	st, err := a.openExistingStoreWritable(ctx, cmd, dir)
	if err != nil {
		return err
	}
	defer st.Close()
	if err := st.LockRelease(ctx, args[0]); err != nil {
		return err
	}
	views.NewState(a.streams(), nil).Unlocked(args[0], st.Path())
	return nil
}

func (a *app) stateMigrate(ctx context.Context, cmd *cli.Command) error {
	_, dir, err := argsAndDir(cmd, 0, "")
	if err != nil {
		return err
	}
	st, err := a.openExistingStore(ctx, cmd, dir)
	if err != nil {
		return err
	}
	defer st.Close()
	report, err := st.CopyTo(ctx, cmd.String("to"))
	if err != nil {
		return err
	}
	views.StateMigrated(a.stdout, report)
	return nil
}
