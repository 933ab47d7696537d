package main

import (
	"context"
	"fmt"
	"io"
	"text/tabwriter"
	"time"

	"github.com/syncline/syncline/config"
	"github.com/syncline/syncline/internal/views"
	"github.com/syncline/syncline/planner"
	"github.com/syncline/syncline/state"
	"github.com/urfave/cli/v3"
)

func (a *app) tasksCommand() *cli.Command {
	return &cli.Command{
		Name:      "tasks",
		Usage:     "list tasks with their state, schedule and last run; suspend and resume them",
		UsageText: "syncline tasks [-state PATH]\nsyncline tasks show|suspend|resume NAME",
		Description: `Lists the applied tasks: their state (active, suspended or closed), schedule,
next and last run, and the last result. Reads the state store of the
configuration in the current directory, or -state.`,
		Flags:  []cli.Flag{stateFlag()},
		Action: a.tasksList,
		Commands: []*cli.Command{
			{
				Name: "show", Usage: "show one task: definition, runtime and recent runs",
				UsageText: "syncline tasks show [-state PATH] NAME",
				Flags:     []cli.Flag{stateFlag()}, Action: a.tasksShow,
			},
			{
				Name: "suspend", Usage: "stop a task from being run until it is resumed",
				UsageText: "syncline tasks suspend [-state PATH] -reason TEXT NAME",
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
				UsageText: "syncline tasks resume [-state PATH] NAME",
				Flags:     []cli.Flag{stateFlag()}, Action: a.tasksResume,
			},
		},
	}
}

func (a *app) tasksList(ctx context.Context, cmd *cli.Command) error {
	if cmd.NArg() > 0 {
		return newUsageError(cmd, "unexpected argument %q; did you mean syncline tasks show %s?", cmd.Args().First(), cmd.Args().First())
	}
	st, err := a.openExistingStore(ctx, cmd)
	if err != nil {
		return err
	}
	defer st.Close()
	view, err := readTasksView(ctx, st)
	if err != nil {
		return err
	}
	if len(view.runtime) == 0 {
		fmt.Fprintln(a.stdout, "No tasks have been applied yet. Run syncline apply first.")
		return nil
	}
	view.writeTable(a.stdout)
	return nil
}

// tasksView is what the tasks table shows, read in one go.
type tasksView struct {
	snap    *state.Snapshot
	runtime []state.TaskRuntime
	last    map[string]state.Run
}

func readTasksView(ctx context.Context, st *state.Store) (*tasksView, error) {
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
	return &tasksView{snap: snap, runtime: runtime, last: last}, nil
}

func (v *tasksView) writeTable(w io.Writer) {
	tw := tabwriter.NewWriter(w, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "NAME\tSTATE\tSCHEDULE\tNEXT RUN\tLAST RUN\tLAST RESULT")
	for _, rt := range v.runtime {
		last, hasLast := v.last[rt.Task]
		lastAt, lastResult := "-", "-"
		if hasLast {
			lastAt, lastResult = views.FormatTime(firstNonZero(last.StartedAt, last.CreatedAt)), fmt.Sprintf("%s (run %d)", last.State, last.ID)
		}
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\t%s\n", rt.Task, rt.State, v.schedule(rt.Task), v.nextRun(rt), lastAt, lastResult)
	}
	tw.Flush()
}

// schedule describes a task's applied schedule.
func (v *tasksView) schedule(task string) string {
	def := v.snap.Definitions[config.KindTask+"."+task]
	if def == nil {
		return "-"
	}
	if def.Spec["enabled"] == "false" {
		return "disabled"
	}
	if s, ok := planner.StoredTaskSchedule(def, v.snap.Definitions); ok {
		return s.Describe()
	}
	if def.Spec["after"] != "" && def.Spec["after"] != "[]" {
		return "after " + def.Spec["after"]
	}
	return "manual"
}

func (v *tasksView) nextRun(rt state.TaskRuntime) string {
	if rt.State != state.TaskActive {
		return "-"
	}
	if !rt.NextFireAt.IsZero() {
		return views.FormatTime(rt.NextFireAt)
	}
	// No serve has scheduled it yet: show when it would fire.
	def := v.snap.Definitions[config.KindTask+"."+rt.Task]
	if def == nil {
		return "-"
	}
	if s, ok := planner.StoredTaskSchedule(def, v.snap.Definitions); ok {
		return views.FormatTime(s.Next(time.Now())) + " (once serve runs)"
	}
	return "-"
}

