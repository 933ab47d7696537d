package synchronization

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"time"

	"github.com/syncline/syncline/engine/connector"
	"github.com/syncline/syncline/state"
)

// executor performs pending operations on resources and records the
// outcome on their shadows.
type executor struct {
	w *world
	// errs counts failed operations against the activity's error policy
	// (nil: no policy); stop is the policy's stop, once met.
	errs *errorCounter
	stop error
	// down holds resources found unreachable in this pass: their
	// operations stay pending without another try until the next pass.
	down map[string]error
	// completed counts shadows whose every operation is done.
	completed int64
}

func newExecutor(w *world, errs *errorCounter) *executor {
	return &executor{w: w, errs: errs, down: map[string]error{}}
}

// Retry backoff for failed operations.
const (
	retryBase = time.Minute
	retryMax  = time.Hour
)

// run executes the pending operations of the shadows ids that are due at
// now (all of them when force is set), then stores the shadows. It
// returns the error policy's stop once failures reach it.
func (x *executor) run(ctx context.Context, rec Recorder, ids []int64, now time.Time, force bool) error {
	for chunk := range slices.Chunk(ids, 500) {
		shs, err := x.w.job.Store.ShadowsByID(ctx, chunk)
		if err != nil {
			return err
		}
		if err := x.runShadows(ctx, rec, shs, now, force); err != nil {
			return err
		}
	}
	return nil
}

// runShadows is run for shadows already read.
func (x *executor) runShadows(ctx context.Context, rec Recorder, all []*state.Shadow, now time.Time, force bool) error {
	for shs := range slices.Chunk(all, 500) {
		var changed []*state.Shadow
		for _, sh := range shs {
			if x.stop != nil {
				break
			}
			if x.executeShadow(ctx, rec, sh, now, force) {
				changed = append(changed, sh)
			}
		}
		if len(changed) == 0 {
			continue
		}
		err := x.w.job.Store.RepositoryWrite(ctx, func(r *state.RepositoryTx) error {
			for _, sh := range changed {
				if err := r.PutShadow(sh); err != nil {
					return err
				}
			}
			return nil
		})
		if err != nil {
			return err
		}
	}
	if err := ctx.Err(); err != nil {
		return err
	}
	return x.stop
}

// executeShadow performs sh's due operations in order, stopping at the
// first that fails; it reports whether sh changed.
func (x *executor) executeShadow(ctx context.Context, rec Recorder, sh *state.Shadow, now time.Time, force bool) bool {
	ops := mergeOps(sh.Pending)
	changed := len(ops) != len(sh.Pending)
	sh.Pending = ops
	for len(sh.Pending) > 0 && ctx.Err() == nil {
		p := &sh.Pending[0]
		if x.expired(rec, sh, p, now) {
			sh.Pending = sh.Pending[1:]
			sh.Hash = "" // the object is not what the shadow says: look again
			changed = true
			continue
		}
		if !force && p.NextAttemptAt.After(now) {
			break
		}
		err, down := x.down[sh.Resource]
		if !down {
			// Once a resource is found unreachable, the pass does not
			// wait for it again: its other operations fail the same way.
			err = x.perform(ctx, sh, p)
		}
		changed = true
		if err != nil {
			x.failed(rec, sh, p, err, now)
			break
		}
		x.done(rec, sh, p)
		sh.Pending = sh.Pending[1:]
	}
	if len(sh.Pending) == 0 {
		if sh.Pending != nil || changed {
			x.completed++
		}
		sh.Pending = nil
	}
	return changed
}

// expired reports, and records as the object's error, an operation older
// than its resource's pending_retention: it is given up.
func (x *executor) expired(rec Recorder, sh *state.Shadow, p *state.PendingOperation, now time.Time) bool {
	res := x.w.cfg.Resources[sh.Resource]
	if res == nil || res.PendingRetention <= 0 || now.Sub(p.QueuedAt) <= res.PendingRetention {
		return false
	}
	x.itemError(rec, fmt.Sprintf("%s/%s", sh.Resource, sh.Identifier),
		fmt.Errorf("%s given up: pending since %s, longer than pending_retention (%s); last error: %s",
			p.Op, p.QueuedAt.UTC().Format(time.RFC3339), res.PendingRetention, p.LastError))
	rec.AddStatistic("operations.expired", 1)
	return true
}

