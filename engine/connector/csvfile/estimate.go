package csvfile

import (
	"bytes"
	"context"
	"encoding/csv"
	"errors"
	"io"

	"github.com/syncline/syncline/engine/connector"
)

var _ connector.Estimator = (*Connector)(nil)

// Estimate counts the rows of a small file exactly, and estimates those of
// a larger one from its size and the rows per byte of samples: the first
// estimateSample rows, and estimateChunk bytes at a quarter, half and three
// quarters of the file and at its end, weighted by the trapezoid rule
// (rows often grow longer down a file, as identifiers do). It reads a few
// hundred kilobytes whatever the file's size.
func (c *Connector) Estimate(ctx context.Context, q connector.Query) (int64, bool, error) {
	if err := c.checkClass("estimate", q.ObjectClass); err != nil {
		return 0, false, err
	}
	rr, err := c.openRows("estimate")
	if err != nil {
		return 0, false, err
	}
	defer rr.close()
	n := 0
	for ; n < estimateSample; n++ {
		if _, err := rr.next(); err == io.EOF {
			return int64(n), true, nil
		} else if err != nil {
			return 0, false, err
		}
	}
	if err := ctx.Err(); err != nil {
		return 0, false, err
	}
	data := rr.info.Size() - rr.dataAt
	head := float64(n) / float64(rr.offset()-rr.dataAt)
	density, weights := head/8, 1.0/8
	for i, w := range []float64{1. / 4, 1. / 4, 1. / 4, 1. / 8} {
		at := rr.dataAt + data*int64(i+1)/4 - estimateChunk/2
		if d, ok := rr.rowsPerByte(max(at, rr.offset())); ok {
			density, weights = density+w*d, weights+w
		}
	}
	return max(int64(float64(data)*density/weights+0.5), int64(n)), false, nil
}

// How much of the file Estimate samples.
const (
	estimateSample = 1024     // rows at the start
	estimateChunk  = 64 << 10 // bytes further on
)

// rowsPerByte is how many whole rows there are per byte in the
// estimateChunk bytes from offset from (fewer at the end of the file);
// false when there are too few rows to tell.
func (rr *rowReader) rowsPerByte(from int64) (float64, bool) {
	buf := make([]byte, estimateChunk)
	got, err := rr.f.ReadAt(buf, from)
	if err != nil && !errors.Is(err, io.EOF) {
		return 0, false
	}
	// The chunk starts inside a row: the rows counted begin after the
	// first line break, and end with the last. A line break inside a
	// quoted field may throw the reader off; an estimate can live with
	// that.
	buf = buf[:got]
	first, last := bytes.IndexByte(buf, '\n'), bytes.LastIndexByte(buf, '\n')
	if first < 0 || first == last {
		return 0, false
	}
	buf = buf[first+1 : last+1]
	r := csv.NewReader(bytes.NewReader(buf))
	r.Comma, r.FieldsPerRecord, r.LazyQuotes, r.ReuseRecord = rr.c.cfg.Delimiter, -1, true, true
	rows := 0
	for {
		if _, err := r.Read(); err == io.EOF {
			break
		} else if err == nil {
			rows++
		}
	}
	if rows < 16 {
		return 0, false
	}
	return float64(rows) / float64(len(buf)), true
}
