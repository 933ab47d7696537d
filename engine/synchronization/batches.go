package synchronization

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"maps"
	"slices"
	"time"

	"github.com/syncline/syncline/config"
	"github.com/syncline/syncline/engine/connector"
	"github.com/syncline/syncline/state"
)

// Write batches. A pass commits its decisions a step at a time and hands
// the executor the shadows whose operations are due (hold); the executor
// keeps them until they fill a write batch — the largest write_batch_size
// of the resources — or the first has waited the shortest
// write_flush_interval, and the pass flushes what is left when it ends.
// The operations are committed as pending before they are held, so a
// crash while they wait loses nothing: the next run carries them out.
// Each round of a flush sends each resource its operations through
// connector.Apply, write_batch_size at a time: one call for a connector
// with the batch capability, one operation after another otherwise.

// writeBatches returns the largest write batch and the shortest flush
// interval of the configured resources.
func writeBatches(cfg *config.Config) (size int, flush time.Duration) {
	size, flush = config.DefaultWriteBatchSize, config.DefaultWriteFlushInterval
	first := true
	for _, r := range cfg.Resources {
		s, f := r.WriteBatch()
		if first {
			size, flush, first = s, f, false
			continue
		}
		size, flush = max(size, s), min(flush, f)
	}
	return size, flush
}

// hold keeps the shadows of stored marked due, whose operations a pass
// has just committed, until a write batch is full or the first of them
// has waited the flush interval; then it runs what it holds. rec records
// them: a pass flushes before it records elsewhere (a stage ends).
//
// The executor keeps the shadows as the pass stored them instead of
// reading them again: stored holds every shadow the pass's transaction
// wrote, so a shadow held already is replaced by its later version —
// with the operations queued on it since, or none — as a read would
// have found it.
func (x *executor) hold(ctx context.Context, rec Recorder, stored []storedShadow, now time.Time) error {
	if len(stored) == 0 {
		return nil
	}
	before := len(x.held)
	for _, s := range stored {
		if i, ok := x.heldAt[s.sh.ID]; ok {
			x.held[i] = cloneShadow(s.sh)
			continue
		}
		if !s.due {
			continue
		}
		if x.heldAt == nil {
			x.heldAt = map[int64]int{}
		}
		x.heldAt[s.sh.ID] = len(x.held)
		x.held = append(x.held, cloneShadow(s.sh))
	}
	if len(x.held) == before {
		return nil
	}
	if before == 0 {
		x.heldSince = now
	}
	x.heldRec = rec
	if len(x.held) < x.holdMax && now.Sub(x.heldSince) < x.flushAfter {
		return nil
	}
	if x.async {
		return x.launch(ctx, now)
	}
	return x.flush(ctx, now)
}

// launch has the shadows held fly once the flight under way has landed
// (its outcome is stored by the pass's next transaction), or runs them
// in turn with the pass when they cannot fly (see Flights).
func (x *executor) launch(ctx context.Context, now time.Time) error {
	x.land("launch")
	if x.syncErr != nil {
		return x.syncErr
	}
	shs, rec := x.takeHeld()
	steps := x.begin(shs)
	if x.canFly(steps) {
		x.fly(ctx, rec, steps, now)
		return nil
	}
	if err := x.storeLanded(ctx); err != nil {
		return err
	}
	return x.runSteps(ctx, rec, steps, now, false)
}

// takeHeld returns the shadows held, in the order of their IDs, with
// their recorder, and holds none.
func (x *executor) takeHeld() ([]*state.Shadow, Recorder) {
	shs, rec := x.held, x.heldRec
	x.held, x.heldRec = nil, nil
	clear(x.heldAt)
	slices.SortFunc(shs, func(a, b *state.Shadow) int { return cmp.Compare(a.ID, b.ID) })
	return shs, rec
}

// flush stores what the flights did, then runs the operations of the
// shadows held, in the order of their IDs. A shadow held twice (two steps
// queued on it) is run once: its queue holds both.
func (x *executor) flush(ctx context.Context, now time.Time) error {
	if err := x.storeLanded(ctx); err != nil {
		return err
	}
	if len(x.held) == 0 {
		return nil
	}
	shs, rec := x.takeHeld()
	return x.runShadows(ctx, rec, shs, now, false)
}

// cloneShadow is a copy of sh the executor may change: its pending
// operations and attributes are its own.
func cloneShadow(sh *state.Shadow) *state.Shadow {
	c := *sh
	c.Pending = slices.Clone(sh.Pending)
	c.Attributes = maps.Clone(sh.Attributes)
	return &c
}

// send carries out the operations of a round, resource by resource in
// write batches, and settles each step with its outcome, in the round's
// order within a resource. A step whose operation was not sent — the
// error policy stopped the activity, or the context ended before it was
// carried out — is left as it was: its operation stays pending.
func (x *executor) send(ctx context.Context, rec Recorder, round []*step, now time.Time) {
	var order []string
	byResource := map[string][]*step{}
	for _, s := range round {
		name := s.sh.Resource
		if _, ok := byResource[name]; !ok {
			order = append(order, name)
		}
		byResource[name] = append(byResource[name], s)
	}
	for _, name := range order {
		if x.stop != nil || ctx.Err() != nil {
			return
		}
		x.sendTo(ctx, rec, name, byResource[name], now)
	}
}