func firstNonZero(ts ...time.Time) time.Time {
	for _, t := range ts {
		if !t.IsZero() {
			return t
		}
	}
	return time.Time{}
}

func (a *app) tasksShow(ctx context.Context, cmd *cli.Command) error {
	return a.onTask(ctx, cmd, true, func(st *state.Store, name string) error {
		view, err := readTasksView(ctx, st)
		if err != nil {
			return err
		}
		rt, err := st.TaskRuntime(ctx, name)
		if err != nil {
			return err
		}
		runs, err := st.RunList(ctx, state.RunFilter{Task: name, Limit: 10})
		if err != nil {
			return err
		}
		view.writeTask(a.stdout, rt, runs)
		return nil
	})
}

// writeTask shows one task's runtime, applied definition and recent runs.
func (v *tasksView) writeTask(w io.Writer, rt *state.TaskRuntime, runs []state.Run) {
	fmt.Fprintf(w, "task.%s\n  state:     %s", rt.Task, rt.State)
	if rt.State != state.TaskActive {
		fmt.Fprintf(w, " by %s since %s", orUnknownUser(rt.By), views.FormatTime(rt.Since))
		if rt.Reason != "" {
			fmt.Fprintf(w, " (%s)", rt.Reason)
		}
	}
	fmt.Fprintf(w, "\n  schedule:  %s\n  next run:  %s\n", v.schedule(rt.Task), v.nextRun(*rt))
	if def := v.snap.Definitions[config.KindTask+"."+rt.Task]; def != nil {
		fmt.Fprintf(w, "  mode:      %s\n  source:    %s:%d\n", specString(def.Spec["mode"]), def.SourceFile, def.SourceLine)
	}
	fmt.Fprintln(w, "\nRecent runs:")
	views.WriteRunsTable(w, runs)
}

func (a *app) tasksSuspend(ctx context.Context, cmd *cli.Command) error {
	return a.changeTask(ctx, cmd, func(st *state.Store, name string) (string, error) {
		err := st.TaskSuspend(ctx, name, cmd.String("reason"), state.OSUser())
		return fmt.Sprintf("Suspended task.%s. Resume it with: syncline tasks resume %s", name, name), err
	})
}

func (a *app) tasksResume(ctx context.Context, cmd *cli.Command) error {
	return a.changeTask(ctx, cmd, func(st *state.Store, name string) (string, error) {
		return fmt.Sprintf("Resumed task.%s.", name), st.TaskResume(ctx, name, state.OSUser())
	})
}

// changeTask runs change on the task named by the single argument, in the
// existing store, and prints its message when it succeeds.
func (a *app) changeTask(ctx context.Context, cmd *cli.Command, change func(*state.Store, string) (string, error)) error {
	return a.onTask(ctx, cmd, false, func(st *state.Store, name string) error {
		msg, err := change(st, name)
		if err != nil {
			return err
		}
		fmt.Fprintln(a.stdout, msg)
		return nil
	})
}

// onTask opens the existing store (read-only when asked) and runs fn on
// the task named by the command's single argument.
func (a *app) onTask(ctx context.Context, cmd *cli.Command, readOnly bool, fn func(*state.Store, string) error) error {
	name, err := oneName(cmd)
	if err != nil {
		return err
	}
	st, err := a.openExisting(ctx, cmd, readOnly)
	if err != nil {
		return err
	}
	defer st.Close()
	return fn(st, name)
}

func oneName(cmd *cli.Command) (string, error) {
	if cmd.NArg() != 1 {
		return "", newUsageError(cmd, "expected one task NAME")
	}
	return cmd.Args().First(), nil
}

func orUnknownUser(s string) string {
	if s == "" {
		return "someone"
	}
	return s
}

// specString shows a canonical string value without its quotes, and any
// other rendering as it is.
func specString(v string) string {
	if s, ok := planner.Unquote(v); ok {
		return s
	}
	return v
}
