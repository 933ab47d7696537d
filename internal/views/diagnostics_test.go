package views

import (
	"path/filepath"
	"strings"
	"testing"

	"github.com/hashicorp/hcl/v2"
	"github.com/hashicorp/hcl/v2/hclsyntax"
	"github.com/syncline/syncline/internal/plantest"
)

func TestDiagnosticsViewGolden(t *testing.T) {
	t.Parallel()
	var b strings.Builder
	DiagnosticsHuman{Files: plantest.DiagnosticFiles(t)}.Write(&b, plantest.Diagnostics(t))

	// A real parser error, rendered the same way.
	src := []byte("resource \"x\" {\n")
	file, diags := hclsyntax.ParseConfig(src, "broken.hcl", hcl.InitialPos)
	DiagnosticsHuman{Files: map[string]*hcl.File{"broken.hcl": file}}.Write(&b, diags)

	plantest.CheckGolden(t, filepath.Join("testdata", "diagnostics.golden"), []byte(b.String()), *update, "go test ./internal/views -run TestDiagnosticsViewGolden -update")
}

func TestDiagnosticsViewColor(t *testing.T) {
	t.Parallel()
	view := DiagnosticsHuman{Color: Color{On: true}}
	tests := []struct {
		severity hcl.DiagnosticSeverity
		want     string
	}{
		{hcl.DiagError, "\x1b[1m\x1b[31mError:\x1b[0m\x1b[1m Bad\x1b[0m\n\n"},
		{hcl.DiagWarning, "\x1b[1m\x1b[33mWarning:\x1b[0m\x1b[1m Bad\x1b[0m\n\n"},
	}
	for _, tt := range tests {
		if got := view.Format(&hcl.Diagnostic{Severity: tt.severity, Summary: "Bad"}); got != tt.want {
			t.Errorf("format = %q, want %q", got, tt.want)
		}
	}
}

func TestJSONDiagnostics(t *testing.T) {
	t.Parallel()
	diags := plantest.Diagnostics(t)
	got := JSONDiagnostics(plantest.DiagnosticFiles(t), diags)
	tests := []struct {
		name string
		i    int
		want JSONDiagnostic
	}{
		{"single line", 0, JSONDiagnostic{
			Severity: "error", Summary: "Unsupported argument", Detail: diags[0].Detail,
			Range:   &jsonRange{Filename: "main.hcl", Start: jsonPos{4, 5, 55}, End: jsonPos{4, 8, 58}},
			Snippet: &jsonSnippet{Context: strptr(`resource "hr"`), Code: `    pth = "data/hr.csv"`, StartLine: 4, HighlightStartOffset: 4, HighlightEndOffset: 7},
		}},
		{"no range", 4, JSONDiagnostic{Severity: "error", Summary: "No value for required variable", Detail: diags[4].Detail}},
		{"unknown file", 6, JSONDiagnostic{
			Severity: "error", Summary: "Source not loaded", Detail: diags[6].Detail,
			Range: &jsonRange{Filename: "other.hcl", Start: jsonPos{3, 2, 20}, End: jsonPos{3, 5, 23}},
		}},
		{"warning", 5, JSONDiagnostic{Severity: "warning", Summary: "Summary only"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			checkJSONDiagnostic(t, got[tt.i], tt.want)
		})
	}
	if s := got[1].Snippet; s == nil || s.StartLine != 1 || strings.Count(s.Code, "\n") != 6 {
		t.Errorf("multi-line snippet should hold the whole context (lines 1-7): %+v", s)
	}
}

func checkJSONDiagnostic(t *testing.T, got, want JSONDiagnostic) {
	t.Helper()
	if got.Severity != want.Severity || got.Summary != want.Summary || got.Detail != want.Detail {
		t.Errorf("got %+v, want %+v", got, want)
	}
	if (got.Range == nil) != (want.Range == nil) || got.Range != nil && *got.Range != *want.Range {
		t.Errorf("range %+v, want %+v", got.Range, want.Range)
	}
	if (got.Snippet == nil) != (want.Snippet == nil) {
		t.Fatalf("snippet %+v, want %+v", got.Snippet, want.Snippet)
	}
	if got.Snippet != nil {
		g, w := *got.Snippet, *want.Snippet
		if *g.Context != *w.Context {
			t.Errorf("snippet context %q, want %q", *g.Context, *w.Context)
		}
		g.Context, w.Context = nil, nil
		if g != w {
			t.Errorf("snippet %+v, want %+v", g, w)
		}
	}
}

func strptr(s string) *string { return &s }

func TestWrapText(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name, in, want string
		width          int
	}{
		{"short", "one two", "one two", 10},
		{"wraps", "one two three four", "one two\nthree four", 10},
		{"long word kept", "supercalifragilistic x", "supercalifragilistic\nx", 10},
		{"preformatted kept", "a b c d e f\n  a b c d e f", "a b c\nd e f\n  a b c d e f", 5},
		{"blank lines kept", "a\n\nb", "a\n\nb", 5},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			if got := wrapText(tt.in, tt.width); got != tt.want {
				t.Errorf("wrapText(%q, %d) = %q, want %q", tt.in, tt.width, got, tt.want)
			}
		})
	}
}
