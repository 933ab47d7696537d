package main

import (
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/hashicorp/hcl/v2"
	"github.com/hashicorp/hcl/v2/hclsyntax"
	"github.com/syncline/syncline/internal/views"
)

var update = flag.Bool("update", false, "rewrite golden files in testdata with the current output")

// diagSource is the configuration the golden diagnostics point into.
const diagSource = `resource "hr" {
  connector = "csv"
  connection {
    pth = "data/hr.csv"
  }
}

task "import" {
	schedule = schedule.nightly
  owner    = 
}

schedule "nightly" {
  cron = "0 2 * * *"
}
`

// rangeOf returns the range of the n-th (from 1) occurrence of sub in
// diagSource, in main.hcl.
func rangeOf(t *testing.T, sub string, n int) hcl.Range {
	t.Helper()
	at := -1
	for i := 0; i < n; i++ {
		next := strings.Index(diagSource[at+1:], sub)
		if next < 0 {
			t.Fatalf("%q occurs fewer than %d times", sub, n)
		}
		at += next + 1
	}
	return hcl.Range{Filename: "main.hcl", Start: posAt(at), End: posAt(at + len(sub))}
}

// posAt converts a byte offset in diagSource to a position.
func posAt(offset int) hcl.Pos {
	before := diagSource[:offset]
	line := strings.Count(before, "\n") + 1
	col := offset - strings.LastIndex(before, "\n")
	return hcl.Pos{Line: line, Column: col, Byte: offset}
}

func ptr(r hcl.Range) *hcl.Range { return &r }

// goldenDiagnostics covers each shape the view handles.
func goldenDiagnostics(t *testing.T) hcl.Diagnostics {
	connection := rangeOf(t, "connection {\n    pth = \"data/hr.csv\"\n  }", 1)
	wholeResource := rangeOf(t, diagSource[:strings.Index(diagSource, "task")], 1)
	emptyValue := rangeOf(t, "\n", 10)
	emptyValue.End = emptyValue.Start
	return hcl.Diagnostics{
		{Severity: hcl.DiagError, Summary: "Unsupported argument", Subject: ptr(rangeOf(t, "pth", 1)),
			Detail: `An argument named "pth" is not expected here. Did you mean "path"?`},
		{Severity: hcl.DiagWarning, Summary: "Deprecated block", Subject: &connection, Context: &wholeResource,
			Detail: "The connection block spans several lines, so no carets are drawn under it."},
		{Severity: hcl.DiagError, Summary: "Reference to undeclared schedule", Subject: ptr(rangeOf(t, "schedule.nightly", 1)),
			Detail: "A schedule named \"nightly\" is referred to before it is declared in a block that the loader reads later, which this long detail uses to show wrapping at seventy-eight columns.\n\nPreformatted lines stay as they are:\n  syncline validate -json"},
		{Severity: hcl.DiagError, Summary: "Missing expression", Subject: &emptyValue,
			Detail: "An empty range at the end of a line gets one caret after the last character."},
		{Severity: hcl.DiagError, Summary: "No value for required variable",
			Detail: `The root module variable "ldap_password" is not set.`},
		{Severity: hcl.DiagWarning, Summary: "Summary only"},
		{Severity: hcl.DiagError, Summary: "Source not loaded",
			Subject: &hcl.Range{Filename: "other.hcl", Start: hcl.Pos{Line: 3, Column: 2, Byte: 20}, End: hcl.Pos{Line: 3, Column: 5, Byte: 23}},
			Detail:  "The view prints the location but no source it does not have."},
	}
}

func diagFiles(t *testing.T) map[string]*hcl.File {
	file, _ := hclsyntax.ParseConfig([]byte(diagSource), "main.hcl", hcl.InitialPos)
	return map[string]*hcl.File{"main.hcl": file}
}

func TestDiagnosticsViewGolden(t *testing.T) {
	t.Parallel()
	var b strings.Builder
	diagnosticsView{files: diagFiles(t)}.write(&b, goldenDiagnostics(t))

	// A real parser error, rendered the same way.
	src := []byte("resource \"x\" {\n")
	file, diags := hclsyntax.ParseConfig(src, "broken.hcl", hcl.InitialPos)
	diagnosticsView{files: map[string]*hcl.File{"broken.hcl": file}}.write(&b, diags)

	checkGolden(t, filepath.Join("testdata", "diagnostics.golden"), b.String())
}

func checkGolden(t *testing.T, path, got string) {
	t.Helper()
	if *update {
		if err := os.WriteFile(path, []byte(got), 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run go test -update to create it)", err)
	}
	if got != string(want) {
		t.Errorf("output differs from %s (run go test -update to accept):\n%s", path, got)
	}
}

func TestDiagnosticsViewColor(t *testing.T) {
	t.Parallel()
	view := diagnosticsView{color: views.Color{On: true}}
	tests := []struct {
		severity hcl.DiagnosticSeverity
		want     string
	}{
		{hcl.DiagError, "\x1b[1m\x1b[31mError:\x1b[0m\x1b[1m Bad\x1b[0m\n\n"},
		{hcl.DiagWarning, "\x1b[1m\x1b[33mWarning:\x1b[0m\x1b[1m Bad\x1b[0m\n\n"},
	}
	for _, tt := range tests {
		if got := view.format(&hcl.Diagnostic{Severity: tt.severity, Summary: "Bad"}); got != tt.want {
			t.Errorf("format = %q, want %q", got, tt.want)
		}
	}
}

func TestJSONDiagnostics(t *testing.T) {
	t.Parallel()
	diags := goldenDiagnostics(t)
	got := jsonDiagnostics(diagFiles(t), diags)
	tests := []struct {
		name string
		i    int
		want jsonDiagnostic
	}{
		{"single line", 0, jsonDiagnostic{
			Severity: "error", Summary: "Unsupported argument", Detail: diags[0].Detail,
			Range:   &jsonRange{Filename: "main.hcl", Start: jsonPos{4, 5, 55}, End: jsonPos{4, 8, 58}},
			Snippet: &jsonSnippet{Context: strptr(`resource "hr"`), Code: `    pth = "data/hr.csv"`, StartLine: 4, HighlightStartOffset: 4, HighlightEndOffset: 7},
		}},
		{"no range", 4, jsonDiagnostic{Severity: "error", Summary: "No value for required variable", Detail: diags[4].Detail}},
		{"unknown file", 6, jsonDiagnostic{
			Severity: "error", Summary: "Source not loaded", Detail: diags[6].Detail,
			Range: &jsonRange{Filename: "other.hcl", Start: jsonPos{3, 2, 20}, End: jsonPos{3, 5, 23}},
		}},
		{"warning", 5, jsonDiagnostic{Severity: "warning", Summary: "Summary only"}},
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

func checkJSONDiagnostic(t *testing.T, got, want jsonDiagnostic) {
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
