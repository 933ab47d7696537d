// Command syncline is the command-line interface of Syncline: it wires flags
// and exit codes to the config, planner, state and engine packages, and
// holds no domain logic of its own. Each command picks its views once from
// its flags and renders through them: plans, applies and colour come from
// internal/views; the diagnostics view and the views of runs, tasks and
// the state summary are still here.
package main

import (
	"context"
	"io"
	"os"
)

func main() {
	os.Exit(run(context.Background(), os.Args, os.Stdin, os.Stdout, os.Stderr))
}

// run executes the command line args (args[0] is the program name) and
// returns the process exit code: 0 success, 1 error, 3 "fmt -check" found
// files to format.
func run(ctx context.Context, args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	return newApp(stdin, stdout, stderr, os.Environ()).run(ctx, args)
}