// madeDurable makes the commits that queued the operations about to be
// sent durable (executor.durable): false, with the executor stopped, when
// it cannot.
func (x *executor) madeDurable() bool {
	if x.durable == nil {
		return true
	}
	if err := x.durable(); err != nil {
		x.syncErr = fmt.Errorf("nothing more was sent to the resources: the queued operations could not be made durable first: %w", err)
		x.stop = x.syncErr
		return false
	}
	return true
}

// sendTo sends steps, all on the resource name, write_batch_size at a
// time (fewer while the error policy allows fewer errors, so that no
// batch can carry the activity past its stop).
func (x *executor) sendTo(ctx context.Context, rec Recorder, name string, steps []*step, now time.Time) {
	size := config.DefaultWriteBatchSize
	if res := x.w.cfg.Resources[name]; res != nil {
		size, _ = res.WriteBatch()
	}
	for len(steps) > 0 {
		if x.stop != nil || ctx.Err() != nil {
			return
		}
		n := min(len(steps), size)
		if left := x.errs.left(); left >= 0 {
			n = min(n, max(left, 1))
		}
		batch := steps[:n]
		steps = steps[n:]
		if !x.madeDurable() {
			return // not sent: the operations stay pending as they were
		}
		errs := x.apply(ctx, name, batch)
		for i, s := range batch {
			if errs[i] != nil && ctx.Err() != nil && isContextError(errs[i]) {
				continue // not carried out: it stays pending as it was
			}
			x.settle(rec, s, errs[i], now)
		}
	}
}

// apply carries out the operations of batch on the resource name and
// returns their errors, one per step. A resource found unreachable in this
// pass is not tried again: its operations fail the same way.
func (x *executor) apply(ctx context.Context, name string, batch []*step) []error {
	errs := make([]error, len(batch))
	fill := func(err error) []error {
		for i := range errs {
			errs[i] = err
		}
		return errs
	}
	if err, down := x.down[name]; down {
		return fill(err)
	}
	conn, err := x.w.conn(ctx, name)
	if err != nil {
		if errors.Is(err, connector.ErrUnreachable) {
			x.down[name] = err
		}
		return fill(err)
	}
	ops := make([]connector.Operation, 0, len(batch))
	at := make([]int, 0, len(batch)) // ops[k] is batch[at[k]]'s
	var members []int                // membership operations (memberships.go)
	for i, s := range batch {
		if isMemberOp(s.op.Op) {
			members = append(members, i)
			continue
		}
		op, err := x.operation(conn, s)
		if err != nil {
			errs[i] = err
			continue
		}
		ops = append(ops, op)
		at = append(at, i)
	}
	x.changeMembers(ctx, conn, name, batch, members, errs)
	if len(ops) == 0 {
		return errs
	}
	for k, err := range connector.Apply(ctx, conn, ops) {
		i := at[k]
		s := batch[i]
		switch {
		case err == nil:
		case s.op.Op == state.OpCreate && errors.Is(err, connector.ErrAlreadyExists):
			// Created before a crash, or by someone else: bring the
			// existing object in line instead.
			err = x.align(ctx, conn, s.sh, connector.Attributes(s.op.Attributes))
		case s.op.Op == state.OpDelete && errors.Is(err, connector.ErrNotFound):
			err = nil // gone already: what the delete wanted
		}
		if errors.Is(err, connector.ErrUnreachable) {
			x.down[name] = err
		}
		errs[i] = err
	}
	return errs
}

// operation is the connector operation that carries out s's operation of
// this round.
func (x *executor) operation(conn connector.Connector, s *step) (connector.Operation, error) {
	sh, p := s.sh, s.op
	attrs := connector.Attributes(p.Attributes)
	switch p.Op {
	case state.OpCreate:
		return connector.CreateOp(connector.Object{ID: sh.Identifier, Attributes: attrs}), nil
	case state.OpUpdate, state.OpDisable:
		return connector.UpdateOp(sh.Identifier, replaceMods(attrs)...), nil
	case state.OpDelete:
		return connector.DeleteOp(sh.Identifier), nil
	case state.OpRename:
		if _, ok := conn.(connector.Renamer); !ok || !conn.Capabilities().Rename {
			return connector.Operation{}, &connector.Error{Kind: connector.ErrUnsupported, Op: "rename", Resource: sh.Resource, Object: sh.Identifier,
				Err:  fmt.Errorf("the outbound mappings give the object the new identifier %q, and the %s connector cannot rename objects", p.Identifier, x.connectorName(sh.Resource)),
				Hint: "Rename the object on the resource by hand, or keep the identifier stable."}
		}
		return connector.RenameOp(sh.Identifier, p.Identifier), nil
	}
	return connector.Operation{}, fmt.Errorf("unknown pending operation %q", p.Op)
}

// isContextError reports whether err is a context's: the operation was
// not carried out because the run was cancelled or timed out.
func isContextError(err error) bool {
	return errors.Is(err, context.Canceled) || errors.Is(err, context.DeadlineExceeded)
}

// connectorName is the connector of the resource name, as configured ("the
// resource's" when the configuration no longer has it).
func (x *executor) connectorName(name string) string {
	if res := x.w.cfg.Resources[name]; res != nil {
		return res.Connector
	}
	return "resource's"
}
