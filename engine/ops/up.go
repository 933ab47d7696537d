package ops

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/syncline/syncline/config"
	"github.com/syncline/syncline/engine/catalog"
	"github.com/syncline/syncline/engine/runner"
	"github.com/syncline/syncline/engine/scheduler"
	"github.com/syncline/syncline/engine/watch"
	"github.com/syncline/syncline/internal/clock"
	"github.com/syncline/syncline/planner"
	"github.com/syncline/syncline/state"
)

// UpObserver is what a person sees of a round of syncline up: its
// progress and its runs. internal/views.Up and views.Run implement it.
type UpObserver interface {
	RunObserver
	UpProgress
}

// UpProgress is what a person sees of a round of syncline up around its
// runs.
type UpProgress interface {
	// Applying says which configuration is applied to which state.
	Applying(dir, location string)
	// NoTasks says no task runs: none depends on what changed
	// (selected), or none is enabled.
	NoTasks(selected bool)
	// Order lists the tasks in the order they run, by address.
	Order(tasks []string)
	// TaskStarting separates one task's turn from the previous.
	TaskStarting()
	// Skipped says why task did not run.
	Skipped(task, reason string)
	// TaskFailed says why task could not run.
	TaskFailed(task string, err error)
}

// UpOptions are the settings of syncline up.
type UpOptions struct {
	Dir string
	// StateFlag is the -state option ("" for the configuration's).
	StateFlag    string
	Vars         []string
	VarFiles     []string
	AllowDestroy bool
	LockTimeout  time.Duration
	// Loader loads the configuration (its Environ supplies env()).
	Loader Loader
	Clock  clock.Clock
}

func (o UpOptions) loadOptions() config.LoadOptions {
	return config.LoadOptions{Vars: o.Vars, VarFiles: o.VarFiles, Environ: o.Loader.Environ}
}

// UpResult is what one round of syncline up did.
type UpResult struct {
	Dir    string
	Config *config.Config // nil when the configuration did not load
	// Plan counts the definitions the round's apply changed; Serial is
	// the state serial after it.
	Plan   planner.Summary
	Serial int64
	// Runs are the tasks' turns, in the order they ran.
	Runs []*UpRun
	// Fingerprints identify, per task, what its runs depend on (see
	// TaskFingerprints); up -watch re-runs the tasks whose fingerprint
	// changed.
	Fingerprints map[string]string
	// Interrupted says the round's context was cancelled (Ctrl-C) while
	// its tasks ran: the run that was running ended cancelled, and the
	// tasks after it are skipped with NotStartedInterrupted.
	Interrupted bool
}

// NotStartedInterrupted is why a task of an interrupted round did not
// run.
const NotStartedInterrupted = "not started: up was interrupted"

// ErrUpInterrupted is UpRound's error when its context was cancelled
// (Ctrl-C) before its tasks ran.
var ErrUpInterrupted = errors.New("up was interrupted before its tasks ran; no task ran")

// UpRun is one task's turn in a round: its run, or why it had none.
type UpRun struct {
	Task    string
	Mode    config.Mode
	Run     *state.Run // nil when the task did not run
	Skipped string     // why it was skipped
	Err     error      // why it could not start
}

// Succeeded reports whether the task ran and its run succeeded.
func (r *UpRun) Succeeded() bool { return r.Run != nil && r.Run.State == state.RunSucceeded }

// Failed reports whether the round was interrupted, a task could not run
// or its run failed; skipped tasks are not failures of their own.
func (res *UpResult) Failed() bool {
	if res.Interrupted {
		return true
	}
	for _, r := range res.Runs {
		if r.Err != nil {
			return true
		}
		if r.Run != nil && r.Run.State != state.RunSucceeded && r.Run.State != state.RunPartial {
			return true
		}
	}
	return false
}

// UpRound is one round of syncline up: it applies the configuration in
// opts.Dir without asking (creating the state when there is none; the plan
// goes to r), then runs the enabled tasks once each in dependency order.
// selected picks the tasks to run from the new fingerprints; nil runs every
// enabled task. The result is returned even with an error, with what the
// round got to. Cancelled while its tasks run (Ctrl-C), the round returns
// no error and its result says Interrupted: the running run ended
// cancelled, the tasks after it are skipped. Cancelled before, the error
// is ErrUpInterrupted.
func UpRound(ctx context.Context, opts UpOptions, selected func(map[string]string) map[string]bool, r Reporter, obs UpObserver) (*UpResult, error) {
	res, err := upRound(ctx, opts, selected, r, obs)
	if err != nil && ctx.Err() != nil && !res.Interrupted {
		var cfgErr *ConfigError
		if !errors.As(err, &cfgErr) {
			err = ErrUpInterrupted
		}
	}
	return res, err
}

