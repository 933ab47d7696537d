package ldap

import (
	"context"
	"sync"

	"github.com/syncline/syncline/engine/connector"
)

// batchWindow is how many operations of a batch are in flight at once on
// the connection. go-ldap multiplexes concurrent requests by message ID,
// so operations running side by side are pipelined: the server reads the
// next request while it answers the last. A window this size keeps the
// server busy without queueing more than it can answer within timeout.
const batchWindow = 16

var _ connector.Batcher = (*Connector)(nil)

// Apply carries out ops pipelined on the one connection, at most
// batchWindow of them at a time, each as its own call (Create, Update,
// Delete, Rename) would, except that creates learn whether their
// identifiers are taken a chunk at a time (takenIDs) instead of one
// search each. An operation waits for the earlier operations
// that name the same identifier — or, for a rename, the new one — so
// those take effect in order; operations on different identifiers
// overlap. Once an operation fails with an error not about its object
// (the server unreachable, the context ended), no operation starts any
// more and each one not done gets that error.
func (c *Connector) Apply(ctx context.Context, ops []connector.Operation) []error {
	errs := make([]error, len(ops))
	after := c.dependencies(ops)
	taken := newTakenIDs(c, ops, after)
	done := make([]chan struct{}, len(ops))
	slots := make(chan struct{}, batchWindow)
	var halt batchHalt
	var wg sync.WaitGroup
	for i, op := range ops {
		done[i] = make(chan struct{})
		slots <- struct{}{}
		if halt.err() == nil {
			if err := taken.load(ctx, i); err != nil {
				halt.set(err)
			}
		}
		if err := halt.err(); err != nil {
			errs[i] = halt.about(op)
			close(done[i])
			<-slots
			continue
		}
		wg.Go(func() {
			defer func() { <-slots }()
			defer close(done[i])
			for _, j := range after[i] {
				<-done[j]
			}
			errs[i] = c.applyOp(ctx, op, taken.state[i], &halt)
		})
	}
	wg.Wait()
	return errs
}

// applyOp carries out one operation of a batch, unless the batch has
// halted or the context ended, and halts the batch on an error not about
// the operation's object.
func (c *Connector) applyOp(ctx context.Context, op connector.Operation, id idState, halt *batchHalt) error {
	if halt.err() != nil {
		return halt.about(op)
	}
	if err := ctx.Err(); err != nil {
		halt.set(err)
		return halt.about(op)
	}
	var err error
	switch op.Kind {
	case connector.OpCreate:
		err = c.createKnown(ctx, op.Object, id)
	case connector.OpUpdate:
		err = c.Update(ctx, op.ID, op.Mods)
	case connector.OpDelete:
		err = c.Delete(ctx, op.ID)
	case connector.OpRename:
		err = c.Rename(ctx, op.ID, op.NewID)
	default:
		// An unknown kind: ApplyEach says so as it does for every
		// connector.
		return connector.ApplyEach(ctx, c, []connector.Operation{op})[0]
	}
	if !connector.IsBatchObjectError(err) {
		halt.set(err)
	}
	return err
}

// createKnown is Create when whether the identifier is taken may be known
// already.
func (c *Connector) createKnown(ctx context.Context, obj connector.Object, id idState) error {
	switch id {
	case idTaken:
		if _, err := c.addRequest(obj); err != nil {
			return err
		}
		return c.exists(obj.ID, nil)
	case idFree:
		req, err := c.addRequest(obj)
		if err != nil {
			return err
		}
		return c.add(ctx, obj.ID, req)
	}
	return c.Create(ctx, obj)
}

// dependencies returns, for every operation, the earlier operations it
// must wait for: the last one before it that named the same identifier
// (as MatchKey compares them), and for a rename also the last one that
// named its new identifier.
func (c *Connector) dependencies(ops []connector.Operation) [][]int {
	last := make(map[string]int, len(ops))
	after := make([][]int, len(ops))
	for i, op := range ops {
		keys := []string{c.MatchKey(op.Target())}
		if op.Kind == connector.OpRename {
			keys = append(keys, c.MatchKey(op.NewID))
		}
		for _, k := range keys {
			if j, ok := last[k]; ok {
				after[i] = append(after[i], j)
			}
			last[k] = i
		}
	}
	return after
}

// batchHalt is the first error of a batch that is not about one object:
// once set, no operation of the batch starts.
type batchHalt struct {
	mu    sync.Mutex
	cause error
}

func (h *batchHalt) set(err error) {
	h.mu.Lock()
	defer h.mu.Unlock()
	if h.cause == nil {
		h.cause = err
	}
}

func (h *batchHalt) err() error {
	h.mu.Lock()
	defer h.mu.Unlock()
	return h.cause
}

// about returns the halting error for an operation not done: a connector
// error names that operation and its object, a context error is returned
// as it is.
func (h *batchHalt) about(op connector.Operation) error {
	err := h.err()
	ce, ok := err.(*connector.Error)
	if !ok {
		return err
	}
	cp := *ce
	cp.Op, cp.Object = string(op.Kind), op.Target()
	return &cp
}