// perform does one operation on the resource.
func (x *executor) perform(ctx context.Context, sh *state.Shadow, p *state.PendingOperation) error {
	conn, err := x.w.conn(ctx, sh.Resource)
	if err != nil {
		return err
	}
	attrs := connector.Attributes(p.Attributes)
	switch p.Op {
	case state.OpCreate:
		err = conn.Create(ctx, connector.Object{ID: sh.Identifier, Attributes: attrs})
		if errors.Is(err, connector.ErrAlreadyExists) {
			// Created before a crash, or by someone else: bring the
			// existing object in line instead.
			return x.align(ctx, conn, sh, attrs)
		}
		return err
	case state.OpUpdate, state.OpDisable:
		return conn.Update(ctx, sh.Identifier, replaceMods(attrs))
	case state.OpDelete:
		err = conn.Delete(ctx, sh.Identifier)
		if errors.Is(err, connector.ErrNotFound) {
			return nil
		}
		return err
	}
	return fmt.Errorf("unknown pending operation %q", p.Op)
}

// align updates the existing object of sh to have attrs. The identifier
// is left as the resource spells it: the resource matched it to ours.
func (x *executor) align(ctx context.Context, conn connector.Connector, sh *state.Shadow, attrs connector.Attributes) error {
	id := sh.Identifier
	obj, err := conn.Get(ctx, id)
	if err != nil {
		return err
	}
	idAttr := ""
	if rt, err := x.w.resourceType(sh.Resource, sh.Kind, sh.Intent); err == nil {
		idAttr = rt.idAttr
	}
	var mods []connector.Modification
	for _, name := range attrs.Names() {
		if name != idAttr && !slices.Equal(obj.Attributes[name], attrs[name]) {
			mods = append(mods, connector.Replace(name, attrs[name]...))
		}
	}
	if len(mods) == 0 {
		return nil
	}
	return conn.Update(ctx, id, mods)
}

// done records a performed operation on sh.
func (x *executor) done(rec Recorder, sh *state.Shadow, p *state.PendingOperation) {
	rec.AddStatistic("operations."+p.Op, 1)
	switch p.Op {
	case state.OpDelete:
		sh.Dead, sh.Owner, sh.Situation = true, 0, "deleted"
		sh.Attributes = nil
	case state.OpCreate:
		sh.Attributes = p.Attributes
	default:
		merged := connector.Attributes(sh.Attributes).Clone()
		for k, vs := range p.Attributes {
			merged[k] = vs
		}
		sh.Attributes = merged
	}
	if len(sh.Pending) == 1 && !sh.Dead {
		sh.Hash = hashText(attributesHash(sh.Attributes))
	}
}

// failed records a failed operation: kept pending with a later next
// attempt, or dropped when its object is gone.
func (x *executor) failed(rec Recorder, sh *state.Shadow, p *state.PendingOperation, err error, now time.Time) {
	x.itemError(rec, fmt.Sprintf("%s/%s", sh.Resource, sh.Identifier), fmt.Errorf("%s: %w", p.Op, err))
	if errors.Is(err, connector.ErrUnreachable) {
		x.down[sh.Resource] = err
	}
	if errors.Is(err, connector.ErrNotFound) {
		// The object is gone: the operation cannot succeed. A
		// reconciliation finds the object's situation.
		sh.Pending = sh.Pending[1:]
		sh.Hash = ""
		return
	}
	p.Attempts++
	p.LastError = err.Error()
	backoff := retryBase << min(p.Attempts-1, 6)
	p.NextAttemptAt = now.Add(min(backoff, retryMax))
	rec.AddStatistic("operations.pending", 1)
}

// itemError records a failed operation and counts it against the error
// policy.
func (x *executor) itemError(rec Recorder, item string, err error) {
	rec.AddItemError(item, CategoryResource, err)
	if x.errs == nil {
		return
	}
	if stop := x.errs.add(); stop != nil && x.stop == nil {
		x.stop = stop
	}
}

// mergeOps merges queued operations on one object: later updates fold
// into an earlier create or update; a delete ends everything before it
// (and a create followed by a delete is no operation at all).
func mergeOps(ops []state.PendingOperation) []state.PendingOperation {
	if len(ops) < 2 {
		return ops
	}
	var out []state.PendingOperation
	for _, p := range ops {
		n := len(out)
		switch {
		case n > 0 && p.Op == state.OpDelete && out[n-1].Op == state.OpCreate && out[n-1].Attempts == 0:
			out = out[:n-1]
		case n > 0 && p.Op == state.OpDelete:
			out = append(out[:0], p)
		case n > 0 && (p.Op == state.OpUpdate || p.Op == state.OpDisable) && out[n-1].Op != state.OpDelete:
			last := &out[n-1]
			merged := connector.Attributes(last.Attributes).Clone()
			for k, vs := range p.Attributes {
				merged[k] = vs
			}
			last.Attributes = merged
		default:
			out = append(out, p)
		}
	}
	return out
}

func replaceMods(attrs connector.Attributes) []connector.Modification {
	mods := make([]connector.Modification, 0, len(attrs))
	for _, name := range attrs.Names() {
		mods = append(mods, connector.Replace(name, attrs[name]...))
	}
	return mods
}