func upRound(ctx context.Context, opts UpOptions, selected func(map[string]string) map[string]bool, r Reporter, obs UpObserver) (*UpResult, error) {
	res := &UpResult{Dir: opts.Dir}
	lc, err := opts.Loader.LoadStrict(DirSource(opts.Dir), opts.Vars, opts.VarFiles, r)
	if err != nil {
		return res, err
	}
	res.Config = lc.Config
	location := StateLocation(opts.StateFlag, opts.Dir, lc.Config.Settings)
	obs.Applying(lc.Config.Dir, state.ShowLocation(location))
	applied, err := PlanAndApply(ctx, lc, ApplyOptions{Location: location, LockTimeout: opts.LockTimeout, AllowDestroy: opts.AllowDestroy}, r)
	if err != nil {
		return res, err
	}
	res.Plan = applied.Planned.Plan.Summary
	res.Serial = applied.Serial

	st, err := state.Open(ctx, location, state.Options{})
	if err != nil {
		return res, err
	}
	defer st.Close()
	snap, err := st.Snapshot(ctx)
	if err != nil {
		return res, err
	}
	cat, err := catalog.Load(opts.Dir, opts.loadOptions(), snap)
	if err != nil {
		return res, err
	}
	res.Fingerprints = TaskFingerprints(cat.Config(), snap)
	run := map[string]bool(nil)
	if selected != nil {
		run = selected(res.Fingerprints)
	}
	err = upRuns(ctx, st, cat, run, opts.Clock, obs, res)
	if ctx.Err() == nil {
		obs.Notified(DeliverNotifications(ctx, st, cat, opts.Clock))
	}
	if err != nil {
		return res, err
	}
	// Fingerprints are taken again after the runs, so that a file a run
	// wrote itself (a csv resource it provisions to) is not a change.
	res.Fingerprints = TaskFingerprints(cat.Config(), snap)
	return res, nil
}

// upRuns runs the enabled tasks in dependency order: all of them when
// selected is nil, else those selected.
func upRuns(ctx context.Context, st *state.Store, cat *catalog.Catalog, selected map[string]bool, clk clock.Clock, obs UpObserver, res *UpResult) error {
	if err := RecoverDeadRuns(ctx, st, clk, obs); err != nil {
		return err
	}
	order := scheduler.Order(cat.Tasks(), selected)
	if len(order) == 0 {
		obs.NoTasks(selected != nil)
		return nil
	}
	names := make([]string, len(order))
	for i, t := range order {
		names[i] = "task." + t.Name
	}
	obs.Order(names)
	outcome := map[string]*UpRun{}
	for i, t := range order {
		if ctx.Err() != nil {
			interrupted(ctx, st, order[i:], res)
			return nil
		}
		obs.TaskStarting()
		r := upTask(ctx, st, cat, t, outcome, obs)
		outcome[t.Name] = r
		res.Runs = append(res.Runs, r)
		if r.Err != nil {
			obs.TaskFailed(t.Name, r.Err)
		}
	}
	// The last task's run may have ended cancelled by the interrupt.
	res.Interrupted = ctx.Err() != nil && len(res.Runs) > 0 && res.Runs[len(res.Runs)-1].stopped()
	return nil
}

// stopped reports whether the turn's run was cancelled or interrupted, or
// the turn was skipped for an interrupt.
func (r *UpRun) stopped() bool {
	if r.Run != nil {
		return r.Run.State == state.RunCancelled || r.Run.State == state.RunInterrupted
	}
	return strings.HasPrefix(r.Skipped, NotStartedInterrupted)
}

