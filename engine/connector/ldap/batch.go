package ldap

import (
	"context"
	"slices"
	"sync"
	"time"

	goldap "github.com/go-ldap/ldap/v3"
	"github.com/syncline/syncline/engine/connector"
)

// batchWindow is how many operations of a batch are in flight at once on
// the write connection: sent, their responses not read yet. The server
// reads the next requests while it answers the last; a window this size
// keeps it busy without queueing more than it can answer within timeout.
// 32 took 20,000 creates at 8,300–8,500 entries/s where 16 took them at
// 7,100–7,900 and 64 at 8,100–8,200 (docs/performance.md).
const batchWindow = 32

var _ connector.Batcher = (*Connector)(nil)

// Apply carries out ops pipelined on a connection of its own (writeConn),
// at most batchWindow of them in flight, each as its own call (Create,
// Update, Delete, Rename) would, except that creates learn whether their
// identifiers are taken a chunk at a time (takenIDs) instead of one
// search each. Operations are sent in order, and one is not sent before
// the earlier operations that name the same identifier — or, for a
// rename, the new one — are answered, so those take effect in order;
// operations on different identifiers overlap. The requests of a window
// go out in one write, and the responses are read as they come (the
// server answers in the order it finishes), their results
// sorted as Create and the others sort them (fail). Once an operation
// fails with an error not about its object (the server unreachable, the
// context ended), no operation is sent any more and each one not done
// gets that error; a dropped connection makes every operation in flight
// unreachable, since whether it took effect is unknown.
func (c *Connector) Apply(ctx context.Context, ops []connector.Operation) []error {
	b := &batchRun{c: c, ctx: ctx, ops: ops, errs: make([]error, len(ops)), done: make([]bool, len(ops))}
	after := c.dependencies(ops)
	taken := newTakenIDs(c, ops, after)
	stop := context.AfterFunc(ctx, b.interrupt)
	defer stop()
	next := 0
	for {
		for next < len(ops) && len(b.inflight) < batchWindow && b.halt.err() == nil && b.answered(after[next]) {
			i := next
			next++
			if err := taken.load(ctx, i); err != nil {
				b.halt.set(err)
				break
			}
			b.start(i, taken.state[i])
		}
		if len(b.inflight) == 0 {
			break
		}
		b.collect()
	}
	taken.wait()
	b.release()
	for i, op := range ops {
		if !b.done[i] {
			b.errs[i] = b.halt.about(op)
		}
	}
	return b.errs
}

// batchRun is one Apply under way.
type batchRun struct {
	c    *Connector
	ctx  context.Context
	ops  []connector.Operation
	errs []error
	done []bool
	halt batchHalt
	// w is the write connection, nil until the first write and after it
	// failed; heard says a response was read on it; retried says a failed
	// idle connection was replaced once.
	mu       sync.Mutex // guards w against interrupt
	w        *writeConn
	heard    bool
	retried  bool
	inflight []inflight
}

// inflight is an operation sent and not answered yet.
type inflight struct {
	i    int
	id   int64
	want byte
	req  writeRequest
}

// answered reports whether the operations deps are done.
func (b *batchRun) answered(deps []int) bool {
	for _, j := range deps {
		if !b.done[j] {
			return false
		}
	}
	return true
}

// start prepares operation i (checks it, reads what it needs) and queues
// its request, or finishes it when there is nothing to send.
func (b *batchRun) start(i int, id idState) {
	op := b.ops[i]
	if err := b.ctx.Err(); err != nil {
		b.halt.set(err)
		return
	}
	req, err := b.c.writeFor(b.ctx, op, id)
	if err != nil || req == (writeRequest{}) {
		b.finish(i, err)
		return
	}
	if b.w == nil {
		w, err := b.c.takeWriteConn(b.ctx, string(op.Kind))
		if err != nil {
			b.finish(i, err)
			return
		}
		b.mu.Lock()
		b.w = w
		b.mu.Unlock()
	}
	msgID, want := b.w.queue(req)
	b.inflight = append(b.inflight, inflight{i: i, id: msgID, want: want, req: req})
}

// collect sends what is queued and reads responses: at least one, and on
// while more have arrived or over half the window is in flight.
func (b *batchRun) collect() {
	timeout := b.c.cfg.Timeout
	if err := b.w.flush(b.ctx, timeout); err != nil {
		b.dropped(err)
		return
	}
	for len(b.inflight) > 0 {
		id, result, err := b.w.result(b.ctx, b.want, timeout)
		if err != nil {
			b.dropped(err)
			return
		}
		b.heard = true
		k := slices.IndexFunc(b.inflight, func(p inflight) bool { return p.id == id })
		p := b.inflight[k]
		b.inflight = slices.Delete(b.inflight, k, k+1)
		op := b.ops[p.i]
		b.finish(p.i, b.c.fail(string(op.Kind), op.Target(), result))
		if !b.w.buffered() && len(b.inflight) <= batchWindow/2 {
			return
		}
	}
}

