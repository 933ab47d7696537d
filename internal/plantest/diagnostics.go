package plantest

import (
	"strings"
	"testing"

	"github.com/hashicorp/hcl/v2"
	"github.com/hashicorp/hcl/v2/hclsyntax"
)

// DiagnosticSource is the configuration (main.hcl) the golden diagnostics
// point into.
const DiagnosticSource = `resource "hr" {
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
// DiagnosticSource, in main.hcl.
func rangeOf(t testing.TB, sub string, n int) hcl.Range {
	t.Helper()
	at := -1
	for i := 0; i < n; i++ {
		next := strings.Index(DiagnosticSource[at+1:], sub)
		if next < 0 {
			t.Fatalf("%q occurs fewer than %d times", sub, n)
		}
		at += next + 1
	}
	return hcl.Range{Filename: "main.hcl", Start: posAt(at), End: posAt(at + len(sub))}
}

// posAt converts a byte offset in DiagnosticSource to a position.
func posAt(offset int) hcl.Pos {
	before := DiagnosticSource[:offset]
	line := strings.Count(before, "\n") + 1
	col := offset - strings.LastIndex(before, "\n")
	return hcl.Pos{Line: line, Column: col, Byte: offset}
}

func ptr(r hcl.Range) *hcl.Range { return &r }

// Diagnostics covers each shape the view handles.
func Diagnostics(t testing.TB) hcl.Diagnostics {
	connection := rangeOf(t, "connection {\n    pth = \"data/hr.csv\"\n  }", 1)
	wholeResource := rangeOf(t, DiagnosticSource[:strings.Index(DiagnosticSource, "task")], 1)
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

func DiagnosticFiles(t testing.TB) map[string]*hcl.File {
	file, _ := hclsyntax.ParseConfig([]byte(DiagnosticSource), "main.hcl", hcl.InitialPos)
	return map[string]*hcl.File{"main.hcl": file}
}
