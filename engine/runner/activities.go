package runner

import (
	"context"
	"encoding/json"

	"github.com/syncline/syncline/config"
	"github.com/syncline/syncline/engine/activity"
	"github.com/syncline/syncline/engine/activity/exec"
	"github.com/syncline/syncline/engine/activity/report"
	"github.com/syncline/syncline/engine/asyncupdate"
	"github.com/syncline/syncline/engine/synchronization"
	"github.com/syncline/syncline/internal/procgroup"
	"github.com/syncline/syncline/state"
)

// DefaultActivities returns the activities this version implements: exec,
// import, reconciliation, propagation, recompute and report; every other type
// fails with a clear "not available" error until its own issue lands.
func DefaultActivities() activity.Registry {
	r := activity.Registry{
		config.ActivityExec:           exec.Activity{},
		config.ActivityImport:         activity.Synchronization(synchronization.Import),
		config.ActivityReconciliation: activity.Synchronization(synchronization.Reconcile),
		config.ActivityPropagation:    activity.Synchronization(synchronization.Propagate),
		config.ActivityRecompute:      activity.Synchronization(synchronization.Recompute),
		config.ActivityLiveSync:       activity.Synchronization(synchronization.LiveSync),
		config.ActivityAsyncUpdate:    asyncupdate.Activity{},
		config.ActivityReport:         report.Activity{},
	}
	for _, typ := range config.ActivityTypes() {
		if _, ok := r[typ]; !ok {
			r[typ] = activity.Unavailable(typ)
		}
	}
	return r
}

// withDefaultActivities fills the types reg leaves out from the defaults.
func withDefaultActivities(reg activity.Registry) activity.Registry {
	out := DefaultActivities()
	for typ, a := range reg {
		out[typ] = a
	}
	return out
}

// activityProgress records one activity of an execution: it is the
// activity.Progress behind the activity's Context.
type activityProgress struct {
	ex   *execution
	i    int    // the activity's index in the run's results
	name string // the activity's name
}

func (p activityProgress) Update(f func(*state.ActivityResult)) {
	p.ex.mu.Lock()
	f(&p.ex.run.Activities[p.i])
	p.ex.dirty = true
	p.ex.mu.Unlock()
}

func (p activityProgress) Checkpoint() json.RawMessage { return p.ex.activityCheckpoint(p.name) }

func (p activityProgress) SaveCheckpoint(ctx context.Context, data json.RawMessage) error {
	return p.ex.saveCheckpoint(ctx, p.name, data)
}

func (p activityProgress) RecordProcessGroup(ctx context.Context, g procgroup.Group) error {
	return p.ex.recordProcess(ctx, runProcess{Group: g, Activity: p.name})
}

func (p activityProgress) ClearProcessGroup() { p.ex.clearProcess() }
