package main

import (
	"bytes"
	"fmt"
	"github.com/syncline/syncline/internal/views"
	"io"
	"os"

	"github.com/hashicorp/hcl/v2"
	"github.com/hashicorp/hcl/v2/hclsyntax"
	"github.com/hashicorp/hcl/v2/hclwrite"
	"github.com/syncline/syncline/config"
	"github.com/syncline/syncline/internal/atomicfile"
)

// stdinName names standard input in diagnostics and diffs.
const stdinName = "<stdin>"

// formatSource returns src in canonical format, or the syntax errors that
// keep it from being formatted, printed by the caller with the source.
func formatSource(src []byte, name string) ([]byte, *hcl.File, hcl.Diagnostics) {
	if diags := config.CheckNesting(src, name, false); diags.HasErrors() {
		return nil, nil, diags // the parser would exhaust the stack
	}
	file, diags := hclsyntax.ParseConfig(src, name, hcl.InitialPos)
	if diags.HasErrors() {
		return nil, file, diags
	}
	return hclwrite.Format(src), file, nil
}

// fmtFile formats one file: it lists it and prints its diff when it
// changes, and rewrites it unless -check is given.
func (a *app) fmtFile(path string, opts fmtOptions) fmtResult {
	src, err := os.ReadFile(path)
	if err != nil {
		return a.fmtFailed(err)
	}
	out, ok := a.format(src, path)
	if !ok {
		return fmtResult{failed: true}
	}
	if bytes.Equal(src, out) {
		return fmtResult{}
	}
	if opts.list {
		views.FormattedFile(a.stdout, path)
	}
	if !opts.check {
		if err := atomicfile.Replace(path, out); err != nil {
			return a.fmtFailed(err)
		}
	}
	if opts.diff {
		if err := views.WriteUnifiedDiff(a.stdout, path, src, out); err != nil {
			return a.fmtFailed(err)
		}
	}
	return fmtResult{changed: true}
}

// fmtStdin formats standard input to standard output, or prints the diff
// with -diff. As with "terraform fmt -", -check only sets the exit status.
func (a *app) fmtStdin(opts fmtOptions) fmtResult {
	src, err := io.ReadAll(a.stdin)
	if err != nil {
		return a.fmtFailed(fmt.Errorf("reading standard input: %w", err))
	}
	out, ok := a.format(src, stdinName)
	if !ok {
		return fmtResult{failed: true}
	}
	if opts.diff {
		err = views.WriteUnifiedDiff(a.stdout, stdinName, src, out)
	} else {
		_, err = a.stdout.Write(out)
	}
	if err != nil {
		return a.fmtFailed(err)
	}
	return fmtResult{changed: !bytes.Equal(src, out)}
}

// format formats src, printing its syntax errors when it cannot.
func (a *app) format(src []byte, name string) ([]byte, bool) {
	out, file, diags := formatSource(src, name)
	if diags.HasErrors() {
		a.showDiagnostics(map[string]*hcl.File{name: file}, diags)
		return nil, false
	}
	return out, true
}
