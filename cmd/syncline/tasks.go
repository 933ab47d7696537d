package main

import (
	"context"

	"github.com/syncline/syncline/internal/views"
	"github.com/syncline/syncline/state"
	"github.com/urfave/cli/v3"
)

func (a *app) tasksCommand() *cli.Command {
	return &cli.Command{
		Name:      "tasks",
		Usage:     "list tasks with their state, schedule and last run; suspend and resume them",
		UsageText: "syncline tasks [-state PATH] [DIR]\nsyncline tasks show|suspend|resume NAME [DIR]",
		Description: `Lists the applied tasks: their state (active, suspended or closed), schedule,
next and last run, and the last result. Reads the state store of the
configuration in DIR (default: the current directory; only its syncline
block is read), or -state. A task is named as NAME or task.NAME.`,
		Flags:  []cli.Flag{stateFlag()},
		Action: a.tasksList,
		Commands: []*cli.Command{
			{
				Name: "show", Usage: "show one task: definition, runtime and recent runs",
				UsageText: "syncline tasks show [-state PATH] NAME [DIR]",
				Flags:     []cli.Flag{stateFlag()}, Action: a.tasksShow,
			},
			{
				Name: "suspend", Usage: "stop a task from being run until it is resumed",
				UsageText: "syncline tasks suspend [-state PATH] -reason TEXT NAME [DIR]",
				Description: `Suspends an active task: the scheduler stops firing it and manual runs are
refused, until "syncline tasks resume NAME". Runs already going continue.
While the configuration says enabled = true, plan reports the suspension as
drift, with who suspended it and why.`,
				Flags: []cli.Flag{stateFlag(),
					&cli.StringFlag{Name: "reason", Usage: "why, for the record (`TEXT`, required)", Required: true}},
				Action: a.tasksSuspend,
			},
			{
				Name: "resume", Usage: "resume a suspended task",
				UsageText: "syncline tasks resume [-state PATH] NAME [DIR]",
				Flags:     []cli.Flag{stateFlag()}, Action: a.tasksResume,
			},
		},
	}
}

func (a *app) tasksList(ctx context.Context, cmd *cli.Command) error {
	dir := "."
	switch arg := cmd.Args().First(); {
	case cmd.NArg() > 1:
		return newUsageError(cmd, "expected at most one configuration directory")
	case arg != "" && !isDir(arg):
		return newUsageError(cmd, "%q is not a directory; to show a task, run syncline tasks show %s", arg, arg)
	case arg != "":
		dir = arg
	}
	st, err := a.openExistingStore(ctx, cmd, dir)
	if err != nil {
		return err
	}
	defer st.Close()
	list, err := a.readTaskList(ctx, st)
	if err != nil {
		return err
	}
	views.NewTasks(a.streams()).List(*list)
	return nil
}

// readTaskList reads what the tasks table shows.
func (a *app) readTaskList(ctx context.Context, st *state.Store) (*views.TaskList, error) {
	snap, err := st.Snapshot(ctx)
	if err != nil {
		return nil, err
	}
	runtime, err := st.TaskRuntimes(ctx)
	if err != nil {
		return nil, err
	}
	last, err := st.RunLatestByTask(ctx)
	if err != nil {
		return nil, err
	}
	return &views.TaskList{Snapshot: snap, Runtime: runtime, Last: last, Now: a.clock().Now()}, nil
}

func (a *app) tasksShow(ctx context.Context, cmd *cli.Command) error {
	return a.onTask(ctx, cmd, true, func(st *state.Store, name string) error {
		list, err := a.readTaskList(ctx, st)
		if err != nil {
			return err
		}
		rt, err := st.TaskRuntime(ctx, name)
		if err != nil {
			return err
		}
		if list.Tokens, err = st.SyncTokens(ctx, name); err != nil {
			return err
		}
		runs, err := st.RunList(ctx, state.RunFilter{Task: name, Limit: 10})
		if err != nil {
			return err
		}
		views.NewTasks(a.streams()).Show(*list, rt, runs)
		return nil
	})
}

func (a *app) tasksSuspend(ctx context.Context, cmd *cli.Command) error {
	return a.onTask(ctx, cmd, false, func(st *state.Store, name string) error {
		if err := st.TaskSuspend(ctx, name, cmd.String("reason"), state.OSUser()); err != nil {
			return err
		}
		views.NewTasks(a.streams()).Suspended(name)
		return nil
	})
}

func (a *app) tasksResume(ctx context.Context, cmd *cli.Command) error {
	return a.onTask(ctx, cmd, false, func(st *state.Store, name string) error {
		if err := st.TaskResume(ctx, name, state.OSUser()); err != nil {
			return err
		}
		views.NewTasks(a.streams()).Resumed(name)
		return nil
	})
}

// onTask opens the existing store (read-only when asked) and runs fn on
// the task named by the command's single argument.
func (a *app) onTask(ctx context.Context, cmd *cli.Command, readOnly bool, fn func(*state.Store, string) error) error {
	args, dir, err := argsAndDir(cmd, 1, "one task NAME")
	if err != nil {
		return err
	}
	name := taskName(args[0])
	st, err := a.openExisting(ctx, cmd, dir, readOnly)
	if err != nil {
		return err
	}
	defer st.Close()
	return fn(st, name)
}
