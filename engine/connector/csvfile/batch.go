package csvfile

import (
	"context"
	"fmt"
	"io"
	"slices"

	"github.com/syncline/syncline/engine/connector"
)

var _ connector.Batcher = (*Connector)(nil)

// Apply carries out a batch in one atomic rewrite of the file: it reads the
// file once, plays the operations in order against the rows they name,
// and writes the outcome in one temporary file renamed over the original.
// An operation that fails (an identifier in use, a missing object, an
// unknown attribute) has its error and the others are written; an error
// about the whole file (unreadable rows, a failed write, the file changed
// meanwhile) leaves it as it was and is every operation's error.
func (c *Connector) Apply(ctx context.Context, ops []connector.Operation) []error {
	errs := make([]error, len(ops))
	if len(ops) == 0 {
		return errs
	}
	if err := c.applyBatch(ctx, ops, errs); err != nil {
		for i := range errs {
			errs[i] = err
		}
	}
	return errs
}

// live is an object as the batch leaves it: where it came from in the
// file (nil for one the batch created) and, once an operation changed
// it, its record.
type live struct {
	obj    connector.Object
	origin *kept
	rec    []string // nil while unchanged
}

// kept is a row of the file that an operation names.
type kept struct {
	rw  row
	obj connector.Object
}

func (c *Connector) applyBatch(ctx context.Context, ops []connector.Operation, errs []error) error {
	c.mu.Lock()
	defer c.mu.Unlock()
	rr, err := c.openRows("batch")
	if err != nil {
		return err
	}
	defer rr.close()
	rows, err := c.keepNamed(ctx, rr, named(ops))
	if err != nil {
		return err
	}
	state := make(map[string]*live, len(rows))
	for _, k := range rows {
		state[k.rw.id] = &live{obj: k.obj, origin: k}
	}
	var created []*live
	for i, op := range ops {
		errs[i] = c.play(rr, state, &created, op)
	}
	return c.writeBatch(rr, rows, state, created)
}

// named returns every identifier the operations name.
func named(ops []connector.Operation) map[string]bool {
	ids := make(map[string]bool, len(ops))
	for _, op := range ops {
		ids[op.Target()] = true
		if op.Kind == connector.OpRename {
			ids[op.NewID] = true
		}
	}
	return ids
}

// keepNamed reads every row, refusing a file with unreadable rows or
// duplicate identifiers as a single rewrite does, and keeps those whose
// identifier ids holds, in file order.
func (c *Connector) keepNamed(ctx context.Context, rr *rowReader, ids map[string]bool) ([]*kept, error) {
	var out []*kept
	seen := newIDIndex()
	for n := 0; ; n++ {
		if n%ctxCheckEvery == 0 && ctx.Err() != nil {
			return nil, ctx.Err()
		}
		rw, err := rr.next()
		if err == io.EOF {
			return out, nil
		}
		if err == nil && rw.err == nil {
			err = rr.checkDuplicate(seen, rw)
		}
		if err == nil {
			err = rw.err
		}
		if err != nil {
			return nil, withHint(err, hintNothingWritten)
		}
		if ids[rw.id] {
			obj := rr.object(rw)
			rw.fields = nil
			out = append(out, &kept{rw: rw, obj: obj})
		}
	}
}

// play carries out one operation on state, returning its error.
func (c *Connector) play(rr *rowReader, state map[string]*live, created *[]*live, op connector.Operation) error {
	id := op.Target()
	if !slices.Contains([]connector.OpKind{connector.OpCreate, connector.OpUpdate, connector.OpDelete, connector.OpRename}, op.Kind) {
		return c.errs.Object(connector.ErrInvalidObject, string(op.Kind), id, fmt.Errorf("unknown operation %q", op.Kind), "Use create, update, delete or rename.")
	}
	cur := state[id]
	if op.Kind != connector.OpCreate && cur == nil {
		return c.errs.Object(connector.ErrNotFound, string(op.Kind), id, nil, "")
	}
	switch op.Kind {
	case connector.OpCreate:
		return c.playCreate(rr, state, created, op.Object)
	case connector.OpUpdate:
		next, err := c.updated(rr, cur.obj, op.Mods, id)
		if err != nil {
			return err
		}
		return c.set(rr, cur, "update", connector.Object{ID: id, Attributes: next})
	case connector.OpDelete:
		delete(state, id)
		return nil
	case connector.OpRename:
		return c.playRename(rr, state, cur, op)
	}
	panic("unreachable")
}

func (c *Connector) playCreate(rr *rowReader, state map[string]*live, created *[]*live, obj connector.Object) error {
	if err := c.checkNewID("create", obj); err != nil {
		return err
	}
	if state[obj.ID] != nil {
		return c.errs.Object(connector.ErrAlreadyExists, "create", obj.ID, fmt.Errorf("an object has this %s", c.cfg.Identifier), "")
	}
	attrs := obj.Attributes.Clone()
	attrs[c.cfg.Identifier] = []string{obj.ID}
	l := &live{}
	if err := c.set(rr, l, "create", connector.Object{ID: obj.ID, Attributes: attrs}); err != nil {
		return err
	}
	state[obj.ID] = l
	*created = append(*created, l)
	return nil
}

