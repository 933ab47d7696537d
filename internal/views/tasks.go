package views

import (
	"fmt"
	"io"
	"text/tabwriter"
	"time"

	"github.com/syncline/syncline/config"
	"github.com/syncline/syncline/planner"
	"github.com/syncline/syncline/state"
)

// Tasks is the view of syncline tasks: the table of tasks, one task in
// detail, and what suspend and resume did.
type Tasks interface {
	// List shows a row per task, or how to get tasks when there are none.
	List(t TaskList)
	// Show shows one task's runtime, applied definition and recent runs.
	Show(t TaskList, rt *state.TaskRuntime, runs []state.Run)
	// Suspended says the task is suspended and how to resume it.
	Suspended(name string)
	// Resumed says the task is resumed.
	Resumed(name string)
}

// TaskList is what the tasks table shows, read in one go: the applied
// definitions, each task's runtime and latest run, and the time now, from
// which a task no serve has scheduled yet would first fire.
type TaskList struct {
	Snapshot *state.Snapshot
	Runtime  []state.TaskRuntime
	Last     map[string]state.Run
	Now      time.Time
	// Tokens are where the live syncs of the task shown stand.
	Tokens []state.SyncToken
}

var _ Tasks = (*TasksHuman)(nil)

// NewTasks returns the text view of tasks.
func NewTasks(s Streams) Tasks {
	return &TasksHuman{streams: s}
}

// TasksHuman is the text view of tasks.
type TasksHuman struct {
	streams Streams
}

// List writes the table of tasks: name, state, schedule, next and last
// run, last result.
func (v *TasksHuman) List(t TaskList) {
	w := v.streams.Stdout
	if len(t.Runtime) == 0 {
		fmt.Fprintln(w, "No tasks have been applied yet. Run syncline apply first.")
		return
	}
	tw := tabwriter.NewWriter(w, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "NAME\tSTATE\tSCHEDULE\tNEXT RUN\tLAST RUN\tLAST RESULT")
	for _, rt := range t.Runtime {
		last, hasLast := t.Last[rt.Task]
		lastAt, lastResult := "-", "-"
		if hasLast {
			lastAt, lastResult = FormatTime(firstNonZero(last.StartedAt, last.CreatedAt)), fmt.Sprintf("%s (run %d)", last.State, last.ID)
		}
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\t%s\n", rt.Task, rt.State, t.schedule(rt.Task), t.nextRun(rt), lastAt, lastResult)
	}
	tw.Flush()
}

// Show writes one task's runtime, applied definition and recent runs.
func (v *TasksHuman) Show(t TaskList, rt *state.TaskRuntime, runs []state.Run) {
	w := v.streams.Stdout
	fmt.Fprintf(w, "task.%s\n  state:     %s", rt.Task, rt.State)
	if rt.State != state.TaskActive {
		fmt.Fprintf(w, " by %s since %s", orUnknownUser(rt.By), FormatTime(rt.Since))
		if rt.Reason != "" {
			fmt.Fprintf(w, " (%s)", rt.Reason)
		}
	}
	fmt.Fprintf(w, "\n  schedule:  %s\n  next run:  %s\n", t.schedule(rt.Task), t.nextRun(*rt))
	if def := t.Snapshot.Definitions[config.KindTask+"."+rt.Task]; def != nil {
		fmt.Fprintf(w, "  mode:      %s\n  source:    %s:%d\n", specString(def.Spec["mode"]), def.SourceFile, def.SourceLine)
	}
	for _, tok := range t.Tokens {
		fmt.Fprintf(w, "  live sync: %s on %s/%s/%s at %s — %d %s taken, moved by run %d at %s\n",
			tok.Activity, tok.Resource, tok.Kind, tok.Intent, printable(tok.Token, 80), tok.Changes, Plural("change", int(tok.Changes)), tok.RunID, FormatTime(tok.UpdatedAt))
	}
	for _, r := range runs {
		if r.State == state.RunRunning {
			writeConsuming(w, r)
		}
	}
	fmt.Fprintln(w, "\nRecent runs:")
	WriteRunsTable(w, runs)
}

// writeConsuming writes where the async_update activities of running run
// r stand: messages taken, rate and the last message's time.
func writeConsuming(w io.Writer, r state.Run) {
	for _, a := range r.Activities {
		if a.Type != config.ActivityAsyncUpdate || a.Output["messages"] == "" {
			continue
		}
		fmt.Fprintf(w, "  consuming: run %d, %s: %s messages", r.ID, a.Name, a.Output["messages"])
		if rate := a.Output["rate"]; rate != "" {
			fmt.Fprintf(w, ", %s over the last minute", rate)
		}
		if at, err := time.Parse(time.RFC3339, a.Output["last_message"]); err == nil {
			fmt.Fprintf(w, ", the last at %s", at.UTC().Format("2006-01-02 15:04:05 UTC"))
		}
		fmt.Fprintln(w)
	}
}

// Suspended writes "Suspended task.NAME." and how to resume it.
func (v *TasksHuman) Suspended(name string) {
	fmt.Fprintf(v.streams.Stdout, "Suspended task.%s. Resume it with: syncline tasks resume %s\n", name, name)
}

// Resumed writes "Resumed task.NAME."
func (v *TasksHuman) Resumed(name string) {
	fmt.Fprintf(v.streams.Stdout, "Resumed task.%s.\n", name)
}

// schedule describes a task's applied schedule.
func (t TaskList) schedule(task string) string {
	def := t.Snapshot.Definitions[config.KindTask+"."+task]
	if def == nil {
		return "-"
	}
	if def.Spec["enabled"] == "false" {
		return "disabled"
	}
	if s, ok := planner.StoredTaskSchedule(def, t.Snapshot.Definitions); ok {
		return s.Describe()
	}
	if def.Spec["after"] != "" && def.Spec["after"] != "[]" {
		return "after " + def.Spec["after"]
	}
	return "manual"
}

func (t TaskList) nextRun(rt state.TaskRuntime) string {
	if rt.State != state.TaskActive {
		return "-"
	}
	// A cron schedule's times are shown in its time zone.
	var s *config.Schedule
	if def := t.Snapshot.Definitions[config.KindTask+"."+rt.Task]; def != nil {
		s, _ = planner.StoredTaskSchedule(def, t.Snapshot.Definitions)
	}
	var loc *time.Location
	if s != nil {
		loc = s.Location
	}
	switch {
	case !rt.NextFireAt.IsZero():
		return FormatTimeIn(rt.NextFireAt, loc)
	case s != nil:
		// No serve has scheduled it yet: show when it would fire.
		return FormatTimeIn(s.Next(t.Now), loc) + " (once serve runs)"
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
