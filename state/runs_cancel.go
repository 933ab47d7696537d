package state

import (
	"context"
	"time"
)

// RunCancel cancels run id on behalf of by, and returns the run as it is
// now. A queued run is cancelled at once (finished at now); for a running
// run, the cancel is requested: its worker learns of it from Heartbeat
// and finishes the run as cancelled. Cancelling a running run twice is
// harmless. A run that has finished is a RunStateError.
func (s *Store) RunCancel(ctx context.Context, id int64, by string, now time.Time) (*Run, error) {
	var cancelled *Run
	err := s.writeTx(ctx, func(w *writeTx) error {
		r, err := w.readRun(id)
		if err != nil {
			return err
		}
		cancelled, err = w.cancel(r, by, w.nowOr(now))
		return err
	})
	if err != nil {
		return nil, s.fail("cancel", err, "")
	}
	return cancelled, nil
}

func (w *writeTx) cancel(r *Run, by string, now time.Time) (*Run, error) {
	note := "cancelled"
	if by != "" {
		note = "cancelled by " + by
	}
	var (
		runs []Run
		err  error
	)
	switch r.State {
	case RunQueued:
		runs, err = w.queryRuns(`UPDATE runs SET state = 'cancelled', finished_at = ?, note = ?
WHERE id = ? RETURNING `+runColumns, formatTime(now), note, r.ID)
	case RunRunning:
		runs, err = w.queryRuns(`UPDATE runs SET cancel_requested = 1, note = ?
WHERE id = ? RETURNING `+runColumns, note, r.ID)
	default:
		return nil, &RunStateError{ID: r.ID, State: r.State}
	}
	if err != nil {
		return nil, err
	}
	if err := w.notifyOutcomes(runs); err != nil {
		return nil, err
	}
	return &runs[0], nil
}
