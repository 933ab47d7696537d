package state

import "time"

// Options tune a Store. The zero value is ready to use.
type Options struct {
	// Now tells the time; it defaults to time.Now. Tests inject a fixed
	// clock.
	Now func() time.Time
	// BusyTimeout is how long a statement waits for another connection's
	// lock on the database before failing; it defaults to 5 seconds.
	BusyTimeout time.Duration
	// ReadOnly opens an existing, up-to-date store without writing to it:
	// no file is created, no migration runs, and every write fails.
	ReadOnly bool
}

// DefaultBusyTimeout is the BusyTimeout used when Options leaves it zero.
const DefaultBusyTimeout = 5 * time.Second

func (o Options) withDefaults() Options {
	if o.Now == nil {
		o.Now = time.Now
	}
	if o.BusyTimeout <= 0 {
		o.BusyTimeout = DefaultBusyTimeout
	}
	return o
}
