package csvfile

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"

	"github.com/syncline/syncline/engine/connector"
)

// edit says what a rewrite does to the row whose identifier is id.
type edit struct {
	op string
	id string
	// replace returns the record to write instead of the row, or nil to
	// remove it (update, delete).
	replace func(rr *rowReader, rw row) ([]string, error)
	// add returns the record to append when no row has the identifier
	// (create); nil for update and delete.
	add func(rr *rowReader) ([]string, error)
	// taken is an identifier no other row may have (rename's new one).
	taken string
}

const hintNothingWritten = "Nothing was written: fix the file first."

// rewrite applies e by streaming the file into a temporary file and renaming
// it over the original. Any error leaves the original as it was. A file
// changed by another process during the rewrite is not overwritten.
func (c *Connector) rewrite(ctx context.Context, e edit) error {
	c.mu.Lock()
	defer c.mu.Unlock()
	rr, err := c.openRows(e.op)
	if err != nil {
		return err
	}
	defer rr.close()
	out, err := createTemp(c.cfg.Path, c.cfg.Delimiter, hasCRLF(rr.f))
	if err != nil {
		return c.writeError(e.op, err)
	}
	defer out.abort()
	if err := c.copyEdited(ctx, rr, out, e); err != nil {
		return err
	}
	if err := c.checkUnchanged(e.op, rr.info); err != nil {
		return err
	}
	if err := out.commit(rr.info.Mode().Perm()); err != nil {
		return c.writeError(e.op, err)
	}
	return nil
}

// copyEdited streams every row into out, editing the one with e.id and
// appending a new one for a create. It refuses files with unreadable rows
// or duplicate identifiers: rewriting them would hide the problem.
func (c *Connector) copyEdited(ctx context.Context, rr *rowReader, out *atomicFile, e edit) error {
	var copied int64
	matched := false
	seen := newIDIndex()
	for n := 0; ; n++ {
		if n%ctxCheckEvery == 0 && ctx.Err() != nil {
			return ctx.Err()
		}
		rw, err := rr.next()
		if err == io.EOF {
			break
		}
		if err == nil && rw.err == nil {
			err = rr.checkDuplicate(seen, rw)
		}
		if err == nil {
			err = rw.err
		}
		if err != nil {
			return withHint(err, hintNothingWritten)
		}
		if e.taken != "" && rw.id == e.taken && rw.id != e.id {
			return c.errs.Object(connector.ErrAlreadyExists, e.op, e.id, fmt.Errorf("line %d has the new %s %q", rw.line, c.cfg.Identifier, e.taken),
				"Two people would have the same identifier: resolve it in the file or in the mappings.")
		}
		if rw.id != e.id {
			continue
		}
		if e.add != nil {
			return c.errs.Object(connector.ErrAlreadyExists, e.op, e.id, fmt.Errorf("line %d has this %s", rw.line, c.cfg.Identifier), "")
		}
		rec, err := e.replace(rr, rw)
		if err != nil {
			return err
		}
		if err := c.writeAt(out, rr.f, copied, rw.start, rec); err != nil {
			return c.writeError(e.op, err)
		}
		copied, matched = rw.end, true
	}
	if err := out.copyRaw(rr.f, copied, rr.info.Size()); err != nil {
		return c.writeError(e.op, err)
	}
	return c.finish(rr, out, e, matched)
}

// writeAt copies the raw bytes [from, to) and then writes rec, if any.
func (c *Connector) writeAt(out *atomicFile, src io.ReaderAt, from, to int64, rec []string) error {
	if err := out.copyRaw(src, from, to); err != nil {
		return err
	}
	if rec == nil {
		return nil
	}
	return out.writeRecord(rec)
}

// finish appends a created record, or reports that the object to update or
// delete was not there.
func (c *Connector) finish(rr *rowReader, out *atomicFile, e edit, matched bool) error {
	if e.add == nil {
		if !matched {
			return c.errs.Object(connector.ErrNotFound, e.op, e.id, nil, "")
		}
		return nil
	}
	rec, err := e.add(rr)
	if err != nil {
		return err
	}
	if !endsWithNewline(rr.f, rr.info.Size(), rr.dataAt) {
		if err := out.newline(); err != nil {
			return c.writeError(e.op, err)
		}
	}
	if err := out.writeRecord(rec); err != nil {
		return c.writeError(e.op, err)
	}
	return nil
}

// checkUnchanged refuses to replace a file another process changed since
// the rewrite opened it.
func (c *Connector) checkUnchanged(op string, before fs.FileInfo) error {
	now, err := os.Stat(c.cfg.Path)
	if err == nil && now.Size() == before.Size() && now.ModTime().Equal(before.ModTime()) {
		return nil
	}
	return c.errs.New(connector.ErrUnreachable, op, fmt.Errorf("%s changed while syncline was rewriting it", c.cfg.Display),
		"Nothing was written; try again once the other writer is done.")
}

// writeError reports a failure to write the temporary file or rename it.
func (c *Connector) writeError(op string, err error) error {
	var pe *fs.PathError
	if errors.As(err, &pe) {
		err = pe.Err // the temporary file's path says nothing useful
	}
	return c.errs.New(connector.ErrUnreachable, op, fmt.Errorf("cannot write %s: %w", c.cfg.Display, err),
		"The original file is unchanged. Check that its directory is writable and has free space.")
}

// withHint sets the hint of a *connector.Error (a copy of it).
func withHint(err error, hint string) error {
	var ce *connector.Error
	if !errors.As(err, &ce) {
		return err
	}
	cp := *ce
	if cp.Hint == "" {
		cp.Hint = hint
	} else {
		cp.Hint += " " + hint
	}
	return &cp
}

// hasCRLF reports whether the file's first line ends in "\r\n".
func hasCRLF(f io.ReaderAt) bool {
	buf := make([]byte, 64<<10)
	n, _ := f.ReadAt(buf, 0)
	i := bytes.IndexByte(buf[:n], '\n')
	return i > 0 && buf[i-1] == '\r'
}

// endsWithNewline reports whether a record appended at size starts on a
// line of its own: the file is empty (or only a byte-order mark), or ends
// in a newline.
func endsWithNewline(f io.ReaderAt, size, dataAt int64) bool {
	if size == 0 || size <= dataAt && dataAt <= int64(len(utf8BOM)) {
		return true
	}
	var last [1]byte
	_, err := f.ReadAt(last[:], size-1)
	return err == nil && last[0] == '\n'
}
