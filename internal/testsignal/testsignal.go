// Package testsignal is the points tests wait on instead of sleeping, in
// the manner of River's testsignal: a long-running service (engine.Server,
// engine/gitsync.Syncer) signals what it did, and a test that initialized
// the signal waits for it. A signal is off (a nil channel) unless a test
// calls Init, and it never blocks the service: a value nobody reads is
// dropped once the buffer is full.
//
// Neighbours: engine and engine/gitsync keep their signals in a struct of
// Signals that their tests initialize.
package testsignal

// Signal is one point a test can wait on, carrying a T each time.
type Signal[T any] struct{ ch chan T }

// Init turns the signal on; only tests call it.
func (s *Signal[T]) Init() { s.ch = make(chan T, 1000) }

// Signal records v for a test that waits, when the signal is on.
func (s *Signal[T]) Signal(v T) {
	if s.ch == nil {
		return
	}
	select {
	case s.ch <- v:
	default:
	}
}

// C is what a test receives the signalled values from; nil when off.
func (s *Signal[T]) C() <-chan T { return s.ch }
