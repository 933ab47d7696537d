package state

import (
	"time"

	"github.com/syncline/syncline/internal/clock"
)

// Options tune a Store. The zero value is ready to use.
type Options struct {
	// Clock tells the time; it defaults to clock.Real. The engine's
	// services and the store share one Clock, so a test's clock.Fake moves
	// them all.
	Clock clock.Clock
	// BusyTimeout is how long a statement waits for another connection's
	// lock on the database before failing; it defaults to 5 seconds. On
	// PostgreSQL it is the lock_timeout, unless the URL sets one.
	BusyTimeout time.Duration
	// ReadOnly opens an existing, up-to-date store without writing to it:
	// no file is created, no migration runs, and every write fails.
	ReadOnly bool
}

// DefaultBusyTimeout is the BusyTimeout used when Options leaves it zero.
const DefaultBusyTimeout = 5 * time.Second

func (o Options) withDefaults() Options {
	if o.Clock == nil {
		o.Clock = clock.Real{}
	}
	if o.BusyTimeout <= 0 {
		o.BusyTimeout = DefaultBusyTimeout
	}
	return o
}
