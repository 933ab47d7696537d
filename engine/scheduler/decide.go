package scheduler

import (
	"time"

	"github.com/syncline/syncline/config"
	"github.com/syncline/syncline/state"
)

// TaskStatus is what the scheduler knows about one task when it decides:
// its runtime record, its configuration and whether the catalog may run
// it, and its active (queued or running) runs.
type TaskStatus struct {
	Runtime state.TaskRuntime
	// Task is the configured task; nil when the task is not configured.
	Task *config.Task
	// Problem says why the catalog may not run the task; nil when it may.
	Problem  error
	Revision string      // the applied definition's revision
	Active   []state.Run // queued and running runs of the task
}

// DecisionKind says what a Decision does.
type DecisionKind string

const (
	// DecideRecompute sets the next fire time after the schedule changed
	// or was never computed, without firing.
	DecideRecompute DecisionKind = "recompute"
	// DecideClear clears the next fire time of a task that no longer has
	// a schedule (or is disabled).
	DecideClear DecisionKind = "clear"
	// DecideAdvance moves the next fire time of a suspended task past now
	// without recording runs.
	DecideAdvance DecisionKind = "advance"
	// DecideFire records the fire times that came due: queued runs, and
	// skipped ones for misfires and concurrency "forbid".
	DecideFire DecisionKind = "fire"
)

// Decision is what the scheduler does about one task, as data. It is
// carried out by moving the task's next fire time from ExpectNext to
// NewNext and inserting Runs in one atomic step that fails when another
// scheduler moved it first; then Cancel's runs are cancelled.
type Decision struct {
	Task        string
	Kind        DecisionKind
	ExpectNext  time.Time // the NextFireAt the decision was made from
	NewNext     time.Time // zero: no next fire time
	ScheduleKey string
	Runs        []state.Run // queued and skipped runs, oldest first
	Cancel      []int64     // active runs replaced (concurrency "replace")
}

// Policy tunes Decide.
type Policy struct {
	// MisfireTolerance is how late a fire time may be and still count as
	// on time; an older one was missed, and the schedule's misfire policy
	// applies. Default DefaultMisfireTolerance.
	MisfireTolerance time.Duration
	// Serial is the state serial recorded on new runs.
	Serial int64
}

// DefaultMisfireTolerance is Policy's default MisfireTolerance.
const DefaultMisfireTolerance = time.Minute

// Decide is the scheduler's pure core: given the time and every task's
// status, it returns what should happen, and the earliest next fire time
// among the tasks it may fire (zero when none), which is when it wants to
// be asked again. It reads no clock and writes nothing.
func Decide(now time.Time, tasks []TaskStatus, p Policy) ([]Decision, time.Time) {
	if p.MisfireTolerance <= 0 {
		p.MisfireTolerance = DefaultMisfireTolerance
	}
	var out []Decision
	var wake time.Time
	for i := range tasks {
		ts := &tasks[i]
		if d, ok := decideTask(now, ts, p); ok {
			out = append(out, d)
			after := *ts
			after.Runtime.NextFireAt, after.Runtime.ScheduleKey = d.NewNext, d.ScheduleKey
			ts = &after
		}
		if at, ok := dueAt(ts); ok && (wake.IsZero() || at.Before(wake)) {
			wake = at
		}
	}
	return out, wake
}

// schedulable reports whether the scheduler may act on the task at all:
// it is not closed, and the catalog may run it.
func schedulable(ts *TaskStatus) bool {
	return ts.Runtime.State != state.TaskClosed && ts.Task != nil && ts.Problem == nil
}

// dueAt is when the scheduler next has something to decide about the
// task: its next fire time; the zero time when its next fire time must be
// computed, recomputed or cleared at once; ok is false when never (a
// task it may not run, or one without a schedule and nothing to clear).
func dueAt(ts *TaskStatus) (at time.Time, ok bool) {
	if !schedulable(ts) {
		return time.Time{}, false
	}
	rt := ts.Runtime
	s, key := taskSchedule(ts.Task), ScheduleKey(ts.Task)
	switch {
	case s == nil && rt.NextFireAt.IsZero() && rt.ScheduleKey == "":
		return time.Time{}, false
	case s == nil || rt.NextFireAt.IsZero() || key != rt.ScheduleKey:
		return time.Time{}, true
	}
	return rt.NextFireAt, true
}

// decideTask decides about one task; false means nothing to do. A task
// the catalog may not run (not applied, changed since apply) is left as
// it is: its next fire time stays, and once it runs again the fire times
// it missed meanwhile go through its misfire policy.
func decideTask(now time.Time, ts *TaskStatus, p Policy) (Decision, bool) {
	at, ok := dueAt(ts)
	if !ok || at.After(now) {
		return Decision{}, false
	}
	rt := ts.Runtime
	s, key := taskSchedule(ts.Task), ScheduleKey(ts.Task)
	d := Decision{Task: rt.Task, ExpectNext: rt.NextFireAt, ScheduleKey: key}
	switch {
	case s == nil:
		d.Kind = DecideClear
		return d, true
	case rt.NextFireAt.IsZero() || key != rt.ScheduleKey:
		d.Kind, d.NewNext = DecideRecompute, s.Next(now)
		return d, true
	}
	from := firstFireSince(s, rt.NextFireAt, rt.Since)
	if rt.State == state.TaskSuspended || from.After(now) {
		d.Kind, d.NewNext = DecideAdvance, fireTimesDue(s, from, now, 0).next
		return d, true
	}
	return fire(now, ts, s, from, p, d), true
}

// firstFireSince returns the first fire time of s, on the grid that runs
// through next, that is not before since: fire times that fell before the
// task last became active (while it was suspended, say) are not caught up.
func firstFireSince(s *config.Schedule, next, since time.Time) time.Time {
	if !since.After(next) {
		return next
	}
	if s.Every > 0 {
		k := (since.Sub(next) + s.Every - 1) / s.Every
		return next.Add(k * s.Every)
	}
	return s.Next(since.Add(-time.Nanosecond))
}