func (c *Connector) playRename(rr *rowReader, state map[string]*live, cur *live, op connector.Operation) error {
	if op.NewID == "" {
		return c.errs.Object(connector.ErrInvalidObject, "rename", op.ID, fmt.Errorf("the new identifier is empty"), "")
	}
	if op.NewID == op.ID {
		return nil
	}
	if state[op.NewID] != nil {
		return c.errs.Object(connector.ErrAlreadyExists, "rename", op.ID, fmt.Errorf("an object has the new %s %q", c.cfg.Identifier, op.NewID),
			"Two people would have the same identifier: resolve it in the file or in the mappings.")
	}
	attrs := cur.obj.Attributes.Clone()
	attrs[c.cfg.Identifier] = []string{op.NewID}
	if err := c.set(rr, cur, "rename", connector.Object{ID: op.NewID, Attributes: attrs}); err != nil {
		return err
	}
	delete(state, op.ID)
	state[op.NewID] = cur
	return nil
}

// updated returns obj's attributes with mods applied, as Update checks
// them.
func (c *Connector) updated(rr *rowReader, obj connector.Object, mods []connector.Modification, id string) (connector.Attributes, error) {
	next, err := obj.Attributes.Apply(mods, c.cfg.MultivalueDelimiter != 0)
	if err != nil {
		return nil, c.errs.Object(connector.ErrInvalidObject, "update", id, err, "")
	}
	if vs := next[c.cfg.Identifier]; !slices.Equal(vs, []string{id}) {
		return nil, c.errs.Object(connector.ErrInvalidObject, "update", id,
			fmt.Errorf("the identifier attribute %q cannot change", c.cfg.Identifier), "To rename an object, delete it and create it anew.")
	}
	return next, nil
}

// set encodes attrs as l's new record, leaving l as it was when they do
// not fit the file.
func (c *Connector) set(rr *rowReader, l *live, op string, obj connector.Object) error {
	rec, err := c.encode(op, obj.ID, rr.columns, obj.Attributes)
	if err != nil {
		return err
	}
	l.obj, l.rec = obj, rec
	return nil
}

// writeBatch writes the file as the batch leaves it: rows no operation
// changed byte for byte, changed rows in place, deleted ones left out,
// created objects appended in the order of their creation. When nothing
// changed, the file is not rewritten.
func (c *Connector) writeBatch(rr *rowReader, rows []*kept, state map[string]*live, created []*live) error {
	at := make(map[*kept]*live, len(rows))
	changed := false
	for _, l := range state {
		if l.origin != nil {
			at[l.origin] = l
		}
		changed = changed || l.rec != nil
	}
	changed = changed || len(at) < len(rows)
	if !changed {
		return nil
	}
	out, err := createTemp(c.cfg.Path, c.cfg.Delimiter, hasCRLF(rr.f))
	if err != nil {
		return c.writeError("batch", err)
	}
	defer out.abort()
	var copied int64
	for _, k := range rows {
		l, ok := at[k]
		if ok && l.rec == nil {
			continue // unchanged: copied with the bytes around it
		}
		var rec []string
		if ok {
			rec = l.rec
		}
		if err := c.writeAt(out, rr.f, copied, k.rw.start, rec); err != nil {
			return c.writeError("batch", err)
		}
		copied = k.rw.end
	}
	if err := out.copyRaw(rr.f, copied, rr.info.Size()); err != nil {
		return c.writeError("batch", err)
	}
	// A row written or left out at the very end leaves the file ending
	// in a newline, whatever the original ended in.
	endsNL := copied == rr.info.Size() || endsWithNewline(rr.f, rr.info.Size(), rr.dataAt)
	if err := c.appendCreated(out, endsNL, state, created); err != nil {
		return err
	}
	if err := c.checkUnchanged("batch", rr.info); err != nil {
		return err
	}
	if err := out.commit(rr.info.Mode().Perm()); err != nil {
		return c.writeError("batch", err)
	}
	return nil
}

// appendCreated appends the objects the batch created and did not delete
// again.
func (c *Connector) appendCreated(out *atomicFile, endsNL bool, state map[string]*live, created []*live) error {
	first := true
	for _, l := range created {
		if state[l.obj.ID] != l {
			continue
		}
		if first && !endsNL {
			if err := out.newline(); err != nil {
				return c.writeError("create", err)
			}
		}
		first = false
		if err := out.writeRecord(l.rec); err != nil {
			return c.writeError("create", err)
		}
	}
	return nil
}
