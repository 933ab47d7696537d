package runner

import (
	"context"
	"encoding/json"
	"maps"
	"slices"
	"sync"
	"time"

	"github.com/syncline/syncline/config"
	"github.com/syncline/syncline/state"
)

// execution is one run being executed: the working copy of the run, its
// checkpoint, and what is owed to the store.
type execution struct {
	r        *Runner
	ctx      context.Context // for the store: not cancelled with the run
	progress func(*state.Run)
	task     *config.Task
	cancel   context.CancelCauseFunc

	reportMu sync.Mutex // one progress callback at a time

	mu       sync.Mutex // guards the fields below
	run      state.Run
	ckpt     checkpoint
	dirty    bool      // progress not yet written
	ckptSet  bool      // checkpoint changed since written
	lastSave time.Time // when progress was last written
	failure  string    // why an activity failed
}

func newExecution(r *Runner, run *state.Run, progress func(*state.Run), ctx context.Context) *execution {
	return &execution{r: r, ctx: ctx, progress: progress, run: *run, ckpt: parseCheckpoint(run.Checkpoint),
		lastSave: r.Clock.Now()}
}

// start prepares the activities' results and the deadline.
func (ex *execution) start(task *config.Task) {
	ex.task = task
	ex.mu.Lock()
	defer ex.mu.Unlock()
	ex.run.Activities = make([]state.ActivityResult, len(task.Activities))
	for i, a := range task.Activities {
		ex.run.Activities[i] = state.ActivityResult{Name: a.Name, Type: a.Type, State: state.RunQueued, Total: -1}
	}
	if task.Timeout > 0 {
		started := ex.run.StartedAt
		if started.IsZero() {
			started = ex.r.Clock.Now()
		}
		ex.run.Deadline = started.Add(task.Timeout)
	}
}

// snapshot returns a deep copy of the run as it is now.
func (ex *execution) snapshot() *state.Run {
	ex.mu.Lock()
	defer ex.mu.Unlock()
	return ex.copyLocked()
}

func (ex *execution) copyLocked() *state.Run {
	out := ex.run
	out.Activities = make([]state.ActivityResult, len(ex.run.Activities))
	for i, a := range ex.run.Activities {
		a.Statistics = maps.Clone(a.Statistics)
		a.Output = maps.Clone(a.Output)
		a.Errors = slices.Clone(a.Errors)
		// The stages are written in place while the copy is encoded
		// (a stage's counts, its statistics): they are copied too.
		a.Stages = slices.Clone(a.Stages)
		for j := range a.Stages {
			a.Stages[j].Statistics = maps.Clone(a.Stages[j].Statistics)
		}
		out.Activities[i] = a
	}
	out.Checkpoint = ex.ckpt.encode()
	return &out
}

// report hands the run to the progress callback; calls never overlap.
func (ex *execution) report(run *state.Run) {
	if ex.progress == nil {
		return
	}
	ex.reportMu.Lock()
	defer ex.reportMu.Unlock()
	ex.progress(run)
}

// flush writes the progress when it changed, or always when force is set
// (at an activity boundary), and reports it.
func (ex *execution) flush(force bool) {
	ex.mu.Lock()
	if !ex.dirty && !ex.ckptSet && !force {
		ex.mu.Unlock()
		return
	}
	ex.save()
}

// flushSoon reports the progress, and writes it when it was last written a
// second or more ago; otherwise the monitor writes it within the second.
func (ex *execution) flushSoon() {
	ex.mu.Lock()
	if ex.r.Clock.Now().Sub(ex.lastSave) >= progressInterval {
		ex.save()
		return
	}
	run := ex.copyLocked()
	ex.mu.Unlock()
	ex.report(run)
}

// save writes the progress and reports it; it is called with ex.mu held
// and releases it.
func (ex *execution) save() {
	run := ex.copyLocked()
	withCkpt := ex.ckptSet
	ex.dirty, ex.ckptSet, ex.lastSave = false, false, ex.r.Clock.Now()
	ex.mu.Unlock()
	var ckpt json.RawMessage
	if withCkpt {
		ckpt = run.Checkpoint
		if ckpt == nil {
			ckpt = json.RawMessage("null")
		}
	}
	err := ex.r.Store.RunSaveProgress(ex.ctx, run.ID, ex.r.Worker, run.Activities, ckpt)
	switch {
	case err != nil && isRunStateError(err):
		ex.cancel(ErrLostRun)
	case err != nil:
		ex.r.Logger.Warn("saving progress failed", "run", run.ID, "error", err)
		ex.mu.Lock()
		ex.dirty, ex.ckptSet = true, ex.ckptSet || withCkpt
		ex.mu.Unlock()
	}
	ex.report(run)
}

// activityCheckpoint is the data the named activity saved, in this run or
// the one it recovers.
func (ex *execution) activityCheckpoint(name string) json.RawMessage {
	ex.mu.Lock()
	defer ex.mu.Unlock()
	if ex.ckpt.Activity != name {
		return nil
	}
	return slices.Clone(ex.ckpt.Data)
}

// saveCheckpoint records the activity's checkpoint and writes it, at once
// unless progress was written less than a second ago.
func (ex *execution) saveCheckpoint(ctx context.Context, name string, data json.RawMessage) error {
	if data != nil && !json.Valid(data) {
		return &state.InvalidRunError{Reason: "the checkpoint of activity " + name + " is not JSON"}
	}
	ex.mu.Lock()
	ex.ckpt.Activity, ex.ckpt.Data = name, slices.Clone(data)
	ex.ckptSet = true
	due := ex.r.Clock.Now().Sub(ex.lastSave) >= progressInterval
	ex.mu.Unlock()
	if due {
		ex.flush(false)
	}
	return ctx.Err()
}
