package engine

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"sync/atomic"

	"github.com/syncline/syncline/config"
	"github.com/syncline/syncline/engine/catalog"
	"github.com/syncline/syncline/engine/notify"
	"github.com/syncline/syncline/engine/runner"
	"github.com/syncline/syncline/engine/scheduler"
)

// Server is the long-running scheduler and worker pool behind syncline
// serve: a scheduler loop that fires due schedules, Workers workers that
// claim and execute runs, and a poll loop that reloads the configuration
// after an apply, notices runs queued by other processes and recovers runs
// whose worker died. It keeps nothing of its own between restarts: next
// fire times, queued and running runs all live in the state store.
type Server struct {
	cfg      ServerConfig
	catalog  atomic.Pointer[catalog.Catalog]
	sched    *scheduler.Scheduler
	notifier *notify.Dispatcher // delivers the notifications runs queue
	reloadMu sync.Mutex         // one reload at a time
	signals  serverSignals
	lastTick atomic.Int64 // when the scheduler last ticked, Unix nanoseconds; see Ready

	lifecycle sync.Mutex // guards state; held through Start
	state     serverState

	mu      sync.Mutex    // guards wake
	wake    chan struct{} // closed and replaced to wake idle workers
	tickNow chan struct{} // asks the scheduler loop to tick at once
	dueNow  chan struct{} // asks the due loop to read the next due run again

	stopLoops  context.CancelFunc      // stops claiming, ticking and polling
	cancelRuns context.CancelCauseFunc // interrupts running runs
	loops      sync.WaitGroup          // the scheduler, poll and due loops
	workers    sync.WaitGroup          // the workers, with their runs
	stopped    chan struct{}           // closed when Stop has finished
}

type serverState int

const (
	serverNew serverState = iota
	serverRunning
	serverStopping
)

// NewServer checks cfg and returns a server ready to Start.
func NewServer(cfg ServerConfig) (*Server, error) {
	cfg = cfg.withDefaults()
	if err := cfg.validate(); err != nil {
		return nil, fmt.Errorf("engine: invalid server configuration: %w", err)
	}
	return &Server{cfg: cfg, wake: make(chan struct{}), tickNow: make(chan struct{}, 1),
		dueNow: make(chan struct{}, 1), stopped: make(chan struct{})}, nil
}

// Catalog returns the catalog the server runs from now.
func (s *Server) Catalog() *catalog.Catalog { return s.catalog.Load() }

// Start loads the configuration, recovers the runs an earlier process left
// running (each interrupted run of a task that is not closed gets a
// recovery run, queued at once), and starts the loops; it returns once
// they run. Cancelling ctx later stops the server without a grace period,
// interrupting running runs; Stop is the graceful way.
func (s *Server) Start(ctx context.Context) error {
	s.lifecycle.Lock()
	defer s.lifecycle.Unlock()
	if s.state != serverNew {
		return errors.New("engine: the server was already started")
	}
	if err := s.load(ctx); err != nil {
		return err
	}
	s.sched = scheduler.New(s.cfg.Store, s.catalog.Load(), s.cfg.Clock, s.cfg.Logger)
	s.sched.SetMisfireTolerance(s.cfg.MisfireTolerance)
	s.sched.OnQueued(s.notify)
	if err := s.recover(ctx, true); err != nil {
		return err
	}
	s.keepConsumers(ctx)
	loopCtx, stopLoops := context.WithCancel(context.WithoutCancel(ctx))
	runCtx, cancelRuns := context.WithCancelCause(context.WithoutCancel(ctx))
	s.stopLoops, s.cancelRuns, s.state = stopLoops, cancelRuns, serverRunning
	s.notifier = &notify.Dispatcher{Store: s.cfg.Store, Config: func() *config.Config { return s.catalog.Load().Config() },
		Dir: s.cfg.Dir, ID: s.cfg.WorkerID + ":notify", Clock: s.cfg.Clock, Logger: s.cfg.Logger}
	if s.cfg.Observer != nil {
		s.notifier.OnDelivery = s.cfg.Observer.NotificationDelivered
	}
	s.loops.Add(4)
	go s.scheduleLoop(loopCtx)
	go s.pollLoop(loopCtx, s.cfg.Clock.NewTimer(s.cfg.PollInterval))
	go s.dueLoop(loopCtx)
	s.loops.Add(1)
	go s.bucketLoop(loopCtx)
	go func() {
		defer s.loops.Done()
		s.notifier.Run(loopCtx, s.cfg.PollInterval)
	}()
	for n := 1; n <= s.cfg.Workers; n++ {
		s.workers.Add(1)
		go s.work(loopCtx, runCtx, fmt.Sprintf("%s:%d", s.cfg.WorkerID, n))
	}
	go func() {
		select {
		case <-ctx.Done():
			_ = s.stop(context.Background(), false)
		case <-s.stopped:
		}
	}()
	s.cfg.Logger.Info("server started", "dir", s.cfg.Dir, "workers", s.cfg.Workers, "serial", s.catalog.Load().Serial())
	return nil
}

// Stop stops the server gracefully: it stops claiming and scheduling, lets
// running runs finish within the grace period, then interrupts the rest —
// each is recorded interrupted, with a recovery run queued to resume it
// from its checkpoint. It returns when every loop and run has ended, or
// with ctx's error when ctx ends first.
func (s *Server) Stop(ctx context.Context) error {
	return s.stop(ctx, true)
}

func (s *Server) stop(ctx context.Context, graceful bool) error {
	s.lifecycle.Lock()
	switch s.state {
	case serverNew:
		s.lifecycle.Unlock()
		return nil
	case serverStopping:
		s.lifecycle.Unlock()
		return waitFor(ctx, s.stopped)
	}
	s.state = serverStopping
	s.lifecycle.Unlock()
	s.cfg.Logger.Info("server stopping", "grace_period", s.cfg.GracePeriod, "graceful", graceful)
	s.stopLoops()
	if graceful {
		s.stopConsumers(context.WithoutCancel(ctx))
	}
	s.notify()
	finished := make(chan struct{})
	go func() {
		s.workers.Wait()
		s.loops.Wait()
		close(finished)
	}()
	err := s.waitGrace(ctx, finished, graceful)
	s.cancelRuns(nil)
	close(s.stopped)
	s.cfg.Logger.Info("server stopped")
	return err
}

// waitGrace waits for the runs to finish, interrupting them when the grace
// period (or ctx) ends first.
func (s *Server) waitGrace(ctx context.Context, finished chan struct{}, graceful bool) error {
	if graceful {
		grace := s.cfg.Clock.NewTimer(s.cfg.GracePeriod)
		defer grace.Stop()
		s.signals.stopping.Signal(struct{}{})
		select {
		case <-finished:
			return nil
		case <-grace.C():
		case <-ctx.Done():
		}
	}
	s.cancelRuns(runner.ErrShutdown)
	return waitFor(ctx, finished)
}

func waitFor(ctx context.Context, ch <-chan struct{}) error {
	select {
	case <-ch:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}

// notify wakes the idle workers, and has the due loop look again for the
// next run to come due: whatever woke them may have queued one (a failed
// run its retry, the poll another process's run).
func (s *Server) notify() {
	s.wakeWorkers()
	select {
	case s.dueNow <- struct{}{}:
	default: // already asked
	}
}

// wakeWorkers wakes the idle workers.
func (s *Server) wakeWorkers() {
	s.mu.Lock()
	close(s.wake)
	s.wake = make(chan struct{})
	s.mu.Unlock()
}

func (s *Server) wakeChan() <-chan struct{} {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.wake
}
