package runner

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/syncline/syncline/config"
	"github.com/syncline/syncline/engine/catalog"
	"github.com/syncline/syncline/internal/clock"
	"github.com/syncline/syncline/state"
)

// ErrTaskBusy is the cause of the *catalog.TaskError EnqueueManual
// returns when the task's concurrency is "forbid" and a run of it is
// active.
var ErrTaskBusy = errors.New("task already has an active run")

// applyHint is what to do about a task not applied as configured.
const applyHint = "run syncline plan / apply"

// EnqueueManual queues a run of task started by hand (syncline run), by
// whom, in mode ("" is the task's own mode). It refuses, changing
// nothing, a task that is unknown, not applied, changed since it was
// applied, closed, suspended or disabled (catalog.ErrUnknownTask, catalog.ErrNotRunnable),
// and, under concurrency "forbid", a task with a run still queued or
// running (ErrTaskBusy). Under "replace" the active runs are cancelled.
func EnqueueManual(ctx context.Context, store *state.Store, cat *catalog.Catalog, task string, mode config.Mode, by string) (*state.Run, error) {
	t, err := runnableTask(ctx, store, cat, task)
	if err != nil {
		return nil, err
	}
	if mode == "" {
		mode = t.Mode
	}
	if !slices.Contains(config.Modes, string(mode)) {
		return nil, fmt.Errorf("unknown mode %q; the modes are %s", mode, strings.Join(config.Modes, ", "))
	}
	if err := makeRoom(ctx, store, t, by); err != nil {
		return nil, err
	}
	return store.RunEnqueue(ctx, manualRun(t, cat, mode, by))
}

// EnqueueIfIdle queues a run of task in its own mode, by whom, when the
// task has no run queued or running — decided in the store's write
// transaction, so several serve nodes keeping a consumer going queue one
// run between them. It returns nil when a run was active, and refuses a
// task a person could not start as EnqueueManual does.
func EnqueueIfIdle(ctx context.Context, store *state.Store, cat *catalog.Catalog, task, by string) (*state.Run, error) {
	t, err := runnableTask(ctx, store, cat, task)
	if err != nil {
		return nil, err
	}
	return store.RunEnqueueIfIdle(ctx, manualRun(t, cat, t.Mode, by))
}

// manualRun is a queued manual run of t.
func manualRun(t *config.Task, cat *catalog.Catalog, mode config.Mode, by string) state.Run {
	return state.Run{
		Task:        t.Name,
		Trigger:     state.TriggerManual,
		TriggeredBy: by,
		Mode:        string(mode),
		Revision:    cat.Revision(t.Name),
		Serial:      cat.Serial(),
		State:       state.RunQueued,
		Priority:    t.Priority,
		Exclusive:   t.Concurrency != config.ConcurrencyAllow,
		Attempt:     1,
	}
}

// runnableTask returns the task when a person may start it now.
func runnableTask(ctx context.Context, store *state.Store, cat *catalog.Catalog, name string) (*config.Task, error) {
	t, err := cat.Task(name)
	if err != nil {
		return nil, err
	}
	rt, err := store.TaskRuntime(ctx, name)
	var unknown *state.UnknownTaskError
	if errors.As(err, &unknown) {
		return nil, &catalog.TaskError{Task: name, Err: catalog.ErrNotRunnable, Detail: fmt.Sprintf("task.%s is not applied yet", name), Hint: applyHint}
	}
	if err != nil {
		return nil, err
	}
	switch rt.State {
	case state.TaskClosed:
		return nil, &catalog.TaskError{Task: name, Err: catalog.ErrNotRunnable,
			Detail: fmt.Sprintf("task %s is closed: it was removed from the configuration%s", name, suspendedBy(rt))}
	case state.TaskSuspended:
		return nil, &catalog.TaskError{Task: name, Err: catalog.ErrNotRunnable,
			Detail: fmt.Sprintf("task %s is suspended%s since %s", name, suspendedBy(rt), rt.Since.UTC().Format(time.RFC3339)),
			Hint:   "resume it with syncline tasks resume " + name}
	}
	if err := cat.Check(name); err != nil {
		return nil, err
	}
	if !t.Enabled {
		return nil, &catalog.TaskError{Task: name, Err: catalog.ErrNotRunnable,
			Detail: fmt.Sprintf("task %s is disabled (enabled = false at %s)", name, t.DeclRange),
			Hint:   "set enabled = true and apply"}
	}
	return t, nil
}

// makeRoom applies the task's concurrency policy to a manual run.
func makeRoom(ctx context.Context, store *state.Store, t *config.Task, by string) error {
	if t.Concurrency == config.ConcurrencyAllow {
		return nil
	}
	active, err := store.RunListActive(ctx, t.Name)
	if err != nil || len(active) == 0 {
		return err
	}
	if t.Concurrency == config.ConcurrencyForbid {
		a := active[0]
		return &catalog.TaskError{Task: t.Name, Err: ErrTaskBusy,
			Detail: fmt.Sprintf("task %s already has run %d %s, and its concurrency is forbid", t.Name, a.ID, a.State),
			Hint:   fmt.Sprintf("wait for it to finish, or cancel it with syncline runs cancel %d", a.ID)}
	}
	for _, a := range active {
		_, err := store.RunCancel(ctx, a.ID, by+" (a manual run replaces it, concurrency = replace)", time.Time{})
		var rs *state.RunStateError
		if err != nil && !errors.As(err, &rs) {
			return err
		}
	}
	return nil
}

// RunForeground claims run runID for worker and executes it in this
// process (syncline run without -detach), reporting progress. A run that
// must wait for another run of its task (concurrency "replace" while the
// replaced run stops) is claimed as soon as that one ends.
func RunForeground(ctx context.Context, store *state.Store, cat *catalog.Catalog, runID int64, worker string, progress func(*state.Run)) (*state.Run, error) {
	r := &Runner{Store: store, Catalog: cat, Worker: worker}
	return r.RunByID(ctx, runID, progress)
}

// RunByID claims run id and executes it.
func (r *Runner) RunByID(ctx context.Context, id int64, progress func(*state.Run)) (*state.Run, error) {
	r = r.withDefaults()
	for {
		run, err := r.Store.RunClaimByID(ctx, id, r.Worker, r.Clock.Now())
		if err == nil {
			return r.Execute(ctx, run, progress)
		}
		var rs *state.RunStateError
		if !errors.As(err, &rs) || rs.BlockedBy == 0 {
			return nil, err
		}
		select {
		case <-ctx.Done():
			return nil, ctx.Err()
		case <-clock.After(r.Clock, claimRetryInterval):
		}
	}
}

// claimRetryInterval is how often a foreground run waiting for another
// run of its task tries again.
const claimRetryInterval = 500 * time.Millisecond
