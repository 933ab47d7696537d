package views

import (
	"bufio"

	"github.com/hashicorp/hcl/v2"
	"github.com/hashicorp/hcl/v2/hcled"
)

// snippet is the source a diagnostic points at: the lines covering its
// context and subject, and the subject range to highlight within them. The
// human and the JSON diagnostics views both render from it.
type snippet struct {
	lines     []sourceLine
	highlight hcl.Range // the subject, widened to at least one byte
	context   string    // the enclosing block, e.g. `resource "hr"`, or ""
}

// sourceLine is one line of a file, without its line ending.
type sourceLine struct {
	number    int
	startByte int
	text      string
}

// newSnippet returns the snippet for diag, or nil when diag has no subject or
// its file is not among files.
func newSnippet(files map[string]*hcl.File, diag *hcl.Diagnostic) *snippet {
	if diag.Subject == nil {
		return nil
	}
	file := files[diag.Subject.Filename]
	if file == nil || file.Bytes == nil {
		return nil
	}
	highlight := widen(*diag.Subject)
	around := highlight
	if diag.Context != nil {
		around = widen(hcl.RangeOver(*diag.Context, highlight))
	}
	s := &snippet{highlight: highlight, context: hcled.ContextString(file, highlight.Start.Byte-1)}
	first, last := lineSpan(around)
	sc := hcl.NewRangeScanner(file.Bytes, highlight.Filename, bufio.ScanLines)
	for sc.Scan() {
		r := sc.Range()
		if r.Start.Line >= first && r.Start.Line <= last {
			s.lines = append(s.lines, sourceLine{number: r.Start.Line, startByte: r.Start.Byte, text: string(sc.Bytes())})
		}
	}
	return s
}

// widen gives an empty range one byte so that it overlaps the line it is on;
// some diagnostics (an unexpected end of file) point between characters.
func widen(r hcl.Range) hcl.Range {
	if r.End == (hcl.Pos{}) {
		r.End = r.Start
	}
	if r.Empty() {
		r.End.Byte++
		r.End.Column++
	}
	return r
}

// lineSpan returns the first and last line r covers; a range that ends at
// the start of a line (just after a newline) does not cover that line.
func lineSpan(r hcl.Range) (first, last int) {
	first, last = r.Start.Line, r.End.Line
	if r.End.Column == 1 && last > first {
		last--
	}
	return first, last
}
