package ops

import (
	"context"
	"errors"
	"fmt"

	"github.com/syncline/syncline/config"
	"github.com/syncline/syncline/engine/catalog"
	"github.com/syncline/syncline/engine/notify"
	"github.com/syncline/syncline/engine/runner"
	"github.com/syncline/syncline/internal/clock"
	"github.com/syncline/syncline/state"
)

// RunObserver is what a person sees of a run started from a command:
// internal/views.Run implements it.
type RunObserver interface {
	// Recovered says what became of the runs whose process was gone.
	Recovered(runs []state.Run)
	// AlreadyQueued says the task had run queued, which runs instead.
	AlreadyQueued(task string, queued state.Run)
	// Queued says run r was queued for serve (RunRequest.Detach).
	Queued(r state.Run)
	// Started announces run r.
	Started(r state.Run)
	// Progress shows r as it goes, and once more as it ended.
	Progress(r *state.Run)
	// Notified says what became of the notifications delivered after
	// runs ended (DeliverNotifications), and err when the state could not
	// be read or written.
	Notified(ds []notify.Delivery, err error)
}

// RunRequest asks for a run of one task.
type RunRequest struct {
	Task string
	// Mode overrides the task's mode ("" keeps it).
	Mode config.Mode
	// Detach only queues the run, for syncline serve to start.
	Detach bool
	// Who is recorded as the run's requester.
	Who string
	// Clock tells the time (nil: the wall clock).
	Clock clock.Clock
}

// orNoStore is err, or when there is none the error that there is no
// store at location yet (a PostgreSQL URL shown without its password).
func orNoStore(err error, location string) error {
	if err != nil {
		return err
	}
	return fmt.Errorf("no state store at %s; run syncline apply first so that there are tasks to run", state.ShowLocation(location))
}

// OpenCatalog opens the existing store at location and loads the
// configuration in dir as a catalog checked against the applied
// definitions. The caller closes the store.
func OpenCatalog(ctx context.Context, dir, location string, opts config.LoadOptions) (*state.Store, *catalog.Catalog, error) {
	if ok, err := state.Exists(ctx, location); err != nil || !ok {
		return nil, nil, orNoStore(err, location)
	}
	st, err := state.Open(ctx, location, state.Options{})
	if err != nil {
		return nil, nil, err
	}
	snap, err := st.Snapshot(ctx)
	if err != nil {
		st.Close()
		return nil, nil, err
	}
	cat, err := catalog.Load(dir, opts, snap)
	if err != nil {
		st.Close()
		return nil, nil, err
	}
	return st, cat, nil
}

// RunTask is syncline run: it ends the runs whose process was killed (as
// serve does at startup), queues a run of the task and, unless detached,
// executes it in this process and returns it as it ended. When a run of
// the task already waits in the queue (one an after queued), that run
// executes instead of a new one being refused.
func RunTask(ctx context.Context, st *state.Store, cat *catalog.Catalog, req RunRequest, obs RunObserver) (*state.Run, error) {
	if err := RecoverDeadRuns(ctx, st, req.Clock, obs); err != nil {
		return nil, err
	}
	run, err := runner.EnqueueManual(ctx, st, cat, req.Task, req.Mode, req.Who)
	if errors.Is(err, runner.ErrTaskBusy) && !req.Detach {
		if queued := QueuedRun(ctx, st, req.Task, req.Mode); queued != nil {
			obs.AlreadyQueued(req.Task, *queued)
			return Execute(ctx, st, cat, queued, obs)
		}
	}
	if err != nil {
		return nil, err
	}
	if req.Detach {
		obs.Queued(*run)
		return run, nil
	}
	return Execute(ctx, st, cat, run, obs)
}

// RecoverDeadRuns ends as interrupted the runs whose process is gone, and
// queues their recovery, as serve does at startup: a run whose process
// was killed would hold its task forever.
func RecoverDeadRuns(ctx context.Context, st *state.Store, clk clock.Clock, obs RunObserver) error {
	if clk == nil {
		clk = clock.Real{}
	}
	recovered, err := runner.RecoverDeadRuns(ctx, st, clk.Now())
	if err != nil {
		return err
	}
	obs.Recovered(recovered)
	return nil
}

// Execute runs the queued run in this process, reporting its progress,
// and returns it as it ended.
func Execute(ctx context.Context, st *state.Store, cat *catalog.Catalog, run *state.Run, obs RunObserver) (*state.Run, error) {
	obs.Started(*run)
	final, err := runner.RunForeground(ctx, st, cat, run.ID, runner.WorkerPrefix()+":cli", obs.Progress)
	if err != nil && final == nil {
		return nil, err
	}
	obs.Progress(final)
	return final, nil
}

// QueuedRun returns the task's queued run when it is the only active one
// and has the mode asked for ("" for any), else nil.
func QueuedRun(ctx context.Context, st *state.Store, task string, mode config.Mode) *state.Run {
	active, err := st.RunListActive(ctx, task)
	if err != nil || len(active) != 1 || active[0].State != state.RunQueued {
		return nil
	}
	if mode != "" && config.Mode(active[0].Mode) != mode {
		return nil
	}
	return &active[0]
}
