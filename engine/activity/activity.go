package activity

import (
	"context"
	"encoding/json"
	"log/slog"

	"github.com/syncline/syncline/config"
	"github.com/syncline/syncline/internal/clock"
	"github.com/syncline/syncline/internal/procgroup"
	"github.com/syncline/syncline/state"
)

// Activity is one activity type's implementation. Run does the work of
// one activity of a run; it returns an error when the activity as a whole
// failed, and counts item outcomes, statistics, output and checkpoints
// through ac. It must return soon after ctx is done.
type Activity interface {
	Run(ctx context.Context, ac *Context) error
}

// Func adapts a function to Activity.
type Func func(ctx context.Context, ac *Context) error

// Run calls f.
func (f Func) Run(ctx context.Context, ac *Context) error { return f(ctx, ac) }

// Registry maps an activity type ("exec", "import", …) to its
// implementation.
type Registry map[string]Activity

// Context is what an activity sees of its run: the definitions, the
// mode, and methods that record progress. The methods are safe for
// concurrent use by an activity's threads. The runner makes one per
// activity with NewContext.
type Context struct {
	RunID    int64
	Task     *config.Task
	Activity *config.Activity
	Config   *config.Config
	// Dir is the configuration directory; relative paths in activity
	// settings are relative to it.
	Dir   string
	Mode  config.Mode
	Store *state.Store
	Clock clock.Clock
	Log   *slog.Logger

	progress Progress
}

// Progress is where a Context records: the runner's execution of a run
// implements it for one of the run's activities.
type Progress interface {
	// Update calls f with the activity's result under the run's lock and
	// marks the run's progress to be written.
	Update(f func(*state.ActivityResult))
	// Checkpoint returns what the activity last saved in this run or in
	// the interrupted run this one recovers; nil when nothing.
	Checkpoint() json.RawMessage
	// SaveCheckpoint records where the activity got to and writes it.
	SaveCheckpoint(ctx context.Context, data json.RawMessage) error
	// RecordProcessGroup records, and writes at once, that the activity
	// started a child process group on this host, so a recovery run can
	// make sure it is gone before it starts.
	RecordProcessGroup(ctx context.Context, group procgroup.Group) error
	// ClearProcessGroup records that the group ended.
	ClearProcessGroup()
}

// NewContext returns the context of one activity of a run, with c's
// fields, recording through p.
func NewContext(c Context, p Progress) *Context {
	c.progress = p
	return &c
}

// SetTotal records how many items the activity will process (-1: not
// known).
func (ac *Context) SetTotal(n int64) {
	ac.update(func(r *state.ActivityResult) { r.Total = n })
}

// AddSuccess counts n items processed successfully.
func (ac *Context) AddSuccess(n int64) {
	ac.update(func(r *state.ActivityResult) { r.Success += n })
}

// AddSkipped counts n items left alone (filtered out, nothing to do).
func (ac *Context) AddSkipped(n int64) {
	ac.update(func(r *state.ActivityResult) { r.Skipped += n })
}

// AddFailures counts n failed items without keeping an error, for an
// activity whose own error says what failed.
func (ac *Context) AddFailures(n int64) {
	ac.update(func(r *state.ActivityResult) { r.Failure += n })
}

// AddFailure counts one failed item and keeps its error (the first
// state.MaxItemErrors of them). A run with item failures ends partial.
func (ac *Context) AddFailure(item string, err error) {
	ac.update(func(r *state.ActivityResult) {
		r.Failure++
		if len(r.Errors) < state.MaxItemErrors {
			r.Errors = append(r.Errors, state.ItemError{Item: item, Message: err.Error()})
		}
	})
}

// AddStatistic adds delta to the named statistic ("created", "linked", …).
func (ac *Context) AddStatistic(name string, delta int64) {
	ac.update(func(r *state.ActivityResult) {
		if r.Statistics == nil {
			r.Statistics = map[string]int64{}
		}
		r.Statistics[name] += delta
	})
}

// SetOutput records an activity-specific result. Never pass a secret.
func (ac *Context) SetOutput(key, value string) {
	ac.update(func(r *state.ActivityResult) {
		if r.Output == nil {
			r.Output = map[string]string{}
		}
		r.Output[key] = value
	})
}

// Checkpoint returns what this activity last saved with SaveCheckpoint in
// this run or in the interrupted run this one recovers; nil when nothing.
func (ac *Context) Checkpoint() json.RawMessage {
	return ac.progress.Checkpoint()
}

// SaveCheckpoint records where the activity got to, so a run that
// recovers this one after an interruption resumes there. It is written to
// the store at once, or within a second when checkpoints come faster.
func (ac *Context) SaveCheckpoint(ctx context.Context, data json.RawMessage) error {
	return ac.progress.SaveCheckpoint(ctx, data)
}

// RecordProcessGroup records that the activity started the child process
// group g, before anything else happens: if the process running the run
// dies, the run that recovers this one kills what is left of the group
// before it starts. Call ClearProcessGroup when the group has ended.
func (ac *Context) RecordProcessGroup(ctx context.Context, g procgroup.Group) error {
	return ac.progress.RecordProcessGroup(ctx, g)
}

// ClearProcessGroup records that the group RecordProcessGroup recorded
// has ended.
func (ac *Context) ClearProcessGroup() { ac.progress.ClearProcessGroup() }

func (ac *Context) update(f func(*state.ActivityResult)) { ac.progress.Update(f) }
