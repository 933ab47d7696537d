package state

import (
	"encoding/json"
	"time"
)

// TaskState is where a task is in its lifecycle. A task's runtime row is
// created by the apply that first stores the task.
type TaskState string

const (
	// TaskActive: the scheduler fires it. Moved out by suspend (a person)
	// or by the apply that removes the task from the configuration.
	TaskActive TaskState = "active"
	// TaskSuspended: kept, not fired; manual runs are refused. Moved out by
	// resume (a person) or by the apply that removes the task.
	TaskSuspended TaskState = "suspended"
	// TaskClosed: removed from the configuration; its runs are kept. Moved
	// out only by an apply that stores the task again (back to active).
	TaskClosed TaskState = "closed"
)

// TaskRuntime is a task's runtime record, beside its applied definition.
type TaskRuntime struct {
	Task  string
	State TaskState
	// Reason and By say why and by whom the task was suspended (or closed,
	// By being the applier); Since is when State last changed.
	Reason string
	By     string
	Since  time.Time
	// NextFireAt is the next time the task's schedule fires; zero when the
	// task has no schedule or it has not been computed yet. ScheduleKey is
	// the canonical timing NextFireAt was computed for: when the applied
	// schedule changes, the scheduler recomputes.
	NextFireAt  time.Time
	ScheduleKey string
	UpdatedAt   time.Time
}

// RunState is where a run is. Final states never change again.
type RunState string

const (
	// RunQueued: waiting for a worker; moved out by a claim (running), a
	// cancel (cancelled), or a replace (cancelled).
	RunQueued RunState = "queued"
	// RunRunning: a worker holds it and heartbeats; moved out by that
	// worker finishing it, or by recovery (interrupted) when the worker is
	// gone.
	RunRunning RunState = "running"
	// RunSucceeded: every activity finished without item errors. Final.
	RunSucceeded RunState = "succeeded"
	// RunPartial: finished, with item errors. Final.
	RunPartial RunState = "partial"
	// RunFailed: an activity failed, a threshold stopped it, or the timeout
	// expired. Final.
	RunFailed RunState = "failed"
	// RunCancelled: cancelled by a person or replaced by a newer run. Final.
	RunCancelled RunState = "cancelled"
	// RunInterrupted: its worker died; recovery marks it so and queues a
	// follow-up run per the task's policy. Final.
	RunInterrupted RunState = "interrupted"
	// RunSkipped: was due but not started — concurrency "forbid" with a run
	// still going, or a misfire policy of "skip". Recorded so nothing is
	// lost silently. Final.
	RunSkipped RunState = "skipped"
)

// Final reports whether the state never changes again.
func (s RunState) Final() bool {
	return s != RunQueued && s != RunRunning
}

// Trigger says what created a run.
type Trigger string

const (
	TriggerSchedule Trigger = "schedule" // a cron or every fire time
	TriggerManual   Trigger = "manual"   // syncline run
	TriggerAfter    Trigger = "after"    // the tasks in after succeeded
	TriggerRetry    Trigger = "retry"    // retry of a failed run
	TriggerRecovery Trigger = "recovery" // re-run of an interrupted run
)

// Run is one execution of a task.
type Run struct {
	ID          int64
	Task        string
	Trigger     Trigger
	TriggeredBy string // a user, "run 12", or the fire time
	Mode        string // full, preview or dry_run
	Revision    string // config revision of the definitions it ran under
	Serial      int64  // state serial when the run was created
	State       RunState
	Priority    int // higher is claimed first
	// Exclusive runs (concurrency "forbid" and "replace") are not claimed
	// while another run of the same task is running.
	Exclusive bool
	Attempt   int   // 1 for a first run; retries count up
	RetryOf   int64 // the run this one retries or recovers, or 0
	// ScheduledAt is when the run becomes claimable.
	ScheduledAt time.Time
	CreatedAt   time.Time
	StartedAt   time.Time
	FinishedAt  time.Time
	// Deadline is when the run is cancelled for its timeout; zero: none.
	Deadline        time.Time
	ClaimedBy       string // worker ID: "host:pid:n"
	HeartbeatAt     time.Time
	CancelRequested bool
	Error           string
	Note            string // e.g. why it was skipped
	Activities      []ActivityResult
	// Checkpoint is opaque to the store: an activity records where it got
	// to, so a recovery run resumes instead of starting over.
	Checkpoint json.RawMessage
}

// ActivityResult is one activity's progress and outcome within a run.
type ActivityResult struct {
	Name       string           `json:"name"`
	Type       string           `json:"type"`
	State      RunState         `json:"state"`
	StartedAt  time.Time        `json:"started_at,omitzero"`
	FinishedAt time.Time        `json:"finished_at,omitzero"`
	Total      int64            `json:"total"` // -1 while unknown
	Success    int64            `json:"success"`
	Failure    int64            `json:"failure"`
	Skipped    int64            `json:"skipped"`
	Statistics map[string]int64 `json:"statistics,omitempty"`
	Errors     []ItemError      `json:"errors,omitempty"` // at most MaxItemErrors kept
	// Output holds activity-specific results, e.g. for exec: command,
	// exit_code, duration, stdout_tail, stderr_tail.
	Output map[string]string `json:"output,omitempty"`
	// Stages are a reconciliation's sub-activities, each counted on its
	// own (the activity's counts are their sums).
	Stages []StageResult `json:"stages,omitempty"`
}

// StageResult is how one stage (sub-activity) of an activity went.
type StageResult struct {
	Name       string           `json:"name"`
	State      RunState         `json:"state"`
	StartedAt  time.Time        `json:"started_at,omitzero"`
	FinishedAt time.Time        `json:"finished_at,omitzero"`
	Total      int64            `json:"total"` // -1 while unknown
	Success    int64            `json:"success"`
	Failure    int64            `json:"failure"`
	Skipped    int64            `json:"skipped"`
	Statistics map[string]int64 `json:"statistics,omitempty"`
	Error      string           `json:"error,omitempty"`
}

// ItemError is one failed item of an activity.
type ItemError struct {
	Item    string `json:"item"`
	Message string `json:"message"`
	// Category says what kind of error it is: "mapping", "correlation",
	// "resource", "repository" or "object" for synchronization; "" for
	// activities that do not categorize.
	Category string `json:"category,omitempty"`
	// Stage names the stage the error happened in, or "".
	Stage string `json:"stage,omitempty"`
}

// MaxItemErrors bounds the item errors kept per activity; Failure still
// counts them all.
const MaxItemErrors = 100

// RunFilter selects runs for listing.
type RunFilter struct {
	Task  string     // "" for every task
	State []RunState // empty for every state
	Limit int        // <= 0: no limit
}
