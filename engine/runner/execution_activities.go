package runner

import (
	"context"
	"errors"
	"fmt"

	"github.com/syncline/syncline/config"
	"github.com/syncline/syncline/engine/activity"
	"github.com/syncline/syncline/state"
)

// runActivities runs the task's activities in order. One that fails, or
// is stopped, ends the run: the ones after it are recorded skipped. An
// activity the interrupted run this one recovers already finished is not
// run again.
func (ex *execution) runActivities(ctx context.Context) {
	for i, a := range ex.task.Activities {
		if ctx.Err() != nil {
			ex.skipFrom(i)
			return
		}
		if ex.resumed(i, a) {
			continue
		}
		ex.runActivity(ctx, i, a)
		if i < len(ex.task.Activities)-1 {
			ex.flush(true) // a boundary; after the last one, the finish records it
		}
		if st := ex.activityState(i); st != state.RunSucceeded && st != state.RunPartial {
			ex.skipFrom(i + 1)
			return
		}
	}
}

// resumed marks activity i finished when the checkpoint of the run this
// one recovers says it finished there.
func (ex *execution) resumed(i int, a *config.Activity) bool {
	ex.mu.Lock()
	defer ex.mu.Unlock()
	d, ok := ex.ckpt.done(a.Name)
	if !ok {
		return false
	}
	res := &ex.run.Activities[i]
	res.State = d.State
	res.Total = 0
	res.Output = map[string]string{"resumed": fmt.Sprintf("finished in run %d before it was interrupted", d.Run)}
	return true
}

// skipFrom records the activities from i on that have not run as
// skipped.
func (ex *execution) skipFrom(i int) {
	ex.mu.Lock()
	defer ex.mu.Unlock()
	for j := i; j < len(ex.run.Activities); j++ {
		if ex.run.Activities[j].State == state.RunQueued {
			ex.run.Activities[j].State = state.RunSkipped
		}
	}
	ex.dirty = true
}

func (ex *execution) activityState(i int) state.RunState {
	ex.mu.Lock()
	defer ex.mu.Unlock()
	return ex.run.Activities[i].State
}

// runActivity runs activity i and records how it ended.
func (ex *execution) runActivity(ctx context.Context, i int, a *config.Activity) {
	r := ex.r
	ex.mu.Lock()
	res := &ex.run.Activities[i]
	res.State, res.StartedAt = state.RunRunning, r.Clock.Now()
	mode := config.Mode(ex.run.Mode)
	ex.dirty = true
	ex.mu.Unlock()
	ex.flushSoon()
	ac := activity.NewContext(activity.Context{
		RunID: ex.run.ID, Task: ex.task, Activity: a, Config: r.Catalog.Config(), Dir: r.Catalog.Dir(),
		Mode: mode, Store: r.Store, Clock: r.Clock,
		Log: r.Logger.With("run", ex.run.ID, "task", ex.task.Name, "activity", a.Name),
	}, activityProgress{ex: ex, i: i, name: a.Name})
	err := safeRun(ctx, r.Activities[a.Type], ac)
	ex.endActivity(ctx, i, a, err)
}

// safeRun runs impl, turning a panic into the activity's error.
func safeRun(ctx context.Context, impl activity.Activity, ac *activity.Context) (err error) {
	if impl == nil {
		return fmt.Errorf("the %s activity is not available in this version yet", ac.Activity.Type)
	}
	defer func() {
		if p := recover(); p != nil {
			err = fmt.Errorf("the %s activity panicked: %v", ac.Activity.Type, p)
		}
	}()
	return impl.Run(ctx, ac)
}

// endActivity records activity i's state: an error while the run was
// being stopped is the stop's (cancelled, or failed for the timeout); any
// other error fails the activity and the run; item failures make it
// partial.
func (ex *execution) endActivity(ctx context.Context, i int, a *config.Activity, err error) {
	ex.mu.Lock()
	defer ex.mu.Unlock()
	res := &ex.run.Activities[i]
	res.FinishedAt = ex.r.Clock.Now()
	ex.dirty = true
	var cause error
	if ctx.Err() != nil {
		cause = context.Cause(ctx)
	}
	switch {
	case err != nil && cause != nil:
		res.State = state.RunCancelled
		if errors.Is(cause, errTimedOut) {
			res.State = state.RunFailed
		}
		setOutput(res, "error", stopMessage(cause, ex.task))
		return
	case err != nil:
		res.State = state.RunFailed
		setOutput(res, "error", err.Error())
		ex.failure = fmt.Sprintf("activity %q failed: %s", a.Name, err)
		return
	case res.Failure > 0:
		res.State = state.RunPartial
	default:
		res.State = state.RunSucceeded
	}
	ex.ckpt.Done = append(ex.ckpt.Done, doneActivity{Name: a.Name, State: res.State, Run: ex.run.ID})
	ex.ckpt.Activity, ex.ckpt.Data, ex.ckptSet = "", nil, true
}

// stopMessage says why an activity was stopped.
func stopMessage(cause error, task *config.Task) string {
	switch {
	case errors.Is(cause, errTimedOut):
		return "stopped: the task timed out after " + config.DescribeDuration(task.Timeout)
	case errors.Is(cause, ErrShutdown):
		return "stopped: " + ErrShutdown.Error()
	case errors.Is(cause, errCancelRequested):
		return "stopped: the run was cancelled"
	}
	return "stopped: " + cause.Error()
}

func setOutput(res *state.ActivityResult, key, value string) {
	if res.Output == nil {
		res.Output = map[string]string{}
	}
	res.Output[key] = value
}
