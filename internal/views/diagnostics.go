package views

import (
	"fmt"
	"io"
	"strings"
	"unicode/utf8"

	"github.com/hashicorp/hcl/v2"
)

// Layout of the human diagnostics view.
const (
	diagnosticWidth    = 78 // detail text is wrapped at this column
	maxSnippetLines    = 4  // longer snippets are cut after the subject's first lines
	snippetIndent      = "    "
	snippetGutterSplit = " | "
)

// DiagnosticsHuman renders diagnostics for people:
//
//	Error: Unsupported argument
//
//	  on main.hcl:12,5:
//	    12 |     pth = "x"
//	             ^^^
//	An argument named "pth" is not expected here.
//
// Source lines come from files; a diagnostic without a range, or whose file
// is unknown, prints its summary and detail only. The view prints only what
// the diagnostic carries, never expression values, so sensitive values that
// config keeps out of its diagnostics stay out of the output.
type DiagnosticsHuman struct {
	Files map[string]*hcl.File
	Color Color
}

// Write renders every diagnostic, each followed by a blank line.
func (v DiagnosticsHuman) Write(w io.Writer, diags hcl.Diagnostics) {
	for _, diag := range diags {
		io.WriteString(w, v.Format(diag))
	}
}

// Format renders one diagnostic, ending with a blank line.
func (v DiagnosticsHuman) Format(diag *hcl.Diagnostic) string {
	var b strings.Builder
	b.WriteString(v.header(diag))
	b.WriteString("\n\n")
	if diag.Subject != nil {
		start := diag.Subject.Start
		fmt.Fprintf(&b, "  on %s:%d,%d:\n", diag.Subject.Filename, start.Line, start.Column)
		if s := newSnippet(v.Files, diag); s != nil {
			writeSnippetLines(&b, s)
		}
	}
	if diag.Detail != "" {
		b.WriteString(wrapText(diag.Detail, diagnosticWidth))
		b.WriteString("\n")
	}
	if diag.Subject != nil || diag.Detail != "" {
		b.WriteString("\n")
	}
	return b.String()
}

// header is "Error: Summary" or "Warning: Summary", coloured when enabled.
func (v DiagnosticsHuman) header(diag *hcl.Diagnostic) string {
	label, hue := "Error", Red
	if diag.Severity == hcl.DiagWarning {
		label, hue = "Warning", Yellow
	}
	return v.Color.Paint(label+":", Bold, hue) + v.Color.Paint(" "+diag.Summary, Bold)
}

// writeSnippetLines prints the snippet with a line number gutter and, when
// the subject is on one line, a row of carets under it.
func writeSnippetLines(b *strings.Builder, s *snippet) {
	lines := trimSnippet(s)
	width := len(fmt.Sprint(lines[len(lines)-1].number))
	for _, line := range lines {
		fmt.Fprintf(b, "%s%*d%s%s\n", snippetIndent, width, line.number, snippetGutterSplit, line.text)
		if carets := caretRow(line, s.highlight); carets != "" {
			fmt.Fprintf(b, "%s%*s%s%s\n", snippetIndent, width, "", strings.Repeat(" ", len(snippetGutterSplit)), carets)
		}
	}
	if len(lines) < len(s.lines) && lines[len(lines)-1].number < s.lines[len(s.lines)-1].number {
		fmt.Fprintf(b, "%s%*s%s...\n", snippetIndent, width, "", snippetGutterSplit)
	}
}

// trimSnippet keeps at most maxSnippetLines lines, starting at the subject
// when the context before it would push the subject out.
func trimSnippet(s *snippet) []sourceLine {
	lines := s.lines
	if len(lines) <= maxSnippetLines {
		return lines
	}
	for i, line := range lines {
		if line.number == s.highlight.Start.Line {
			lines = lines[min(i, len(lines)-maxSnippetLines):]
			break
		}
	}
	return lines[:maxSnippetLines]
}

// caretRow returns the indentation and carets marking highlight on line, or
// "" when highlight is not a single-line range on this line (a range that
// ends just after the line's newline counts as on the line). Tabs before the
// subject are kept so the carets line up with the source in any terminal.
func caretRow(line sourceLine, highlight hcl.Range) string {
	if first, last := lineSpan(highlight); first != line.number || last != line.number {
		return ""
	}
	from := clamp(highlight.Start.Byte-line.startByte, 0, len(line.text))
	to := clamp(highlight.End.Byte-line.startByte, from, len(line.text))
	var indent strings.Builder
	for _, r := range line.text[:from] {
		if r == '\t' {
			indent.WriteByte('\t')
		} else {
			indent.WriteByte(' ')
		}
	}
	return indent.String() + strings.Repeat("^", max(1, utf8.RuneCountInString(line.text[from:to])))
}

func clamp(n, lo, hi int) int {
	return max(lo, min(n, hi))
}

// ShowDiagnostics writes diags as Terraform does: errors on standard
// error, warnings on standard output, each painted with the colour
// colorFor gives its stream.
func ShowDiagnostics(s Streams, colorFor func(io.Writer) Color, files map[string]*hcl.File, diags hcl.Diagnostics) {
	for _, diag := range diags {
		w := s.Stdout
		if diag.Severity == hcl.DiagError {
			w = s.Stderr
		}
		view := DiagnosticsHuman{Files: files, Color: colorFor(w)}
		io.WriteString(w, view.Format(diag))
	}
}
