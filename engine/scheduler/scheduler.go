package scheduler

import (
	"context"
	"errors"
	"io"
	"log/slog"
	"sync"
	"sync/atomic"
	"time"

	"github.com/syncline/syncline/engine/catalog"
	"github.com/syncline/syncline/internal/clock"
	"github.com/syncline/syncline/state"
)

// DefaultRefreshInterval is how often a Scheduler re-reads every task's
// runtime record; in between it reads only the tasks coming due.
const DefaultRefreshInterval = time.Minute

// Scheduler carries out Decide's decisions through the store. Next fire
// times live in the task runtime records, and each fire is recorded with
// a compare-and-set, so several schedulers (processes, nodes) on one store
// never fire a fire time twice.
//
// To stay cheap with many tasks, it keeps the records' due times in a
// heap, read in full when the catalog changes and every refresh interval.
// A task that comes due is read again, with its active runs, and decided
// on that fresh reading; the heap only says when to look.
type Scheduler struct {
	store   *state.Store
	clock   clock.Clock
	log     *slog.Logger
	catalog atomic.Pointer[catalog.Catalog]

	mu      sync.Mutex // guards the fields below; one Tick at a time
	policy  Policy
	refresh time.Duration
	due     *dueIndex
	queued  func() // called after each decision that queued runs
}

// New returns a scheduler for the tasks of cat; clock nil is the real
// clock, log nil discards.
func New(store *state.Store, cat *catalog.Catalog, clk clock.Clock, log *slog.Logger) *Scheduler {
	if clk == nil {
		clk = clock.Real{}
	}
	if log == nil {
		log = slog.New(slog.NewTextHandler(io.Discard, nil))
	}
	s := &Scheduler{store: store, clock: clk, log: log, refresh: DefaultRefreshInterval}
	s.catalog.Store(cat)
	return s
}

// SetCatalog replaces the catalog, after a newer apply; the next tick
// reads every task again.
func (s *Scheduler) SetCatalog(cat *catalog.Catalog) { s.catalog.Store(cat) }

// SetMisfireTolerance changes how late a fire time may be and still count
// as on time (default DefaultMisfireTolerance).
func (s *Scheduler) SetMisfireTolerance(d time.Duration) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.policy.MisfireTolerance = d
}

// OnQueued sets a function called as soon as a decision has queued runs,
// before the tick ends: a server wakes its workers with it.
func (s *Scheduler) OnQueued(f func()) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.queued = f
}

// SetRefreshInterval changes how often every runtime record is read
// again (default DefaultRefreshInterval).
func (s *Scheduler) SetRefreshInterval(d time.Duration) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.refresh = d
}

// TickResult says what one tick did.
type TickResult struct {
	Decisions []Decision // the decisions carried out
	Lost      int        // decisions another scheduler made first
	Queued    int        // runs queued
	Skipped   int        // runs recorded skipped
	// Wake is the earliest next fire time of the tasks the scheduler may
	// fire, zero when none: when the next tick has something to do.
	Wake time.Time
}

// Tick decides about every task that is due — its next fire time has
// come, or its schedule changed — and carries the decisions out:
// TaskAdvanceSchedule for each (a compare-and-set that also stores the runs),
// then RunCancel for the runs a "replace" task's new run replaces.
func (s *Scheduler) Tick(ctx context.Context) (TickResult, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	cat, now := s.catalog.Load(), s.clock.Now()
	if err := s.refreshIndex(ctx, cat, now); err != nil {
		return TickResult{}, err
	}
	p := s.policy
	p.Serial = cat.Serial()
	var res TickResult
	var errs []error
	var done, failed []TaskStatus
	for _, task := range s.due.popDue(now) {
		ts, err := s.decideFresh(ctx, cat, task, now, p, &res)
		if err != nil {
			errs = append(errs, err)
			failed = append(failed, ts)
			continue
		}
		done = append(done, ts)
	}
	for i := range done {
		s.due.set(&done[i])
	}
	for i := range failed {
		s.due.setAt(&failed[i], now.Add(time.Second)) // look again soon, not at once
	}
	res.Wake = s.due.next(now)
	return res, errors.Join(errs...)
}

