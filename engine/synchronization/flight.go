package synchronization

import (
	"context"
	"fmt"
	"time"

	"github.com/syncline/syncline/state"
)

// Flights. In the main stage of an import or reconciliation the executor
// sends a full write batch on a goroutine of its own — a flight — and the
// pass goes on deciding and committing its next steps meanwhile, so the
// resource's work and the pass's overlap instead of taking turns.
//
// The operations of a flight were committed as pending before it took
// off, as every held operation is, so a crash while it flies loses
// nothing. What the flight did is stored once it has landed, in the pass's
// next transaction (or, at the end of the pass, in one of its own): until
// then the shadows of a flight are unsettled, and the stored rows still
// show their operations pending. A decision that reads an unsettled shadow
// (flightReader) waits for the flight to land, stores its outcome in the
// decision's own transaction, and reads the shadow again — so no decision
// ever sees, or writes over, a shadow whose operations are under way. A
// transaction that fails takes its stored outcomes with it: they are
// stored again by the next one.
//
// Only batches the executor can carry out without the pass's help fly:
// creates, updates and deletes (a rename frees a key the pass may be
// asking about; membership changes share the pass's group indexes), and
// only when no error policy can stop the activity (its count of errors
// must be exact before each batch). Anything else runs as before, in
// turn with the pass.

// flight is a write batch under way.
type flight struct {
	steps []*step
	done  chan struct{} // closed when its rounds have ended
}

// fly starts the rounds of steps on a goroutine of their own.
func (x *executor) fly(ctx context.Context, rec Recorder, steps []*step, now time.Time) {
	f := &flight{steps: steps, done: make(chan struct{})}
	if x.unsettled == nil {
		x.unsettled = map[int64]bool{}
	}
	for _, s := range steps {
		x.unsettled[s.sh.ID] = true
	}
	x.flying = f
	go func() {
		defer close(f.done)
		x.rounds(ctx, rec, steps, now, false)
	}()
}

// canFly reports whether steps may fly (see Flights).
func (x *executor) canFly(steps []*step) bool {
	if !x.async || x.w.job.noFlights || x.errs.left() >= 0 {
		return false
	}
	for _, s := range steps {
		for _, p := range s.sh.Pending {
			switch p.Op {
			case state.OpCreate, state.OpUpdate, state.OpDisable, state.OpDelete:
			default:
				return false
			}
		}
	}
	return true
}

// land waits for the flight under way, if any, and keeps its outcome to
// be stored; why says what waits for it ("read": a decision reads one of
// its shadows; "launch", "flush").
func (x *executor) land(why string) {
	if x.flying == nil {
		return
	}
	if hook := x.w.job.flightWait; hook != nil && !x.flying.over() {
		hook(why)
	}
	<-x.flying.done
	x.landed = append(x.landed, x.outcome(x.flying.steps))
	x.flying = nil
}

// over reports, without waiting, whether the flight's rounds have ended.
func (f *flight) over() bool {
	select {
	case <-f.done:
		return true
	default:
		return false
	}
}

// settleIn stores in the pass's transaction r the outcomes of the flights
// that have landed — after waiting for the one under way when wait is set.
// They count as stored once r commits (committed).
func (x *executor) settleIn(r *state.RepositoryTx, wait bool) error {
	if x.flying != nil && (wait || x.flying.over()) {
		x.land("read")
	}
	for len(x.landed) > 0 {
		o := x.landed[0]
		if len(o.changed) > 0 {
			if err := x.store(r, o); err != nil {
				return err
			}
		}
		x.landed = x.landed[1:]
		x.storing = append(x.storing, o)
		for _, id := range o.ids {
			delete(x.unsettled, id)
		}
	}
	return nil
}

// committed ends the pass's transaction for the outcomes stored in it:
// settled when it committed, to be stored again when it did not.
func (x *executor) committed(ok bool) {
	if len(x.storing) == 0 {
		return
	}
	if !ok {
		for _, o := range x.storing {
			for _, id := range o.ids {
				x.unsettled[id] = true
			}
		}
		x.landed = append(x.storing, x.landed...)
	}
	x.storing = nil
}

// storeLanded waits for the flight under way and stores every outcome
// not stored yet in a transaction of its own: even when the run is being
// cancelled, so that the shadows agree with the resources.
func (x *executor) storeLanded(ctx context.Context) error {
	x.land("flush")
	if len(x.landed) == 0 {
		return x.syncErr
	}
	err := x.w.job.Store.RepositoryWrite(context.WithoutCancel(ctx), func(r *state.RepositoryTx) error {
		return x.settleIn(r, false)
	})
	x.committed(err == nil)
	if err != nil {
		return err
	}
	return x.syncErr
}

// unsettledIn returns the first shadow of stored whose operations are in a
// flight not stored yet (ID 0: none).
func (x *executor) unsettledIn(stored []storedShadow) int64 {
	if len(x.unsettled) == 0 {
		return 0
	}
	for _, s := range stored {
		if x.unsettled[s.sh.ID] {
			return s.sh.ID
		}
	}
	return 0
}

// errWrittenInFlight would mean that a decision wrote a shadow without
// reading it through a flightReader.
func errWrittenInFlight(id int64) error {
	return fmt.Errorf("internal error: shadow %d was written while its operations were under way", id)
}

// reader is what a pass's decisions in r read the repository through: r,
// or a flightReader while shadows are unsettled.
func (x *executor) reader(r *state.RepositoryTx) repositoryReader {
	if len(x.unsettled) == 0 {
		return r
	}
	return flightReader{RepositoryTx: r, x: x}
}

// flightReader reads a shadow that is unsettled again once the flight
// that carries its operations has landed and its outcome is stored in the
// reading transaction.
type flightReader struct {
	*state.RepositoryTx
	x *executor
}

func (f flightReader) ShadowByKey(resource, kind, intent, key string) (*state.Shadow, error) {
	sh, err := f.RepositoryTx.ShadowByKey(resource, kind, intent, key)
	if err != nil || sh == nil || !f.x.unsettled[sh.ID] {
		return sh, err
	}
	if err := f.x.settleIn(f.RepositoryTx, true); err != nil {
		return nil, err
	}
	return f.RepositoryTx.ShadowByKey(resource, kind, intent, key)
}

func (f flightReader) ShadowsOfUser(userID int64) ([]*state.Shadow, error) {
	shs, err := f.RepositoryTx.ShadowsOfUser(userID)
	if err != nil {
		return nil, err
	}
	for _, sh := range shs {
		if f.x.unsettled[sh.ID] {
			if err := f.x.settleIn(f.RepositoryTx, true); err != nil {
				return nil, err
			}
			return f.RepositoryTx.ShadowsOfUser(userID)
		}
	}
	return shs, nil
}
