package runner

import (
	"sync"

	"github.com/syncline/syncline/internal/clock"
)

// startTimeout cancels the run with errTimedOut at its deadline; the
// returned function stops the timer.
func (ex *execution) startTimeout() func() {
	deadline := ex.snapshot().Deadline
	if deadline.IsZero() {
		return func() {}
	}
	t := ex.r.Clock.AfterFunc(deadline.Sub(ex.r.Clock.Now()), func() { ex.cancel(errTimedOut) })
	return func() { t.Stop() }
}

// startMonitor heartbeats the run and writes changed progress every
// second until the returned function is called, which waits for it to
// stop. A cancel request seen in a heartbeat cancels the run; a heartbeat
// refused because the run is no longer this worker's stops it as lost.
func (ex *execution) startMonitor() func() {
	stop := make(chan struct{})
	// The timers start here, not in the goroutine, so the first heartbeat
	// is due one interval from the run's start whatever the scheduling.
	beat := ex.r.Clock.NewTimer(ex.r.HeartbeatInterval)
	save := ex.r.Clock.NewTimer(progressInterval)
	var wg sync.WaitGroup
	wg.Add(1)
	go func() {
		defer wg.Done()
		ex.monitor(stop, beat, save)
	}()
	return func() {
		close(stop)
		wg.Wait()
	}
}

func (ex *execution) monitor(stop <-chan struct{}, beat, save clock.Timer) {
	clk := ex.r.Clock
	defer func() {
		beat.Stop()
		save.Stop()
	}()
	for {
		select {
		case <-stop:
			return
		case <-beat.C():
			ex.heartbeat()
			beat = clk.NewTimer(ex.r.HeartbeatInterval)
		case <-save.C():
			ex.flush(false)
			save = clk.NewTimer(progressInterval)
		}
	}
}

func (ex *execution) heartbeat() {
	r := ex.r
	cancelRequested, err := r.Store.RunHeartbeat(ex.ctx, ex.run.ID, r.Worker, r.Clock.Now())
	switch {
	case err != nil && isRunStateError(err):
		ex.cancel(ErrLostRun)
	case err != nil:
		r.Logger.Warn("heartbeat failed", "run", ex.run.ID, "error", err)
	case cancelRequested:
		ex.cancel(errCancelRequested)
	}
}
