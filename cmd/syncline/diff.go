package main

import (
	"io"
	"path"
	"path/filepath"
	"strings"

	"github.com/pmezard/go-difflib/difflib"
)

// writeDiff writes a unified diff from before to after, labelled
// old/NAME and new/NAME as "terraform fmt -diff" does.
func writeDiff(w io.Writer, name string, before, after []byte) error {
	name = filepath.ToSlash(name)
	return difflib.WriteUnifiedDiff(w, difflib.UnifiedDiff{
		A:        diffLines(before),
		B:        diffLines(after),
		FromFile: path.Join("old", name),
		ToFile:   path.Join("new", name),
		Context:  3,
	})
}

// diffLines splits src into lines that each end in a newline. Unlike
// difflib.SplitLines it adds no empty line after a final newline.
func diffLines(src []byte) []string {
	lines := strings.SplitAfter(string(src), "\n")
	if last := len(lines) - 1; lines[last] == "" {
		lines = lines[:last]
	} else {
		lines[last] += "\n"
	}
	return lines
}
