package runner

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/syncline/syncline/config"
	"github.com/syncline/syncline/state"
)

// retryFollowUps are the runs a finished run leads to that need nothing
// read from the store: the retry of a failed run, when its task's retry
// block allows another.
func retryFollowUps(done *state.Run, task *config.Task, now time.Time) []state.Run {
	if task == nil || done.State != state.RunFailed {
		return nil
	}
	if retry, ok := retryRun(done, task, now); ok {
		return []state.Run{retry}
	}
	return nil
}

// afterDecision is what finish hands the store to decide, inside the
// finish's write transaction, the runs of the tasks whose after done
// completes; replaced receives the active runs those replace, to cancel
// once they are stored (concurrency "replace"). Nil when done can
// trigger nothing. Its errors are afterErrors.
func (r *Runner) afterDecision(done *state.Run, task *config.Task, now time.Time, replaced *[]int64) state.DecideFollowUps {
	if task == nil || done.State != state.RunSucceeded || len(r.Catalog.Dependents(done.Task)) == 0 {
		return nil
	}
	return func(ctx context.Context, reads state.RunReads, _ *state.Run) ([]state.Run, error) {
		runs, ids, err := r.afterRuns(ctx, reads, done, task, now)
		if err != nil {
			return nil, &afterError{err}
		}
		*replaced = ids
		return runs, nil
	}
}

// afterError is a failure to decide a finished run's after triggers.
type afterError struct{ err error }

func (e *afterError) Error() string { return "deciding the runs triggered by after: " + e.err.Error() }
func (e *afterError) Unwrap() error { return e.err }

// retryRun is the retry of a failed run, when the task's retry block
// allows another: attempts counts the retries after the first run, so
// attempts = 3 allows four runs in all. The first retry waits backoff,
// each later one twice as long as the one before, at most max_backoff.
func retryRun(done *state.Run, task *config.Task, now time.Time) (state.Run, bool) {
	rt := task.Retry
	if rt == nil || done.Attempt > rt.Attempts {
		return state.Run{}, false
	}
	delay := Backoff(rt, done.Attempt)
	return state.Run{
		Task:        done.Task,
		Trigger:     state.TriggerRetry,
		TriggeredBy: fmt.Sprintf("run %d", done.ID),
		Mode:        done.Mode,
		Revision:    done.Revision,
		Serial:      done.Serial,
		State:       state.RunQueued,
		Priority:    task.Priority,
		Exclusive:   task.Concurrency != config.ConcurrencyAllow,
		Attempt:     done.Attempt + 1,
		RetryOf:     done.ID,
		ScheduledAt: now.Add(delay),
		CreatedAt:   now,
		Note:        fmt.Sprintf("retry %d of %d, %s after run %d failed", done.Attempt, rt.Attempts, config.DescribeDuration(delay), done.ID),
	}, true
}

// Backoff is how long the retry after the given attempt waits: backoff,
// doubled for each earlier retry, never more than max_backoff.
func Backoff(rt *config.Retry, attempt int) time.Duration {
	d := rt.Backoff
	for i := 1; i < attempt && d < rt.MaxBackoff; i++ {
		d *= 2
	}
	return min(d, rt.MaxBackoff)
}

// recoveryRun re-queues an interrupted run at once, with the same attempt
// and its checkpoint, so it resumes where it got to.
func recoveryRun(interrupted *state.Run, now time.Time) state.Run {
	return state.Run{
		Task:        interrupted.Task,
		Trigger:     state.TriggerRecovery,
		TriggeredBy: fmt.Sprintf("run %d", interrupted.ID),
		Mode:        interrupted.Mode,
		Revision:    interrupted.Revision,
		Serial:      interrupted.Serial,
		State:       state.RunQueued,
		Priority:    interrupted.Priority,
		Exclusive:   interrupted.Exclusive,
		Attempt:     interrupted.Attempt,
		RetryOf:     interrupted.ID,
		ScheduledAt: now,
		CreatedAt:   now,
		Checkpoint:  interrupted.Checkpoint,
		Note:        fmt.Sprintf("recovers run %d, which was interrupted", interrupted.ID),
	}
}

// cancelReplaced cancels the runs a follow-up replaced.
func (r *Runner) cancelReplaced(ctx context.Context, ids []int64, by *state.Run) {
	for _, id := range ids {
		_, err := r.Store.RunCancel(ctx, id, fmt.Sprintf("a run triggered by run %d (concurrency = replace)", by.ID), r.Clock.Now())
		var rs *state.RunStateError
		if err != nil && !errors.As(err, &rs) {
			r.Logger.Warn("cancelling a replaced run failed", "run", id, "error", err)
		}
	}
}
