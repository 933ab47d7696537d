package state

import (
	"fmt"
	"strings"
	"time"
)

// UnknownTaskError says the store has no runtime record of a task: no
// apply ever stored it (or it was moved to another name).
type UnknownTaskError struct {
	Task string
}

func (e *UnknownTaskError) Error() string {
	return fmt.Sprintf("there is no task %q in the state", e.Task)
}

// TaskStateError says a task is not in the state an action needs:
// suspending a task that is not active, resuming one that is not
// suspended, running a suspended or closed task.
type TaskStateError struct {
	Task   string
	Action string    // "suspend", "resume", "run", "claim"
	State  TaskState // the task's state
	Want   TaskState // the state the action needs
	// By, Reason and Since are the task's, saying who put it in State.
	By     string
	Reason string
	Since  time.Time
}

func (e *TaskStateError) Error() string {
	var b strings.Builder
	if e.alreadyDone() {
		fmt.Fprintf(&b, "cannot %s task %s: it is already %s", e.Action, e.Task, e.State)
	} else {
		fmt.Fprintf(&b, "cannot %s task %s: it is %s, not %s", e.Action, e.Task, e.State, e.Want)
	}
	if e.State != TaskActive {
		b.WriteString(e.who())
	}
	return b.String()
}

// alreadyDone reports whether the task is already where the action
// would take it.
func (e *TaskStateError) alreadyDone() bool {
	return e.Action == "suspend" && e.State == TaskSuspended || e.Action == "resume" && e.State == TaskActive
}

// who says who put the task in its state and why: " (by alice since
// 2025-03-14T09:26:53Z: HR freeze)".
func (e *TaskStateError) who() string {
	var parts []string
	if e.By != "" {
		parts = append(parts, "by "+e.By)
	}
	if !e.Since.IsZero() {
		parts = append(parts, "since "+e.Since.UTC().Format(time.RFC3339))
	}
	s := strings.Join(parts, " ")
	if e.Reason != "" {
		s = strings.TrimPrefix(s+": "+e.Reason, ": ")
	}
	if s == "" {
		return ""
	}
	return " (" + s + ")"
}

// UnknownRunError says there is no run with an ID.
type UnknownRunError struct {
	ID int64
}

func (e *UnknownRunError) Error() string { return fmt.Sprintf("there is no run %d", e.ID) }

// RunStateError says a run is not in the state an operation needs:
// claiming a run that is not queued (or must wait for a running run of
// its task), a worker reporting on a run it no longer holds, cancelling a
// run that has finished.
type RunStateError struct {
	ID    int64
	State RunState // the run's state
	Want  RunState // the state the operation needs; "" for "not finished"
	// Worker is the worker the operation was for, ClaimedBy the one that
	// holds (or last held) the run.
	Worker    string
	ClaimedBy string
	// BlockedBy is, when the run is queued but exclusive, the running run
	// of the same task it has to wait for.
	BlockedBy int64
}

func (e *RunStateError) Error() string {
	switch {
	case e.BlockedBy != 0:
		return fmt.Sprintf("run %d cannot start yet: run %d of the same task is still running, and the task does not allow overlapping runs",
			e.ID, e.BlockedBy)
	case e.Want == "" && e.State.Final():
		return fmt.Sprintf("run %d has already finished: it is %s", e.ID, e.State)
	case e.Worker != "" && e.State == RunRunning:
		return fmt.Sprintf("run %d is running under worker %s, not %s", e.ID, e.ClaimedBy, e.Worker)
	case e.Worker != "":
		return fmt.Sprintf("run %d is %s, no longer running under worker %s", e.ID, e.State, e.Worker)
	}
	return fmt.Sprintf("run %d is %s, not %s", e.ID, e.State, e.Want)
}

// InvalidRunError says a run or a report on one is malformed, whatever
// the stored state: no task, a state it cannot be created in, a final
// state that is not final, a checkpoint that is not JSON.
type InvalidRunError struct {
	Reason string
}

func (e *InvalidRunError) Error() string { return "invalid run: " + e.Reason }

func invalidRun(format string, args ...any) error {
	return &InvalidRunError{Reason: fmt.Sprintf(format, args...)}
}
