package main

import (
	"errors"

	"github.com/syncline/syncline/internal/views"
	"github.com/urfave/cli/v3"
)

// Exit codes. 3 is what "terraform fmt -check" uses for "files would change".
const (
	exitOK          = 0
	exitError       = 1
	exitChanges     = 2 // plan -detailed-exitcode: changes present
	exitNeedsFormat = 3
)

// exitStatus ends a command with a code after the command has already told
// the user why (for example by printing diagnostics).
type exitStatus int

func (s exitStatus) Error() string { return "" }
func (s exitStatus) ExitCode() int { return int(s) }

// exitCode reports err, if it still needs reporting, and maps it to the
// process exit code.
func (a *app) exitCode(err error) int {
	var usage usageError
	var coder cli.ExitCoder
	switch {
	case err == nil && a.failed:
		return exitError
	case err == nil:
		return exitOK
	case errors.As(err, &usage):
		views.WriteUsageError(a.stderr, usage.Error())
		return exitError
	case errors.As(err, &coder):
		if msg := coder.Error(); msg != "" {
			a.printError(msg)
		}
		return coder.ExitCode()
	default:
		a.printError(err.Error())
		return exitError
	}
}

// printError reports an error that has no source location.
func (a *app) printError(msg string) {
	views.WriteError(a.stderr, a.color(a.stderr), msg)
}
