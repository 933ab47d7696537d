package views

import (
	"strings"

	"github.com/hashicorp/hcl/v2"
)

// JSONDiagnostic is one diagnostic in machine-readable output. The shape is
// the one "terraform validate -json" uses, so editors and CI annotators that
// read Terraform diagnostics read these too.
type JSONDiagnostic struct {
	Severity string       `json:"severity"`
	Summary  string       `json:"summary"`
	Detail   string       `json:"detail"`
	Range    *jsonRange   `json:"range,omitempty"`
	Snippet  *jsonSnippet `json:"snippet,omitempty"`
}

type jsonRange struct {
	Filename string  `json:"filename"`
	Start    jsonPos `json:"start"`
	End      jsonPos `json:"end"`
}

type jsonPos struct {
	Line   int `json:"line"`
	Column int `json:"column"`
	Byte   int `json:"byte"`
}

// jsonSnippet is the source around the range. Context names the enclosing
// block (null when there is none); the highlight offsets are byte offsets
// into Code.
type jsonSnippet struct {
	Context              *string `json:"context"`
	Code                 string  `json:"code"`
	StartLine            int     `json:"start_line"`
	HighlightStartOffset int     `json:"highlight_start_offset"`
	HighlightEndOffset   int     `json:"highlight_end_offset"`
}

// JSONDiagnostics converts diags, never returning nil so that the output
// always holds an array.
func JSONDiagnostics(files map[string]*hcl.File, diags hcl.Diagnostics) []JSONDiagnostic {
	out := make([]JSONDiagnostic, 0, len(diags))
	for _, diag := range diags {
		out = append(out, newJSONDiagnostic(files, diag))
	}
	return out
}

func newJSONDiagnostic(files map[string]*hcl.File, diag *hcl.Diagnostic) JSONDiagnostic {
	d := JSONDiagnostic{Severity: "error", Summary: diag.Summary, Detail: diag.Detail}
	if diag.Severity == hcl.DiagWarning {
		d.Severity = "warning"
	}
	if diag.Subject != nil {
		r := *diag.Subject
		d.Range = &jsonRange{Filename: r.Filename, Start: newJSONPos(r.Start), End: newJSONPos(r.End)}
	}
	if s := newSnippet(files, diag); s != nil && len(s.lines) > 0 {
		d.Snippet = newJSONSnippet(s)
	}
	return d
}

func newJSONPos(p hcl.Pos) jsonPos {
	return jsonPos{Line: p.Line, Column: p.Column, Byte: p.Byte}
}

func newJSONSnippet(s *snippet) *jsonSnippet {
	texts := make([]string, len(s.lines))
	for i, line := range s.lines {
		texts[i] = line.text
	}
	code := strings.Join(texts, "\n")
	codeStart := s.lines[0].startByte
	start := clamp(s.highlight.Start.Byte-codeStart, 0, len(code))
	end := clamp(s.highlight.End.Byte-codeStart, start, len(code))
	js := &jsonSnippet{Code: code, StartLine: s.lines[0].number, HighlightStartOffset: start, HighlightEndOffset: end}
	if s.context != "" {
		js.Context = &s.context
	}
	return js
}
