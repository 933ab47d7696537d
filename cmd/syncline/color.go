package main

import (
	"io"

	"github.com/mattn/go-isatty"
)

// ANSI SGR sequences used by the views.
const (
	ansiReset  = "\x1b[0m"
	ansiBold   = "\x1b[1m"
	ansiRed    = "\x1b[31m"
	ansiGreen  = "\x1b[32m"
	ansiYellow = "\x1b[33m"
)

// colorizer wraps text in ANSI sequences when enabled and returns it
// unchanged otherwise, so views never test for colour themselves.
type colorizer struct {
	enabled bool
}

func (c colorizer) paint(s string, codes ...string) string {
	if !c.enabled || s == "" {
		return s
	}
	var prefix string
	for _, code := range codes {
		prefix += code
	}
	return prefix + s + ansiReset
}

// isTerminal reports whether w is a file attached to a terminal.
func isTerminal(w io.Writer) bool {
	f, ok := w.(interface{ Fd() uintptr })
	if !ok {
		return false
	}
	return isatty.IsTerminal(f.Fd()) || isatty.IsCygwinTerminal(f.Fd())
}