// want returns the response tag of message id in flight.
func (b *batchRun) want(id int64) (byte, bool) {
	for _, p := range b.inflight {
		if p.id == id {
			return p.want, true
		}
	}
	return 0, false
}

// dropped handles a write connection that failed: it is closed, and
// every operation in flight gets the failure — unless the connection was
// an idle one on which nothing of this batch was answered yet (the
// server may have closed it while idle), whose requests are sent once
// more on a new connection.
func (b *batchRun) dropped(err error) {
	w := b.w
	b.mu.Lock()
	b.w, b.heard = nil, false
	b.mu.Unlock()
	w.sc.conn.Close()
	if ctxErr := b.ctx.Err(); ctxErr != nil {
		err = ctxErr
	} else if !isLDAPError(err) {
		// A malformed response: what the server did is unknown, as
		// after a drop.
		err = goldap.NewError(goldap.ErrorNetwork, err)
	}
	if w.reused && !b.heard && !b.retried && b.ctx.Err() == nil && len(b.inflight) > 0 {
		b.retried = true
		if nw, derr := b.c.takeWriteConn(b.ctx, string(b.ops[b.inflight[0].i].Kind)); derr == nil {
			b.mu.Lock()
			b.w = nw
			b.mu.Unlock()
			for k, p := range b.inflight {
				b.inflight[k].id, b.inflight[k].want = nw.queue(p.req)
			}
			return
		}
	}
	for _, p := range b.inflight {
		op := b.ops[p.i]
		b.finish(p.i, b.c.fail(string(op.Kind), op.Target(), err))
	}
	b.inflight = nil
}

// interrupt ends a read or write in progress when the context ends.
func (b *batchRun) interrupt() {
	b.mu.Lock()
	defer b.mu.Unlock()
	if b.w != nil {
		_ = b.w.sc.conn.SetDeadline(time.Unix(1, 0))
	}
}

// release keeps the write connection for the next batch.
func (b *batchRun) release() {
	b.mu.Lock()
	w := b.w
	b.w = nil
	b.mu.Unlock()
	if w != nil {
		if b.ctx.Err() != nil {
			// Its deadline may have been cut short.
			w.sc.close()
			return
		}
		b.c.putWriteConn(w)
	}
}

// finish records the outcome of operation i, and halts the batch on an
// error not about the operation's object.
func (b *batchRun) finish(i int, err error) {
	b.errs[i], b.done[i] = err, true
	if !connector.IsBatchObjectError(err) {
		b.halt.set(err)
	}
}

// writeFor checks an operation of a batch and reads what it needs, and
// returns the request that carries it out: none with a nil error when
// there is nothing to send (an update that changes nothing, an operation
// of an unknown kind, done by ApplyEach).
func (c *Connector) writeFor(ctx context.Context, op connector.Operation, id idState) (writeRequest, error) {
	switch op.Kind {
	case connector.OpCreate:
		req, err := c.createRequest(ctx, op.Object, id)
		return writeRequest{add: req}, err
	case connector.OpUpdate:
		req, err := c.updateRequest(ctx, op.ID, op.Mods)
		return writeRequest{modify: req}, err
	case connector.OpDelete:
		req, err := c.deleteRequest(ctx, op.ID)
		return writeRequest{del: req}, err
	case connector.OpRename:
		req, err := c.renameRequest(ctx, op.ID, op.NewID)
		return writeRequest{modifyDN: req}, err
	}
	// An unknown kind: ApplyEach says so as it does for every connector.
	return writeRequest{}, connector.ApplyEach(ctx, c, []connector.Operation{op})[0]
}

// createRequest is Create up to the add it sends, when whether the
// identifier is taken may be known already.
func (c *Connector) createRequest(ctx context.Context, obj connector.Object, id idState) (*goldap.AddRequest, error) {
	req, err := c.addRequest(obj)
	if err != nil {
		return nil, err
	}
	switch id {
	case idTaken:
		return nil, c.exists(obj.ID, nil)
	case idUnknown:
		if err := c.checkNew(ctx, obj.ID); err != nil {
			return nil, err
		}
	}
	return req, nil
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
