package connector

import (
	"context"
	"errors"
	"fmt"
)

// OpKind says what one Operation of a batch does.
type OpKind string

// The kinds of batch operations.
const (
	OpCreate OpKind = "create" // Object
	OpUpdate OpKind = "update" // ID, Mods
	OpDelete OpKind = "delete" // ID
	OpRename OpKind = "rename" // ID, NewID
)

// Operation is one write of a batch: what Create, Update, Delete or
// Rename would do on its own. Only the fields its Kind names are read.
type Operation struct {
	Kind   OpKind
	Object Object         // create: the object to add
	ID     string         // update, delete, rename: the object's identifier
	Mods   []Modification // update
	NewID  string         // rename: the new identifier
}

// CreateOp returns the operation that creates obj.
func CreateOp(obj Object) Operation { return Operation{Kind: OpCreate, Object: obj} }

// UpdateOp returns the operation that applies mods to the object id.
func UpdateOp(id string, mods ...Modification) Operation {
	return Operation{Kind: OpUpdate, ID: id, Mods: mods}
}

// DeleteOp returns the operation that deletes the object id.
func DeleteOp(id string) Operation { return Operation{Kind: OpDelete, ID: id} }

// RenameOp returns the operation that gives the object id the identifier
// newID.
func RenameOp(id, newID string) Operation { return Operation{Kind: OpRename, ID: id, NewID: newID} }

// Target is the identifier the operation is about: the created object's,
// or the one it updates, deletes or renames.
func (op Operation) Target() string {
	if op.Kind == OpCreate {
		return op.Object.ID
	}
	return op.ID
}

// Batcher is an optional part of a connector: it carries out many writes
// in one call, so that a resource that pays per round trip or per
// transaction (a sql table, a csv file rewritten whole) pays once for
// many objects. A connector that implements it says so with
// Capabilities.Batch; one without it is written to one operation at a
// time, and ApplyEach does that for it.
type Batcher interface {
	// Apply carries out ops and returns one error per operation, at the
	// same index: nil when that operation was done, otherwise the error
	// its own call (Create, Update, Delete, Rename) would have returned.
	// The result always has len(ops) entries; an empty batch does
	// nothing.
	//
	// Outcome. The operations done are exactly those with a nil error;
	// one object's error (ErrAlreadyExists, ErrNotFound,
	// ErrInvalidObject, …) does not keep the others from being done. An
	// error that is not about one object — the resource became
	// unreachable, the context ended — is returned for every operation
	// not done by then, with its kind (errors.Is(err, ErrUnreachable),
	// or the context's error), so a caller keeps those pending and
	// retries them. An operation is never reported done when it was
	// not. As with a single call, a connection that drops while the
	// resource commits may leave a write done although its error says
	// unreachable: a retried create then meets ErrAlreadyExists.
	//
	// Order. Operations on the same identifier take effect in the order
	// given, each seeing the ones before it: a create then an update of
	// the same object works, and a rename's new identifier is what later
	// operations name. Operations on different identifiers may be
	// carried out in any order.
	//
	// Atomicity. Each operation is atomic on its own, as its single call
	// is; nothing is promised across objects: a batch may be carried
	// out in several transactions, and a failure may leave some of its
	// operations done and others not.
	Apply(ctx context.Context, ops []Operation) []error
}

// ApplyEach carries out ops through c one at a time, with Batcher's
// results: for a connector without the capability, or as a reference for
// one that has it. An error not about one object (ErrUnreachable, the
// context's) stops it and is returned for every operation left.
func ApplyEach(ctx context.Context, c Connector, ops []Operation) []error {
	errs := make([]error, len(ops))
	for i, op := range ops {
		err := applyOne(ctx, c, op)
		errs[i] = err
		if err != nil && !IsBatchObjectError(err) {
			for j := i + 1; j < len(ops); j++ {
				errs[j] = err
			}
			break
		}
	}
	return errs
}

// Apply carries out ops through c's Batcher when it has one, else one at
// a time (ApplyEach).
func Apply(ctx context.Context, c Connector, ops []Operation) []error {
	if b, ok := c.(Batcher); ok && c.Capabilities().Batch {
		return b.Apply(ctx, ops)
	}
	return ApplyEach(ctx, c, ops)
}

// IsBatchObjectError reports whether err, returned for an operation of a
// batch, is about that operation's object alone, so that the rest of the
// batch may go on: anything but an unreachable resource or an ended
// context.
func IsBatchObjectError(err error) bool {
	var ce *Error
	if err == nil {
		return true
	}
	if !errors.As(err, &ce) {
		return false // a context error, or a cause that is not the connector's
	}
	return ce.Kind != ErrUnreachable
}

func applyOne(ctx context.Context, c Connector, op Operation) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	switch op.Kind {
	case OpCreate:
		return c.Create(ctx, op.Object)
	case OpUpdate:
		return c.Update(ctx, op.ID, op.Mods)
	case OpDelete:
		return c.Delete(ctx, op.ID)
	case OpRename:
		if r, ok := c.(Renamer); ok && c.Capabilities().Rename {
			return r.Rename(ctx, op.ID, op.NewID)
		}
		return ErrorBuilder{Resource: c.Resource()}.Object(ErrUnsupported, "rename", op.ID, nil, "")
	}
	return ErrorBuilder{Resource: c.Resource()}.Object(ErrInvalidObject, string(op.Kind), op.Target(),
		fmt.Errorf("unknown operation %q", op.Kind), "Use create, update, delete or rename.")
}
