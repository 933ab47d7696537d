package engine

import (
	"errors"
	"fmt"
	"io"
	"log/slog"
	"time"

	"github.com/syncline/syncline/config"
	"github.com/syncline/syncline/engine/activity"
	"github.com/syncline/syncline/engine/notify"
	"github.com/syncline/syncline/engine/runner"
	"github.com/syncline/syncline/engine/scheduler"
	"github.com/syncline/syncline/internal/clock"
	"github.com/syncline/syncline/state"
)

// ServerConfig configures a Server. Zero values take the defaults below.
type ServerConfig struct {
	Store       *state.Store // required
	Dir         string       // the configuration directory; required
	LoadOptions config.LoadOptions
	// Source says where the configuration applied as a snapshot is, for
	// each snapshot the server loads: serve -sync answers with the
	// checkout of the applied commit. Default: DirSource(Dir).
	Source ConfigSource
	// Workers is how many runs execute at once. Default 2.
	Workers int
	// PollInterval is how often the server looks for work it was not told
	// about: a newer apply (the state serial changed: reload the
	// configuration), runs queued by other processes, retries coming due,
	// workers that stopped heartbeating. Default 2s.
	PollInterval time.Duration
	// HeartbeatInterval is how often a running run heartbeats; a run whose
	// heartbeat is three intervals old is recovered. Default 2s.
	HeartbeatInterval time.Duration
	// GracePeriod is how long Stop lets running runs finish before it
	// interrupts them. Default 10s.
	GracePeriod time.Duration
	// MisfireTolerance: see scheduler.Policy. Default scheduler.DefaultMisfireTolerance.
	MisfireTolerance time.Duration
	Clock            clock.Clock  // default RealClock
	Logger           *slog.Logger // default discards
	// WorkerID is the prefix of the worker IDs, default runner.WorkerPrefix()
	// ("host:pid"); workers are PREFIX:1, PREFIX:2, …
	WorkerID string
	// Activities overrides activity implementations by type (tests,
	// benchmarks); the others are runner.DefaultActivities'.
	Activities activity.Registry
	// Observer, when set, is told when a run starts and ends and of every
	// notification delivery attempt (engine/metrics). Default: nobody.
	Observer Observer
}

// Observer is told what the server does, as it happens; engine/metrics
// implements it. Its methods are called on the server's goroutines and
// must return quickly.
type Observer interface {
	// RunStarted: a worker starts executing run, delay after the time
	// it was scheduled for.
	RunStarted(run *state.Run, delay time.Duration)
	// RunFinished: a worker recorded run's end (run as stored then).
	RunFinished(run *state.Run)
	// NotificationDelivered: the server's dispatcher made one delivery
	// attempt.
	NotificationDelivered(d notify.Delivery)
}

// Server defaults.
const (
	DefaultWorkers      = 2
	DefaultPollInterval = 2 * time.Second
	DefaultGracePeriod  = 10 * time.Second
	maxWorkers          = 1024
)

func (c ServerConfig) withDefaults() ServerConfig {
	if c.Source == nil {
		c.Source = DirSource(c.Dir)
	}
	if c.Workers == 0 {
		c.Workers = DefaultWorkers
	}
	if c.PollInterval == 0 {
		c.PollInterval = DefaultPollInterval
	}
	if c.HeartbeatInterval == 0 {
		c.HeartbeatInterval = runner.DefaultHeartbeatInterval
	}
	if c.GracePeriod == 0 {
		c.GracePeriod = DefaultGracePeriod
	}
	if c.MisfireTolerance == 0 {
		c.MisfireTolerance = scheduler.DefaultMisfireTolerance
	}
	if c.Clock == nil {
		c.Clock = clock.Real{}
	}
	if c.Logger == nil {
		c.Logger = slog.New(slog.NewTextHandler(io.Discard, nil))
	}
	if c.WorkerID == "" {
		c.WorkerID = runner.WorkerPrefix()
	}
	return c
}

func (c ServerConfig) validate() error {
	var errs []error
	if c.Store == nil {
		errs = append(errs, errors.New("a state store is required"))
	}
	if c.Dir == "" {
		errs = append(errs, errors.New("a configuration directory is required"))
	}
	if c.Workers < 1 || c.Workers > maxWorkers {
		errs = append(errs, fmt.Errorf("workers must be between 1 and %d, not %d", maxWorkers, c.Workers))
	}
	for _, d := range []struct {
		name string
		v    time.Duration
	}{{"poll interval", c.PollInterval}, {"heartbeat interval", c.HeartbeatInterval},
		{"grace period", c.GracePeriod}, {"misfire tolerance", c.MisfireTolerance}} {
		if d.v < 0 {
			errs = append(errs, fmt.Errorf("the %s must not be negative, got %s", d.name, d.v))
		}
	}
	return errors.Join(errs...)
}
