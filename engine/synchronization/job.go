package synchronization

import (
	"context"
	"log/slog"
	"time"

	"github.com/syncline/syncline/internal/clock"

	"github.com/syncline/syncline/config"
	"github.com/syncline/syncline/engine/connector"
	"github.com/syncline/syncline/engine/connector/builtin"
	"github.com/syncline/syncline/state"
)

// Recorder is where an activity counts its progress: the engine's
// activity context, or a stage (sub-activity) of it. Methods are safe for
// concurrent use.
type Recorder interface {
	SetTotal(n int64)
	AddSuccess(n int64)
	AddSkipped(n int64)
	// AddItemError counts one failed object: its identifier, the error
	// category (see the Category constants) and the error.
	AddItemError(item, category string, err error)
	AddStatistic(name string, delta int64)
	SetOutput(key, value string)
}

// StageRecorder records the stages (sub-activities) of a reconciliation
// separately on the run.
type StageRecorder interface {
	Recorder
	// Stage starts the named stage; end records how it ended.
	Stage(name string) (rec Recorder, end func(err error))
}

// Job is one activity's work: what to synchronize and where to report.
type Job struct {
	Config   *config.Config
	Activity *config.Activity
	// Task is the name of the task the activity belongs to ("" outside a
	// run): live synchronization keeps its token under it.
	Task  string
	RunID int64
	Mode  config.Mode
	Store *state.Store
	// Connectors are opened with these options (BaseDir: relative paths).
	ConnectorOptions connector.Options
	// Open opens a resource's connector; nil means the built-in ones.
	Open  func(ctx context.Context, res *config.Resource, opts connector.Options) (connector.Connector, error)
	Clock clock.Clock  // nil: clock.Real
	Log   *slog.Logger // nil: discard
	Rec   Recorder

	// BatchSize is how many objects one repository transaction takes; 0
	// means DefaultBatchSize.
	BatchSize int
	// BucketLease is how long a bucket's claim lasts unrenewed (0:
	// DefaultBucketLease); BucketPoll how often a run waiting for other
	// nodes' buckets looks again (0: DefaultBucketPoll).
	BucketLease time.Duration
	BucketPoll  time.Duration
	// MaxChanges bounds the per-object changes a full run keeps for
	// `runs show` (preview keeps every one); 0 means DefaultMaxChanges.
	MaxChanges int

	// Tests only (export_test.go): noFlights runs every write batch in
	// turn with the pass; flightWait is called when the pass is about to
	// wait for a flight still under way (flight.go); wholeOutcomes has
	// the executor store every outcome whole (PutShadowOutcomes), never
	// only its queue (PutShadowQueues).
	noFlights     bool
	flightWait    func(why string)
	wholeOutcomes bool
	// syncHook, when set, is called instead of the session's Sync before
	// a write batch is sent, with that Sync to call (or not).
	syncHook func(sync func() error) error
}

// Defaults.
const (
	DefaultBatchSize  = 500
	DefaultMaxChanges = 1000
)

// Error categories of item errors.
const (
	CategoryMapping     = "mapping"     // an expression failed for the object
	CategoryCorrelation = "correlation" // the object cannot be matched safely
	CategoryResource    = "resource"    // the resource refused or could not be reached
	CategoryRepository  = "repository"  // the repository refused a change (a taken name)
	CategoryObject      = "object"      // the resource object itself is malformed
)

func (j *Job) now() time.Time {
	if j.Clock != nil {
		return j.Clock.Now()
	}
	return time.Now()
}

func (j *Job) log() *slog.Logger {
	if j.Log != nil {
		return j.Log
	}
	return slog.New(slog.DiscardHandler)
}

func (j *Job) open(ctx context.Context, res *config.Resource) (connector.Connector, error) {
	if j.Open != nil {
		return j.Open(ctx, res, j.ConnectorOptions)
	}
	return builtin.Open(ctx, res, j.ConnectorOptions)
}

func (j *Job) batchSize() int {
	if j.BatchSize > 0 {
		return j.BatchSize
	}
	return DefaultBatchSize
}

func (j *Job) maxChanges() int {
	switch {
	case j.Mode == config.ModePreview:
		return -1
	case j.MaxChanges > 0:
		return j.MaxChanges
	}
	return DefaultMaxChanges
}
