package runner

import (
	"context"
	"errors"
	"io"
	"log/slog"
	"time"

	"github.com/syncline/syncline/config"
	"github.com/syncline/syncline/engine/activity"
	"github.com/syncline/syncline/engine/catalog"
	"github.com/syncline/syncline/internal/clock"
	"github.com/syncline/syncline/state"
)

// DefaultHeartbeatInterval is how often a running run reports that its
// worker is alive, and checks whether it was asked to cancel.
const DefaultHeartbeatInterval = 2 * time.Second

// progressInterval bounds how often a run's progress is written to the
// store between activity boundaries.
const progressInterval = time.Second

// ErrShutdown is the cancel cause a server gives the runs it stops at the
// end of its grace period: they are recorded interrupted and a recovery
// run is queued for each, resuming from its checkpoint.
var ErrShutdown = errors.New("the server stopped before the run finished")

// ErrLostRun is returned by Execute when the run stopped being this
// worker's while it ran (recovery interrupted it, believing the worker
// gone): the run's record is no longer this worker's to finish.
var ErrLostRun = errors.New("the run is no longer held by this worker")

// Cancel causes the runner tells apart.
var (
	errTimedOut        = errors.New("timed out")
	errCancelRequested = errors.New("cancel requested")
)

// Runner executes claimed runs: a task's activities in order, with
// heartbeats, cancellation, the task's timeout, progress written to the
// store, and the follow-up runs (retry, after) stored when it finishes.
type Runner struct {
	Store   *state.Store
	Catalog *catalog.Catalog
	// Worker is the ID the run was claimed with: "host:pid:n".
	Worker            string
	Clock             clock.Clock       // default RealClock
	HeartbeatInterval time.Duration     // default DefaultHeartbeatInterval
	Activities        activity.Registry // default DefaultActivities(); missing types take the defaults
	Logger            *slog.Logger      // default discards
}

func (r *Runner) withDefaults() *Runner {
	c := *r
	if c.Clock == nil {
		c.Clock = clock.Real{}
	}
	if c.HeartbeatInterval <= 0 {
		c.HeartbeatInterval = DefaultHeartbeatInterval
	}
	c.Activities = withDefaultActivities(c.Activities)
	if c.Logger == nil {
		c.Logger = slog.New(slog.NewTextHandler(io.Discard, nil))
	}
	return &c
}

// Execute runs run, which this worker has claimed, to its end and records
// it: succeeded, partial (item failures), failed (an activity failed, or
// the task's timeout), cancelled (a cancel request, or ctx cancelled), or
// interrupted (ctx cancelled with cause ErrShutdown). progress, when not
// nil, receives a copy of the run as it advances — at least every second
// and at each activity boundary. It returns the run as finished; the error
// is for a run it could not record (ErrLostRun, a failing store).
func (r *Runner) Execute(ctx context.Context, run *state.Run, progress func(*state.Run)) (*state.Run, error) {
	r = r.withDefaults()
	ex := newExecution(r, run, progress, context.WithoutCancel(ctx))
	orphanOf, orphan, err := ex.endOrphan()
	if err != nil {
		return ex.finish(state.RunFailed, err.Error(), nil)
	}
	task, err := r.Catalog.Task(run.Task)
	if err == nil {
		err = r.Catalog.Check(run.Task)
	}
	if err != nil {
		return ex.finish(state.RunFailed, joinNote(err.Error(), orphan), nil)
	}
	ex.start(task)
	ex.noteOrphan(orphanOf, orphan)
	ex.flush(false) // writes the orphan's note and forgets it, if there was one
	runCtx, cancel := context.WithCancelCause(ctx)
	defer cancel(nil)
	ex.cancel = cancel
	stopTimeout := ex.startTimeout()
	stopMonitor := ex.startMonitor()
	ex.runActivities(runCtx)
	stopTimeout()
	stopMonitor()
	var cause error
	if runCtx.Err() != nil {
		cause = context.Cause(runCtx)
	}
	return ex.conclude(cause)
}

// conclude decides the run's final state from how it ended and records it
// with its follow-ups.
func (ex *execution) conclude(cause error) (*state.Run, error) {
	if errors.Is(cause, ErrLostRun) {
		return ex.snapshot(), ErrLostRun
	}
	final, msg := ex.outcome(cause)
	var followUps []state.Run
	if final == state.RunInterrupted {
		followUps = append(followUps, recoveryRun(ex.snapshot(), ex.r.Clock.Now()))
	}
	return ex.finish(final, msg, followUps)
}

// outcome is the run's final state and error message.
func (ex *execution) outcome(cause error) (state.RunState, string) {
	switch {
	case errors.Is(cause, ErrShutdown):
		return state.RunInterrupted, "interrupted: " + ErrShutdown.Error() + "; a recovery run is queued"
	case errors.Is(cause, errTimedOut):
		return state.RunFailed, "timed out after " + config.DescribeDuration(ex.task.Timeout)
	case errors.Is(cause, errCancelRequested):
		return state.RunCancelled, "cancelled on request"
	case errors.Is(cause, context.Canceled):
		return state.RunCancelled, "cancelled: the process running it was stopped"
	case cause != nil:
		return state.RunCancelled, "cancelled: " + cause.Error()
	case ex.failure != "":
		return state.RunFailed, ex.failure
	}
	ex.mu.Lock()
	defer ex.mu.Unlock()
	for _, a := range ex.run.Activities {
		if a.State == state.RunPartial {
			return state.RunPartial, ""
		}
	}
	return state.RunSucceeded, ""
}

// finish records the run's end with its follow-ups: those given, the
// retry its final state calls for, and the runs of the tasks whose after
// it completes — decided inside the finish's write transaction, so runs
// finishing at once on any node of the state decide one after the other.
// Should that decision fail, the run is still recorded, without them.
func (ex *execution) finish(final state.RunState, msg string, followUps []state.Run) (*state.Run, error) {
	r := ex.r
	now := r.Clock.Now()
	ex.mu.Lock()
	ex.run.State, ex.run.Error, ex.run.FinishedAt = final, msg, now
	ex.mu.Unlock()
	done := ex.snapshot()
	followUps = append(followUps, retryFollowUps(done, ex.task, now)...)
	var replaced []int64
	decide := r.afterDecision(done, ex.task, now, &replaced)
	err := r.Store.RunFinishDeciding(ex.ctx, done.ID, r.Worker, final, msg, done.Activities, now, followUps, decide)
	var after *afterError
	if errors.As(err, &after) {
		r.Logger.Warn("deciding follow-up runs failed", "run", done.ID, "task", done.Task, "error", after.err)
		replaced = nil
		err = r.Store.RunFinish(ex.ctx, done.ID, r.Worker, final, msg, done.Activities, now, followUps)
	}
	if err != nil {
		if isRunStateError(err) {
			return done, ErrLostRun
		}
		return done, err
	}
	ex.report(done)
	r.cancelReplaced(ex.ctx, replaced, done)
	return done, nil
}

// joinNote adds note, when there is one, to msg.
func joinNote(msg, note string) string {
	if note == "" {
		return msg
	}
	return msg + "; " + note
}

func isRunStateError(err error) bool {
	var rs *state.RunStateError
	return errors.As(err, &rs)
}