// interrupted records the tasks an interrupt left out as skipped; one
// whose run waits in the queue (an after of a run that succeeded queued
// it) says so, for the next up or serve runs it.
func interrupted(ctx context.Context, st *state.Store, left []*config.Task, res *UpResult) {
	res.Interrupted = true
	ctx = context.WithoutCancel(ctx)
	for _, t := range left {
		r := &UpRun{Task: t.Name, Mode: t.Mode, Skipped: NotStartedInterrupted}
		if queued := QueuedRun(ctx, st, t.Name, t.Mode); queued != nil {
			r.Skipped += fmt.Sprintf("; its queued run %d waits for the next up or serve", queued.ID)
		}
		res.Runs = append(res.Runs, r)
	}
}

// upTask runs t once, or says why it does not.
func upTask(ctx context.Context, st *state.Store, cat *catalog.Catalog, t *config.Task, outcome map[string]*UpRun, obs UpObserver) *UpRun {
	r := &UpRun{Task: t.Name, Mode: t.Mode}
	for _, ref := range t.After {
		if prior, ran := outcome[ref.Name]; ran && !prior.Succeeded() {
			r.Skipped = fmt.Sprintf("task.%s did not succeed, and this task runs after it", ref.Name)
			if prior.Run != nil && prior.Run.State == state.RunPartial {
				r.Skipped = fmt.Sprintf("task.%s finished with item errors, and this task runs only after it succeeds", ref.Name)
			}
			obs.Skipped(t.Name, r.Skipped+".")
			return r
		}
	}
	// A run of t may wait in the queue already: the one the after of a
	// task that just succeeded queued, say. That one runs.
	run := QueuedRun(ctx, st, t.Name, t.Mode)
	ours := run == nil
	if ours {
		queued, err := runner.EnqueueManual(ctx, st, cat, t.Name, "", state.OSUser())
		if err != nil && ctx.Err() != nil {
			r.Skipped = NotStartedInterrupted
			return r
		}
		if err != nil {
			return notStarted(r, err, obs)
		}
		run = queued
	}
	final, err := Execute(ctx, st, cat, run, obs)
	if err != nil && ctx.Err() != nil {
		return notClaimed(ctx, st, r, run, ours)
	}
	if err != nil {
		r.Err = err
		return r
	}
	r.Run = final
	return r
}

// notClaimed records a task whose run an interrupt stopped before it was
// claimed: a run up queued itself is cancelled, one an after queued stays
// for the next up or serve.
func notClaimed(ctx context.Context, st *state.Store, r *UpRun, run *state.Run, ours bool) *UpRun {
	r.Skipped = fmt.Sprintf("%s; its queued run %d waits for the next up or serve", NotStartedInterrupted, run.ID)
	if !ours {
		return r
	}
	r.Skipped = fmt.Sprintf("%s; its queued run %d is cancelled", NotStartedInterrupted, run.ID)
	if _, err := st.RunCancel(context.WithoutCancel(ctx), run.ID, state.OSUser(), time.Time{}); err != nil {
		r.Skipped = fmt.Sprintf("%s; its queued run %d could not be cancelled: %v", NotStartedInterrupted, run.ID, err)
	}
	return r
}

// notStarted records why a task could not start: a suspended task or one
// already running elsewhere is skipped, anything else is an error.
func notStarted(r *UpRun, err error, obs UpObserver) *UpRun {
	if errors.Is(err, runner.ErrTaskBusy) || errors.Is(err, catalog.ErrNotRunnable) {
		r.Skipped = err.Error()
		obs.Skipped(r.Task, err.Error())
		return r
	}
	r.Err = err
	return r
}

// ChangedTasks are the tasks whose fingerprint in now is new or differs
// from before: what up -watch re-runs.
func ChangedTasks(before, now map[string]string) map[string]bool {
	out := map[string]bool{}
	for name, fp := range now {
		if before[name] != fp {
			out[name] = true
		}
	}
	return out
}

// WatchedFiles are the files whose change starts a round of up -watch:
// the configuration files in opts.Dir and the -var-file files, and the
// data files the connectors of cfg's resources name (none when the
// configuration did not load).
func (o UpOptions) WatchedFiles(cfg *config.Config) watch.Files {
	f := watch.Files{Config: append(watch.ConfigFiles(o.Dir, config.ConfigFileSuffix), o.VarFiles...)}
	if cfg != nil {
		for _, name := range config.SortedNames(cfg.Resources) {
			f.Data = append(f.Data, DataFiles(o.Dir, cfg.Resources[name])...)
		}
	}
	return f
}
