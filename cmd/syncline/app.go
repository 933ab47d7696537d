package main

import (
	"context"
	"io"
	"strings"

	"github.com/hashicorp/hcl/v2"
	"github.com/syncline/syncline/config"
	"github.com/syncline/syncline/internal/clock"
	"github.com/syncline/syncline/internal/views"
)

// app holds what every command needs: the standard streams, the process
// environment and the global options read from the command line.
type app struct {
	stdin   io.Reader
	stdout  io.Writer
	stderr  io.Writer
	environ []string

	// loadDir loads a configuration directory; tests replace it to see
	// the options a command passes.
	loadDir func(dir string, opts config.LoadOptions) (*config.Config, hcl.Diagnostics)

	// clock tells the time of the commands' own messages; the workflows
	// they start take it too.
	clk clock.Clock

	// noColor is the -no-color option.
	noColor bool
	// failed records an error already reported through a callback that
	// cannot return one (urfave/cli's CommandNotFound).
	failed bool
}

func newApp(stdin io.Reader, stdout, stderr io.Writer, environ []string) *app {
	return &app{stdin: stdin, stdout: stdout, stderr: stderr, environ: environ, loadDir: config.LoadDir, clk: clock.Real{}}
}

// run executes the command line args and returns the exit code.
func (a *app) run(ctx context.Context, args []string) int {
	return a.exitCode(a.rootCommand().Run(ctx, args))
}

// clock is the program's one clock.
func (a *app) clock() clock.Clock { return a.clk }

// showDiagnostics shows diags through the diagnostics view: errors on
// standard error, warnings on standard output.
func (a *app) showDiagnostics(files map[string]*hcl.File, diags hcl.Diagnostics) {
	views.ShowDiagnostics(a.streams(), a.color, files, diags)
}

// getenv returns the value of the environment variable key, or "".
func (a *app) getenv(key string) string {
	for _, kv := range a.environ {
		if k, v, ok := strings.Cut(kv, "="); ok && k == key {
			return v
		}
	}
	return ""
}

// streams are the standard output and error a view writes to.
func (a *app) streams() views.Streams {
	return views.Streams{Stdout: a.stdout, Stderr: a.stderr}
}

// color returns the colour for w: colour is used only when w is a
// terminal, -no-color was not given and NO_COLOR is unset or empty.
func (a *app) color(w io.Writer) views.Color {
	return views.ColorFor(w, a.noColor, a.getenv("NO_COLOR"))
}
