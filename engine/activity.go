package engine

import (
	"context"
	"encoding/json"
	"log/slog"

	"github.com/syncline/syncline/config"
	"github.com/syncline/syncline/engine/synchronization"
	"github.com/syncline/syncline/internal/clock"
	"github.com/syncline/syncline/state"
)

// Activity is one activity type's implementation. Run does the work of
// one activity of a run; it returns an error when the activity as a whole
// failed, and counts item outcomes, statistics, output and checkpoints
// through ac. It must return soon after ctx is done.
type Activity interface {
	Run(ctx context.Context, ac *ActivityContext) error
}

// ActivityFunc adapts a function to Activity.
type ActivityFunc func(ctx context.Context, ac *ActivityContext) error

// Run calls f.
func (f ActivityFunc) Run(ctx context.Context, ac *ActivityContext) error { return f(ctx, ac) }

// Registry maps an activity type ("exec", "import", …) to its
// implementation.
type Registry map[string]Activity

// DefaultRegistry returns the activities this version implements: exec,
// import, reconciliation, propagation and recompute; every other type
// fails with a clear "not available" error until its own issue lands.
func DefaultRegistry() Registry {
	r := Registry{
		config.ActivityExec:           ExecActivity{},
		config.ActivityImport:         syncActivity(synchronization.Import),
		config.ActivityReconciliation: syncActivity(synchronization.Reconcile),
		config.ActivityPropagation:    syncActivity(synchronization.Propagate),
		config.ActivityRecompute:      syncActivity(synchronization.Recompute),
	}
	for _, typ := range config.ActivityTypes() {
		if _, ok := r[typ]; !ok {
			r[typ] = unavailable(typ)
		}
	}
	return r
}

// ActivityContext is what an activity sees of its run: the definitions,
// the mode, and methods that record progress. The methods are safe for
// concurrent use by an activity's threads.
type ActivityContext struct {
	RunID    int64
	Task     *config.Task
	Activity *config.Activity
	Config   *config.Config
	// Dir is the configuration directory; relative paths in activity
	// settings are relative to it.
	Dir   string
	Mode  string // full, preview or dry_run
	Store *state.Store
	Clock clock.Clock
	Log   *slog.Logger

	exec   *execution
	result *state.ActivityResult // guarded by exec.mu
}

// SetTotal records how many items the activity will process (-1: not
// known).
func (ac *ActivityContext) SetTotal(n int64) {
	ac.update(func(r *state.ActivityResult) { r.Total = n })
}

// AddSuccess counts n items processed successfully.
func (ac *ActivityContext) AddSuccess(n int64) {
	ac.update(func(r *state.ActivityResult) { r.Success += n })
}

// AddSkipped counts n items left alone (filtered out, nothing to do).
func (ac *ActivityContext) AddSkipped(n int64) {
	ac.update(func(r *state.ActivityResult) { r.Skipped += n })
}

// AddFailure counts one failed item and keeps its error (the first
// state.MaxItemErrors of them). A run with item failures ends partial.
func (ac *ActivityContext) AddFailure(item string, err error) {
	ac.update(func(r *state.ActivityResult) {
		r.Failure++
		if len(r.Errors) < state.MaxItemErrors {
			r.Errors = append(r.Errors, state.ItemError{Item: item, Message: err.Error()})
		}
	})
}

// AddStatistic adds delta to the named statistic ("created", "linked", …).
func (ac *ActivityContext) AddStatistic(name string, delta int64) {
	ac.update(func(r *state.ActivityResult) {
		if r.Statistics == nil {
			r.Statistics = map[string]int64{}
		}
		r.Statistics[name] += delta
	})
}

// SetOutput records an activity-specific result. Never pass a secret.
func (ac *ActivityContext) SetOutput(key, value string) {
	ac.update(func(r *state.ActivityResult) {
		if r.Output == nil {
			r.Output = map[string]string{}
		}
		r.Output[key] = value
	})
}

// Checkpoint returns what this activity last saved with SaveCheckpoint in
// this run or in the interrupted run this one recovers; nil when nothing.
func (ac *ActivityContext) Checkpoint() json.RawMessage {
	return ac.exec.activityCheckpoint(ac.Activity.Name)
}

// SaveCheckpoint records where the activity got to, so a run that
// recovers this one after an interruption resumes there. It is written to
// the store at once, or within a second when checkpoints come faster.
func (ac *ActivityContext) SaveCheckpoint(ctx context.Context, data json.RawMessage) error {
	return ac.exec.saveCheckpoint(ctx, ac.Activity.Name, data)
}

func (ac *ActivityContext) update(f func(*state.ActivityResult)) {
	ac.exec.mu.Lock()
	f(ac.result)
	ac.exec.dirty = true
	ac.exec.mu.Unlock()
}

// registryWithDefaults fills the types reg leaves out from the defaults.
func registryWithDefaults(reg Registry) Registry {
	out := DefaultRegistry()
	for typ, a := range reg {
		out[typ] = a
	}
	return out
}
