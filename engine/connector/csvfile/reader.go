package csvfile

import (
	"bufio"
	"bytes"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"

	"github.com/syncline/syncline/engine/connector"
)

// utf8BOM is the byte-order mark some tools write at the start of a UTF-8
// file; it is skipped on reading and kept on rewriting.
var utf8BOM = []byte{0xEF, 0xBB, 0xBF}

// readBufferSize is the read buffer; large enough that encoding/csv does
// not wrap the reader in a second, smaller one.
const readBufferSize = 256 << 10

// rowReader streams the rows of the file after its header.
type rowReader struct {
	c       *Connector
	op      string
	f       *os.File
	info    fs.FileInfo
	r       *csv.Reader
	base    int64 // bytes before the csv data: the byte-order mark
	utf8    *utf8Check
	columns []string
	idCol   int
	dataAt  int64 // offset of the first data row (after the header)
}

// row is one record of the file. err, when set, is the row-level error
// (an *connector.Error of kind ErrInvalidObject); fields may then be short.
type row struct {
	fields     []string
	id         string
	line       int
	start, end int64 // the record's bytes in the file
	err        error
}

// openRows opens the file and reads its header for op.
func (c *Connector) openRows(op string) (*rowReader, error) {
	f, info, err := c.openFile(op)
	if err != nil {
		return nil, err
	}
	rr := &rowReader{c: c, op: op, f: f, info: info}
	if err := rr.start(); err != nil {
		f.Close()
		return nil, err
	}
	return rr, nil
}

// rewind starts reading the same open file again from its first row. A
// file replaced by a rename in between is not seen: the reader keeps the
// version it opened.
func (rr *rowReader) rewind() error {
	if _, err := rr.f.Seek(0, io.SeekStart); err != nil {
		return rr.c.errs.New(connector.ErrUnreachable, rr.op, fmt.Errorf("reading %s: %w", rr.c.cfg.Display, err), "")
	}
	rr.base = 0
	return rr.start()
}

// openFile opens the file, naming it only by its display name in errors
// (its path may be sensitive).
func (c *Connector) openFile(op string) (*os.File, fs.FileInfo, error) {
	f, err := os.Open(c.cfg.Path)
	if err == nil {
		info, statErr := f.Stat()
		switch {
		case statErr != nil:
			f.Close()
			err = statErr
		case info.IsDir():
			f.Close()
			return nil, nil, c.errs.New(connector.ErrUnreachable, op, fmt.Errorf("%s is a directory, not a CSV file", c.cfg.Display),
				"Set path to the CSV file itself.")
		default:
			return f, info, nil
		}
	}
	var pe *fs.PathError
	if errors.As(err, &pe) {
		err = pe.Err // the path is named below, as the user wrote it
	}
	if errors.Is(err, fs.ErrNotExist) {
		return nil, nil, c.errs.New(connector.ErrUnreachable, op, fmt.Errorf("file %s does not exist", c.cfg.Display),
			"Check the path setting; a relative path is relative to the configuration directory.")
	}
	return nil, nil, c.errs.New(connector.ErrUnreachable, op, fmt.Errorf("cannot read %s: %w", c.cfg.Display, err), "")
}

// start skips a byte-order mark and reads or sets the columns.
func (rr *rowReader) start() error {
	rr.utf8 = &utf8Check{r: rr.f}
	br := bufio.NewReaderSize(rr.utf8, readBufferSize)
	if head, _ := br.Peek(len(utf8BOM)); bytes.Equal(head, utf8BOM) {
		br.Discard(len(utf8BOM))
		rr.base = int64(len(utf8BOM))
	}
	rr.r = csv.NewReader(br)
	rr.r.Comma = rr.c.cfg.Delimiter
	rr.r.ReuseRecord = true
	if rr.c.cfg.Columns != nil {
		rr.columns = rr.c.cfg.Columns
		rr.r.FieldsPerRecord = len(rr.columns)
	} else if err := rr.readHeader(); err != nil {
		return err
	}
	rr.dataAt = rr.offset()
	for i, col := range rr.columns {
		if col == rr.c.cfg.Identifier {
			rr.idCol = i
		}
	}
	return nil
}

// readHeader reads the first row as the column names.
func (rr *rowReader) readHeader() error {
	rec, err := rr.r.Read()
	schema := func(err error, hint string) error {
		e := rr.c.errs.New(connector.ErrSchema, rr.op, err, hint)
		e.Line = 1
		return e
	}
	switch {
	case err == io.EOF:
		return schema(fmt.Errorf("%s is empty; it has no header row", rr.c.cfg.Display),
			"Write the column names on the first line, or list them in the columns setting.")
	case err != nil:
		return schema(fmt.Errorf("cannot read the header row: %w", parseCause(err)), "")
	case !rr.utf8.allValid() && !validUTF8(rec):
		return schema(errNotUTF8, hintNotUTF8)
	}
	cols := append([]string(nil), rec...)
	if err := checkColumns(cols, rr.c.cfg.Identifier); err != nil {
		return schema(err, delimiterHint(cols, rr.c.cfg.Delimiter))
	}
	rr.columns = cols
	return nil
}

// offset is the file offset the csv reader has reached.
func (rr *rowReader) offset() int64 { return rr.base + rr.r.InputOffset() }

// next returns the next row, io.EOF after the last, or a fatal error.
func (rr *rowReader) next() (row, error) {
	start := rr.offset()
	rec, err := rr.r.Read()
	if err == io.EOF {
		return row{}, io.EOF
	}
	rw := row{fields: rec, start: start, end: rr.offset()}
	var pe *csv.ParseError
	switch {
	case errors.As(err, &pe):
		rw.line = pe.StartLine
		rw.err = rr.rowError(rw, pe)
		return rw, nil
	case err != nil:
		return row{}, rr.c.errs.New(connector.ErrUnreachable, rr.op, fmt.Errorf("reading %s: %w", rr.c.cfg.Display, err), "")
	}
	rw.line, _ = rr.r.FieldPos(0)
	rw.id = rec[rr.idCol]
	rw.err = rr.checkRow(rw)
	return rw, nil
}

// close closes the file.
func (rr *rowReader) close() { rr.f.Close() }
