package csvfile

import (
	"context"
	"fmt"
	"io"
	"iter"

	"github.com/syncline/syncline/engine/connector"
)

// ctxCheckEvery is how many rows pass between checks of the context.
const ctxCheckEvery = 1024

// Search streams the rows of the file as objects, in file order, reading
// ahead in a goroutine of its own.
func (c *Connector) Search(ctx context.Context, q connector.Query) iter.Seq2[connector.Object, error] {
	return func(yield func(connector.Object, error) bool) {
		if err := c.checkClass("search", q.ObjectClass); err != nil {
			yield(connector.Object{}, err)
			return
		}
		c.readAhead(ctx, "search", func(rr *rowReader, rw row, err error) bool {
			if err != nil {
				return yield(connector.Object{}, err)
			}
			return yield(rr.object(rw), nil)
		})
	}
}

// scanOptions say how a scan reads.
type scanOptions struct {
	// dedupe checks identifiers for duplicates. Get leaves it off: it
	// checks the one identifier it looks for itself.
	dedupe bool
	// ownRecords gives every row a field slice of its own, which fn may
	// keep; otherwise the reader reuses it for the next row.
	ownRecords bool
}

// scan reads every row of the file and calls fn with each valid row or
// with an error: a row's error (fn may return true to go on) or a fatal
// one (the scan ends).
func (c *Connector) scan(ctx context.Context, op string, opts scanOptions, fn func(*rowReader, row, error) bool) {
	rr, err := c.openRows(op)
	if err != nil {
		fn(nil, row{}, err)
		return
	}
	defer rr.close()
	rr.r.ReuseRecord = !opts.ownRecords
	seen := newIDIndex()
	for n := 0; ; n++ {
		if n%ctxCheckEvery == 0 && ctx.Err() != nil {
			fn(rr, row{}, ctx.Err())
			return
		}
		rw, err := rr.next()
		switch {
		case err == io.EOF:
			return
		case err != nil:
			fn(rr, row{}, err)
			return
		case rw.err == nil && opts.dedupe:
			if n == estimateAfter {
				seen.reserve(rr.estimateRows(n + 1))
			}
			rw.err = rr.checkDuplicate(seen, rw)
		}
		if !fn(rr, rw, rw.err) {
			return
		}
	}
}

// estimateAfter is how many rows a scan reads before it estimates the
// file's row count from their average length.
const estimateAfter = 1024

// estimateRows guesses the file's row count from the n rows read so far,
// with 5% to spare.
func (rr *rowReader) estimateRows(n int) int {
	read := rr.offset() - rr.dataAt
	if read <= 0 {
		return n
	}
	return int(float64(rr.info.Size()-rr.dataAt) / float64(read) * float64(n) * 1.05)
}

// checkClass accepts the default object class only.
func (c *Connector) checkClass(op, class string) error {
	if class == "" || class == connector.DefaultObjectClass {
		return nil
	}
	return c.errs.New(connector.ErrSchema, op, fmt.Errorf("unknown object class %q", class),
		fmt.Sprintf("A csv resource has one object class, %q: each row is an object. Leave object_class out.", connector.DefaultObjectClass))
}

// Get scans the whole file for the row with identifier id, so that a
// second row with the same identifier is an error rather than ignored.
// There is no index: a csv Get costs a scan of the file.
func (c *Connector) Get(ctx context.Context, id string) (connector.Object, error) {
	var (
		found    connector.Object
		foundAt  int
		firstBad error
		fatal    error
	)
	c.scan(ctx, "get", scanOptions{}, func(rr *rowReader, rw row, err error) bool {
		switch {
		case err != nil && !connector.IsObjectError(err):
			fatal = err
		case rw.id == id && foundAt > 0:
			fatal = c.duplicateError("get", id, foundAt, rw.line)
		case err != nil:
			firstBad = cmpFirst(firstBad, err)
		case rw.id == id:
			found, foundAt = rr.object(rw), rw.line
		}
		return fatal == nil
	})
	switch {
	case fatal != nil:
		return connector.Object{}, fatal
	case foundAt > 0:
		return found, nil
	case firstBad != nil:
		// The object may be on the row that cannot be read: saying "not
		// found" could make a caller treat it as deleted.
		return connector.Object{}, firstBad
	}
	return connector.Object{}, c.errs.Object(connector.ErrNotFound, "get", id, nil, "")
}

func cmpFirst(first, err error) error {
	if first != nil {
		return first
	}
	return err
}
