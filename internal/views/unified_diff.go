package views

import (
	"io"
	"path"
	"path/filepath"
	"strings"

	"github.com/pmezard/go-difflib/difflib"
)

// WriteUnifiedDiff writes a unified diff from before to after, labelled
// old/NAME and new/NAME as "terraform fmt -diff" does.
func WriteUnifiedDiff(w io.Writer, name string, before, after []byte) error {
	name = filepath.ToSlash(name)
	return difflib.WriteUnifiedDiff(w, difflib.UnifiedDiff{
		A:        sourceLines(before),
		B:        sourceLines(after),
		FromFile: path.Join("old", name),
		ToFile:   path.Join("new", name),
		Context:  3,
	})
}

// sourceLines splits src into lines that each end in a newline. Unlike
// difflib.SplitLines it adds no empty line after a final newline.
func sourceLines(src []byte) []string {
	lines := strings.SplitAfter(string(src), "\n")
	if last := len(lines) - 1; lines[last] == "" {
		lines = lines[:last]
	} else {
		lines[last] += "\n"
	}
	return lines
}
