package csvfile

import "context"

// Read-ahead sizes: a search holds at most (batchesAhead+2) × batchSize
// rows, a few hundred kilobytes, whatever the file's size.
const (
	batchSize    = 256
	batchesAhead = 4
)

// batch is rows (or errors) handed from the reading goroutine to the
// searching one.
type batch struct {
	rr    *rowReader // immutable once the header is read: columns, config
	items []item
	// rows is the file's estimated row count, once the reader has one.
	rows int
}

// item is a row without its byte offsets, which a search does not need.
type item struct {
	fields []string
	id     string
	line   int
	err    error
}

// readAhead is a scan for Search, split over two goroutines so that they
// share the work: one parses the file (encoding/csv, UTF-8), the caller's
// checks identifiers for duplicates, builds the objects and hands them on.
// fn is called on the caller's goroutine, in file order, with rows whose
// fields it may keep; when it returns false the reading stops and the file
// is closed before readAhead returns.
func (c *Connector) readAhead(ctx context.Context, op string, fn func(*rowReader, row, error) bool) {
	batches := make(chan batch, batchesAhead)
	done := make(chan struct{})
	go c.readBatches(ctx, op, batches, done)
	defer func() {
		close(done)
		for range batches { // wait for the reader to close the file
		}
	}()
	seen := newIDIndex()
	for b := range batches {
		if err := ctx.Err(); err != nil {
			fn(b.rr, row{}, err)
			return
		}
		if b.rows > 0 {
			seen.reserve(b.rows)
		}
		for _, it := range b.items {
			rw := row{fields: it.fields, id: it.id, line: it.line}
			err := it.err
			if err == nil {
				err = b.rr.checkDuplicate(seen, rw)
			}
			if !fn(b.rr, rw, err) {
				return
			}
		}
	}
}

// readBatches scans the file into batches until the end, a fatal error, or
// done.
func (c *Connector) readBatches(ctx context.Context, op string, batches chan<- batch, done <-chan struct{}) {
	defer close(batches)
	var cur batch
	send := func() bool {
		select {
		case batches <- cur:
			cur = batch{rr: cur.rr, items: make([]item, 0, batchSize)}
			return true
		case <-done:
			return false
		}
	}
	n := 0
	c.scan(ctx, op, scanOptions{ownRecords: true}, func(rr *rowReader, rw row, err error) bool {
		cur.rr = rr
		if n++; n == estimateAfter {
			cur.rows = rr.estimateRows(n)
		}
		cur.items = append(cur.items, item{fields: rw.fields, id: rw.id, line: rw.line, err: err})
		return len(cur.items) < batchSize || send()
	})
	if len(cur.items) > 0 {
		send()
	}
}
