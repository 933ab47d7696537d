package views

import (
	"io"
	"strings"

	"github.com/mattn/go-isatty"
	"github.com/syncline/syncline/planner"
)

// ANSI SGR sequences a view paints with.
const (
	Bold   = "\x1b[1m"
	Red    = "\x1b[31m"
	Green  = "\x1b[32m"
	Yellow = "\x1b[33m"
	Cyan   = "\x1b[36m"
	reset  = "\x1b[0m"
)

// Color wraps text in ANSI sequences when On and returns it unchanged
// otherwise, so views never test for colour themselves. It is the one
// colouriser of the program: the plan views, diagnostics, errors and
// summaries all paint through it.
type Color struct {
	On bool
}

// ColorFor is the colour for writing to w: on only when w is a terminal,
// the -no-color option was not given (noColorFlag) and the NO_COLOR
// environment variable is unset or empty (noColorEnv is its value).
func ColorFor(w io.Writer, noColorFlag bool, noColorEnv string) Color {
	return Color{On: !noColorFlag && noColorEnv == "" && IsTerminal(w)}
}

// Paint wraps s in styles (Bold, Red, …) and a reset; "" stays "".
func (c Color) Paint(s string, styles ...string) string {
	if !c.On || s == "" {
		return s
	}
	return strings.Join(styles, "") + s + reset
}

// Symbol colours an action's symbol as Terraform does: green for create,
// yellow for update, red for delete, red and green for replace, cyan for a
// move.
func (c Color) Symbol(a planner.Action) string {
	switch a {
	case planner.Create:
		return c.Paint(a.Symbol(), Green)
	case planner.Update:
		return c.Paint(a.Symbol(), Yellow)
	case planner.Delete:
		return c.Paint(a.Symbol(), Red)
	case planner.Replace:
		return c.Paint("-", Red) + "/" + c.Paint("+", Green)
	case planner.MoveOnly:
		return c.Paint(a.Symbol(), Cyan)
	}
	return a.Symbol()
}

// IsTerminal reports whether w is a file attached to a terminal.
func IsTerminal(w io.Writer) bool {
	f, ok := w.(interface{ Fd() uintptr })
	if !ok {
		return false
	}
	return isatty.IsTerminal(f.Fd()) || isatty.IsCygwinTerminal(f.Fd())
}
