package activity

import (
	"context"
	"errors"
	"path/filepath"

	"github.com/syncline/syncline/config"
	"github.com/syncline/syncline/engine/connector"
	"github.com/syncline/syncline/engine/synchronization"
	"github.com/syncline/syncline/state"
)

// Synchronization is one of the synchronization activities (import,
// reconciliation, propagation, recompute: synchronization.Import, …) run
// with the run's context.
func Synchronization(run func(ctx context.Context, job *synchronization.Job) error) Activity {
	return syncActivity(run)
}

type syncActivity func(ctx context.Context, job *synchronization.Job) error

// Run builds the job from ac and runs it.
func (f syncActivity) Run(ctx context.Context, ac *Context) error {
	return f(ctx, SyncJob(ac))
}

// SyncJob is the synchronization job of ac's activity, recorded on ac.
func SyncJob(ac *Context) *synchronization.Job {
	return &synchronization.Job{
		Config: ac.Config, Activity: ac.Activity, RunID: ac.RunID, Mode: ac.Mode, Store: ac.Store, Task: taskName(ac.Task),
		ConnectorOptions: connector.Options{BaseDir: ac.Dir, StateDir: FeedDir(ac.Dir)},
		Clock:            ac.Clock, Log: ac.Log, Rec: ac,
	}
}

// FeedDir is where connectors keep what their change feeds need between
// runs (the csv connector's snapshots), under the configuration
// directory's .syncline.
func FeedDir(dir string) string { return filepath.Join(dir, ".syncline", "feeds") }

func taskName(t *config.Task) string {
	if t == nil {
		return ""
	}
	return t.Name
}

// AddItemError counts one failed item with its error category.
func (ac *Context) AddItemError(item, category string, err error) {
	ac.update(func(r *state.ActivityResult) { addItemError(r, item, category, "", err) })
}

func addItemError(r *state.ActivityResult, item, category, stage string, err error) {
	r.Failure++
	if len(r.Errors) < state.MaxItemErrors {
		r.Errors = append(r.Errors, state.ItemError{Item: item, Message: err.Error(), Category: category, Stage: stage})
	}
}

// Stage starts a stage (sub-activity) of the activity: what it counts
// is recorded on the stage and added to the activity's counts.
func (ac *Context) Stage(name string) (synchronization.Recorder, func(error)) {
	var i int
	ac.update(func(r *state.ActivityResult) {
		r.Stages = append(r.Stages, state.StageResult{Name: name, State: state.RunRunning, StartedAt: ac.Clock.Now(), Total: -1})
		i = len(r.Stages) - 1
	})
	st := &stageRecorder{ac: ac, i: i}
	return st, st.end
}

// stageRecorder records one stage of an activity.
type stageRecorder struct {
	ac *Context
	i  int
}

func (s *stageRecorder) update(f func(r *state.ActivityResult, st *state.StageResult)) {
	s.ac.update(func(r *state.ActivityResult) { f(r, &r.Stages[s.i]) })
}

func (s *stageRecorder) SetTotal(n int64) {
	s.update(func(r *state.ActivityResult, st *state.StageResult) { st.Total = n })
}

func (s *stageRecorder) AddSuccess(n int64) {
	s.update(func(r *state.ActivityResult, st *state.StageResult) { st.Success += n; r.Success += n })
}

func (s *stageRecorder) AddSkipped(n int64) {
	s.update(func(r *state.ActivityResult, st *state.StageResult) { st.Skipped += n; r.Skipped += n })
}

func (s *stageRecorder) AddItemError(item, category string, err error) {
	s.update(func(r *state.ActivityResult, st *state.StageResult) {
		st.Failure++
		addItemError(r, item, category, st.Name, err)
	})
}

func (s *stageRecorder) AddStatistic(name string, delta int64) {
	s.update(func(r *state.ActivityResult, st *state.StageResult) {
		if st.Statistics == nil {
			st.Statistics = map[string]int64{}
		}
		st.Statistics[name] += delta
		if r.Statistics == nil {
			r.Statistics = map[string]int64{}
		}
		r.Statistics[name] += delta
	})
}

func (s *stageRecorder) SetOutput(key, value string) { s.ac.SetOutput(key, value) }

// end records how the stage ended: failed with err, partial with item
// errors, otherwise succeeded.
func (s *stageRecorder) end(err error) {
	s.update(func(r *state.ActivityResult, st *state.StageResult) {
		st.FinishedAt = s.ac.Clock.Now()
		switch {
		case err != nil && errors.Is(err, context.Canceled):
			st.State, st.Error = state.RunCancelled, err.Error()
		case err != nil:
			st.State, st.Error = state.RunFailed, err.Error()
		case st.Failure > 0:
			st.State = state.RunPartial
		default:
			st.State = state.RunSucceeded
		}
	})
}

// AddFailures counts n failed items without an error to keep (a bucket's
// errors beyond those it kept).
func (s *stageRecorder) AddFailures(n int64) {
	s.update(func(r *state.ActivityResult, st *state.StageResult) { st.Failure += n; r.Failure += n })
}
