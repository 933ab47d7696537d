package sqltable

import (
	"context"
	"database/sql"
	"errors"
	"fmt"

	"github.com/syncline/syncline/engine/connector"
)

var _ connector.Batcher = (*Connector)(nil)

// Apply carries out a batch in one transaction: creates as multi-row
// INSERTs, deletes as DELETE … IN, updates each reading its row from one
// locking SELECT of every row the batch names, renames one by one; the
// operations on one key in the order given. An operation the checks
// refuse (a key in use, a missing row, an unknown column) has its error
// and writes nothing. When the database refuses the transaction itself (a
// constraint the checks cannot see, a row another writer inserted
// meanwhile), the batch is split in halves, each tried alone, down to the
// one operation at fault, which gets the database's error. An unreachable
// database, a missing table or an ended context is the error of every
// operation not committed by then.
func (c *Connector) Apply(ctx context.Context, ops []connector.Operation) []error {
	errs := make([]error, len(ops))
	if len(ops) == 0 {
		return errs
	}
	if _, err := c.ensureTable(ctx, "batch", true); err != nil {
		fill(errs, err)
		return errs
	}
	c.bisect(ctx, ops, errs)
	return errs
}

// bisect applies ops in one transaction, or, when the database refuses it
// for a reason about some object, each half in turn. It returns the error
// about the whole batch that stopped it, if one did; errs then holds it for
// every operation not done.
func (c *Connector) bisect(ctx context.Context, ops []connector.Operation, errs []error) error {
	err := c.applyTx(ctx, ops, errs)
	switch {
	case err == nil:
		return nil
	case batchWide(err):
		fill(errs, err)
		return err
	case len(ops) == 1:
		errs[0] = about(err, ops[0])
		return nil
	}
	clear(errs)
	half := len(ops) / 2
	if err := c.bisect(ctx, ops[:half], errs[:half]); err != nil {
		fill(errs[half:], err)
		return err
	}
	return c.bisect(ctx, ops[half:], errs[half:])
}

// about returns err as the error of op alone.
func about(err error, op connector.Operation) error {
	var ce *connector.Error
	if !errors.As(err, &ce) {
		return err
	}
	cp := *ce
	cp.Op, cp.Object = string(op.Kind), op.Target()
	return &cp
}

// batchWide reports whether err is about the whole batch: the context
// ended, the database cannot be reached, the table is not there.
func batchWide(err error) bool {
	return !connector.IsBatchObjectError(err) || errors.Is(err, connector.ErrSchema)
}

func fill(errs []error, err error) {
	for i := range errs {
		errs[i] = err
	}
}

// applyTx runs ops in one transaction, setting the error of each
// operation the checks refuse. An error from the database rolls the whole
// transaction back and is returned, and errs then means nothing.
func (c *Connector) applyTx(ctx context.Context, ops []connector.Operation, errs []error) error {
	conn, err := c.db.Conn(ctx)
	if err != nil {
		return c.fail("batch", "", err)
	}
	defer conn.Close()
	tx, err := conn.BeginTx(ctx, nil)
	if err != nil {
		return c.fail("batch", "", err)
	}
	b := &batch{c: c, ctx: ctx, conn: conn, tx: tx, cols: c.columnNames()}
	if err := b.run(ops, errs); err != nil {
		tx.Rollback()
		return c.fail("batch", b.at, err)
	}
	if err := tx.Commit(); err != nil {
		return c.fail("batch", "", err)
	}
	return nil
}

// batch is one transaction of a batch.
type batch struct {
	c    *Connector
	ctx  context.Context
	conn *sql.Conn // the connection tx is on, for COPY
	tx   *sql.Tx
	cols columnNames // the table's, matched once for the batch
	at   string      // the key of the operation whose statement failed, when one did
}

// run plays ops in segments: a run of creates, updates and deletes on
// distinct keys goes to the database together; a second operation on a
// key, or a rename, starts a new segment, so that each sees the ones
// before it.
func (b *batch) run(ops []connector.Operation, errs []error) error {
	seg := newSegment()
	for i, op := range ops {
		if err := b.c.checkOp(op); err != nil {
			errs[i] = err
			continue
		}
		if op.Kind == connector.OpRename || seg.names(b.c, op) {
			if err := b.flush(seg, ops, errs); err != nil {
				return err
			}
			seg = newSegment()
		}
		if op.Kind == connector.OpRename {
			if err := b.rename(op, &errs[i]); err != nil {
				return err
			}
			continue
		}
		seg.add(b.c, i, op)
	}
	return b.flush(seg, ops, errs)
}

// rename renames in the transaction, setting *opErr when the rename is
// refused.
func (b *batch) rename(op connector.Operation, opErr *error) error {
	err := b.c.renameIn(b.ctx, b.tx, op.ID, op.NewID)
	var ce *connector.Error
	if errors.As(err, &ce) {
		*opErr = err
		return nil
	}
	if err != nil {
		b.at = op.ID
	}
	return err
}

// checkOp checks what can be checked of an operation without the
// database.
func (c *Connector) checkOp(op connector.Operation) error {
	switch op.Kind {
	case connector.OpCreate, connector.OpUpdate, connector.OpDelete:
		// Checked against the row (creates: against the columns, too)
		// when their segment is written.
		return nil
	case connector.OpRename:
		if op.NewID == "" {
			return c.errs.Object(connector.ErrInvalidObject, "rename", op.ID, fmt.Errorf("the new identifier is empty"), "")
		}
		return nil
	}
	return c.errs.Object(connector.ErrInvalidObject, string(op.Kind), op.Target(), fmt.Errorf("unknown operation %q", op.Kind),
		"Use create, update, delete or rename.")
}