// refreshIndex reads every runtime record when the catalog changed, the
// refresh interval passed, or the clock went back.
func (s *Scheduler) refreshIndex(ctx context.Context, cat *catalog.Catalog, now time.Time) error {
	if s.due != nil && s.due.catalog == cat && now.Sub(s.due.readAt) < s.refresh && !now.Before(s.due.readAt) {
		return nil
	}
	statuses, err := s.statuses(ctx, cat, false)
	if err != nil {
		return err
	}
	s.due = newDueIndex(cat, now, statuses)
	return nil
}

// decideFresh reads one due task again with its active runs, decides and
// carries the decision out; it returns the task's status as it now is.
func (s *Scheduler) decideFresh(ctx context.Context, cat *catalog.Catalog, task string, now time.Time, p Policy, res *TickResult) (TaskStatus, error) {
	rt, err := s.store.TaskRuntime(ctx, task)
	var unknown *state.UnknownTaskError
	if errors.As(err, &unknown) {
		return TaskStatus{Runtime: state.TaskRuntime{Task: task, State: state.TaskClosed}}, nil
	}
	if err != nil {
		return s.due.status(task), err
	}
	active, err := s.store.RunListActive(ctx, task)
	if err != nil {
		return s.due.status(task), err
	}
	ts := statusOf(cat, *rt, active)
	ds, _ := Decide(now, []TaskStatus{ts}, p)
	if len(ds) == 0 {
		return ts, nil
	}
	d := ds[0]
	ok, err := s.store.TaskAdvanceSchedule(ctx, d.Task, d.ExpectNext, d.NewNext, d.ScheduleKey, d.Runs)
	switch {
	case err != nil:
		return ts, err
	case !ok:
		res.Lost++
		ts.Runtime.NextFireAt = time.Time{} // changed meanwhile: read it again
		return ts, nil
	}
	res.Decisions = append(res.Decisions, d)
	if res.count(d) > 0 && s.queued != nil {
		s.queued()
	}
	s.cancel(ctx, d, now)
	ts.Runtime.NextFireAt, ts.Runtime.ScheduleKey = d.NewNext, d.ScheduleKey
	return ts, nil
}

// count adds the decision's runs to the result and returns how many it
// queued.
func (res *TickResult) count(d Decision) int {
	queued := 0
	for _, r := range d.Runs {
		if r.State == state.RunQueued {
			queued++
		} else {
			res.Skipped++
		}
	}
	res.Queued += queued
	return queued
}

// cancel cancels the runs a decision replaces; a run that finished
// meanwhile needs nothing.
func (s *Scheduler) cancel(ctx context.Context, d Decision, now time.Time) {
	for _, id := range d.Cancel {
		_, err := s.store.RunCancel(ctx, id, "the scheduler: a newer run replaces it (concurrency = replace)", now)
		var rs *state.RunStateError
		if err != nil && !errors.As(err, &rs) {
			s.log.Warn("cancelling a replaced run failed", "run", id, "task", d.Task, "error", err)
		}
	}
}

// statuses reads every task's runtime record and, with withActive, the
// active runs, into what Decide needs.
func (s *Scheduler) statuses(ctx context.Context, cat *catalog.Catalog, withActive bool) ([]TaskStatus, error) {
	runtimes, err := s.store.TaskRuntimes(ctx)
	if err != nil {
		return nil, err
	}
	byTask := map[string][]state.Run{}
	if withActive {
		active, err := s.store.RunList(ctx, state.RunFilter{State: []state.RunState{state.RunQueued, state.RunRunning}})
		if err != nil {
			return nil, err
		}
		for i := len(active) - 1; i >= 0; i-- { // oldest first
			byTask[active[i].Task] = append(byTask[active[i].Task], active[i])
		}
	}
	out := make([]TaskStatus, 0, len(runtimes))
	for _, rt := range runtimes {
		out = append(out, statusOf(cat, rt, byTask[rt.Task]))
	}
	return out, nil
}

// statusOf is the catalog's view of a task with its runtime record.
func statusOf(cat *catalog.Catalog, rt state.TaskRuntime, active []state.Run) TaskStatus {
	ts := TaskStatus{Runtime: rt, Active: active, Revision: cat.Revision(rt.Task)}
	if rt.State != state.TaskClosed {
		ts.Task = cat.Config().Tasks[rt.Task]
		ts.Problem = cat.Problem(rt.Task)
	}
	return ts
}
