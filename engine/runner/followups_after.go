package runner

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/syncline/syncline/config"
	"github.com/syncline/syncline/engine/scheduler"
	"github.com/syncline/syncline/state"
)

// afterScanLimit bounds how many of a task's newest runs are searched for
// its last run triggered by after.
const afterScanLimit = 500

// afterRuns are the runs of the tasks whose after lists the task of done,
// a run that just succeeded, decided from reads — those of the finish's
// own write transaction (see finish), so that two prerequisites finishing
// at once, in one process or on two nodes, trigger their dependent once. A task T is triggered once every task in its
// after has a succeeded run newer than T's last run triggered by after. A
// run whose mode was overridden (syncline run -mode preview) triggers
// nothing.
func (r *Runner) afterRuns(ctx context.Context, reads state.RunReads, done *state.Run, task *config.Task, now time.Time) ([]state.Run, []int64, error) {
	if config.Mode(done.Mode) != task.Mode {
		return nil, nil, nil
	}
	var (
		runs     []state.Run
		replaced []int64
		errs     []error
	)
	for _, t := range r.Catalog.Dependents(done.Task) {
		run, cancel, ok, err := r.afterRun(ctx, reads, done, t, now)
		if err != nil {
			errs = append(errs, fmt.Errorf("task %s: %w", t.Name, err))
			continue
		}
		if ok {
			runs = append(runs, run)
			replaced = append(replaced, cancel...)
		}
	}
	return runs, replaced, errors.Join(errs...)
}

// afterRun decides whether done completes t's after, and if so the run
// to store: queued, or skipped when t cannot start (suspended, changed
// since apply, concurrency "forbid" with a run still going).
func (r *Runner) afterRun(ctx context.Context, reads state.RunReads, done *state.Run, t *config.Task, now time.Time) (state.Run, []int64, bool, error) {
	if !t.Enabled {
		return state.Run{}, nil, false, nil
	}
	rt, err := reads.TaskRuntime(ctx, t.Name)
	if err != nil || rt.State == state.TaskClosed {
		return state.Run{}, nil, false, err
	}
	ready, err := afterReady(ctx, reads, done, t)
	if err != nil || !ready {
		return state.Run{}, nil, false, err
	}
	run := r.afterTriggered(done, t, now)
	if problem := r.Catalog.Check(t.Name); problem != nil {
		return skip(run, "not started: "+problem.Error()), nil, true, nil
	}
	if rt.State == state.TaskSuspended {
		return skip(run, "not started: the task is suspended"+suspendedBy(rt)), nil, true, nil
	}
	active, err := reads.RunListActive(ctx, t.Name)
	if err != nil || len(active) == 0 {
		return run, nil, err == nil, err
	}
	switch t.Concurrency {
	case config.ConcurrencyAllow:
		return run, nil, true, nil
	case config.ConcurrencyReplace:
		run.Note = fmt.Sprintf("replaces %s (concurrency = replace)", scheduler.DescribeRuns(active))
		ids := make([]int64, len(active))
		for i, a := range active {
			ids[i] = a.ID
		}
		return run, ids, true, nil
	}
	return skip(run, fmt.Sprintf("not started: %s still %s (concurrency = forbid)", scheduler.DescribeRuns(active), scheduler.ActiveVerb(active))), nil, true, nil
}

// afterReady reports whether every task in t's after, other than done's,
// has a succeeded run newer than t's last run triggered by after.
func afterReady(ctx context.Context, reads state.RunReads, done *state.Run, t *config.Task) (bool, error) {
	since, err := lastAfterTrigger(ctx, reads, t.Name)
	if err != nil {
		return false, err
	}
	for _, ref := range t.After {
		if ref.Name == done.Task {
			continue
		}
		last, err := reads.RunLastSucceeded(ctx, ref.Name)
		if err != nil {
			return false, err
		}
		if last == nil || !last.FinishedAt.After(since) {
			return false, nil
		}
	}
	return true, nil
}

// lastAfterTrigger is when task's newest run triggered by after was
// created; zero when it has none. Only the newest afterScanLimit runs are
// searched: when none of them was triggered by after, the oldest of them
// stands in, so upstream successes older than that are not counted.
func lastAfterTrigger(ctx context.Context, reads state.RunReads, task string) (time.Time, error) {
	runs, err := reads.RunList(ctx, state.RunFilter{Task: task, Limit: afterScanLimit})
	if err != nil {
		return time.Time{}, err
	}
	for _, run := range runs {
		if run.Trigger == state.TriggerAfter {
			return run.CreatedAt, nil
		}
	}
	if len(runs) == afterScanLimit {
		return runs[len(runs)-1].CreatedAt, nil
	}
	return time.Time{}, nil
}

func (r *Runner) afterTriggered(done *state.Run, t *config.Task, now time.Time) state.Run {
	return state.Run{
		Task:        t.Name,
		Trigger:     state.TriggerAfter,
		TriggeredBy: fmt.Sprintf("run %d", done.ID),
		Mode:        string(t.Mode),
		Revision:    r.Catalog.Revision(t.Name),
		Serial:      r.Catalog.Serial(),
		State:       state.RunQueued,
		Priority:    t.Priority,
		Exclusive:   t.Concurrency != config.ConcurrencyAllow,
		Attempt:     1,
		ScheduledAt: now,
		CreatedAt:   now,
	}
}

func skip(run state.Run, note string) state.Run {
	run.State, run.FinishedAt, run.Note = state.RunSkipped, run.CreatedAt, note
	return run
}

// suspendedBy says who suspended a task and why: " (by alice: HR freeze)".
func suspendedBy(rt *state.TaskRuntime) string {
	switch {
	case rt.By != "" && rt.Reason != "":
		return fmt.Sprintf(" (by %s: %s)", rt.By, rt.Reason)
	case rt.By != "":
		return " (by " + rt.By + ")"
	case rt.Reason != "":
		return " (" + rt.Reason + ")"
	}
	return ""
}
