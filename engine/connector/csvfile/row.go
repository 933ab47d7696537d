package csvfile

import (
	"encoding/csv"
	"errors"
	"fmt"
	"slices"
	"strings"
	"unicode/utf8"

	"github.com/syncline/syncline/engine/connector"
)

var errNotUTF8 = errors.New("the text is not valid UTF-8")

const hintNotUTF8 = "Save the file as UTF-8 (it may be in another encoding, such as Windows-1250 or ISO-8859-2)."

// rowError turns a csv parse error into the row's error.
func (rr *rowReader) rowError(rw row, pe *csv.ParseError) error {
	hint := ""
	if errors.Is(pe.Err, csv.ErrFieldCount) {
		hint = delimiterHint(rw.fields, rr.c.cfg.Delimiter)
		if hint == "" {
			hint = fmt.Sprintf("Quote fields that contain %q, and give every row %d fields.", rr.c.cfg.Delimiter, len(rr.columns))
		}
	}
	return rr.c.errs.Line(connector.ErrInvalidObject, rr.op, rw.line, "", parseCauseCols(pe, len(rw.fields), len(rr.columns)), hint)
}

// checkRow checks a row that encoding/csv read without error.
func (rr *rowReader) checkRow(rw row) error {
	switch {
	case !rr.utf8.allValid() && !validUTF8(rw.fields):
		return rr.c.errs.Line(connector.ErrInvalidObject, rr.op, rw.line, "", errNotUTF8, hintNotUTF8)
	case rw.id == "":
		return rr.c.errs.Line(connector.ErrInvalidObject, rr.op, rw.line, "",
			fmt.Errorf("the identifier column %q is empty", rr.c.cfg.Identifier), "Every row needs an identifier.")
	case strings.TrimSpace(rw.id) == "":
		return rr.c.errs.Line(connector.ErrInvalidObject, rr.op, rw.line, "",
			fmt.Errorf("the identifier column %q holds only white space", rr.c.cfg.Identifier), "Every row needs an identifier.")
	}
	return nil
}

// parseCause phrases a csv parse error without its position (the line is
// reported by the *connector.Error).
func parseCause(err error) error {
	var pe *csv.ParseError
	if errors.As(err, &pe) {
		return pe.Err
	}
	return err
}

// parseCauseCols phrases a field-count error with the counts.
func parseCauseCols(pe *csv.ParseError, got, want int) error {
	if errors.Is(pe.Err, csv.ErrFieldCount) {
		return fmt.Errorf("the row has %d fields, the file has %d columns", got, want)
	}
	if errors.Is(pe.Err, csv.ErrQuote) {
		return fmt.Errorf("%w: a quote opened on this row is not closed where expected (line %d, column %d)", pe.Err, pe.Line, pe.Column)
	}
	if pe.Column > 0 {
		return fmt.Errorf("column %d: %w", pe.Column, pe.Err)
	}
	return pe.Err
}

// delimiterHint guesses that the file uses another delimiter when a row (or
// the header) is one field holding a common delimiter.
func delimiterHint(fields []string, delim rune) string {
	if len(fields) != 1 {
		return ""
	}
	for _, d := range []rune{';', ',', '\t', '|'} {
		if d != delim && strings.ContainsRune(fields[0], d) {
			return fmt.Sprintf("The row is one field containing %q: the file may use %q as its delimiter; set delimiter = %q.", d, d, string(d))
		}
	}
	return ""
}

// validUTF8 reports whether every field is valid UTF-8.
func validUTF8(fields []string) bool {
	for _, f := range fields {
		if !utf8.ValidString(f) {
			return false
		}
	}
	return true
}

// object turns a valid row into an Object. Single values are slices of
// the row's fields, copied first when the reader reuses them.
func (rr *rowReader) object(rw row) connector.Object {
	fields := rw.fields
	if rr.r.ReuseRecord {
		fields = slices.Clone(fields)
	}
	attrs := make(connector.Attributes, len(rr.columns))
	for i, col := range rr.columns {
		attrs[col] = rr.c.split(fields[i : i+1 : i+1])
	}
	return connector.Object{ID: rw.id, Attributes: attrs}
}

// split turns a field (a one-element slice) into values.
func (c *Connector) split(field []string) []string {
	switch f := field[0]; {
	case f == "":
		return nil
	case c.cfg.MultivalueDelimiter == 0 || !strings.ContainsRune(f, c.cfg.MultivalueDelimiter):
		return field
	default:
		return connector.Values(strings.Split(f, string(c.cfg.MultivalueDelimiter))...)
	}
}
