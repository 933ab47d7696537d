package main

import (
	"context"
	"os"
	"strings"

	"github.com/syncline/syncline/state"
	"github.com/urfave/cli/v3"
)

// stateFlag is the -state option shared by the commands that use the store.
func stateFlag() cli.Flag {
	return &cli.StringFlag{
		Name:      "state",
		Usage:     "state store `PATH` (default: the syncline block's state, else DIR/.syncline/state.db)",
		TakesFile: true,
	}
}

// openStore opens the store at location, telling time by the program's
// clock.
func (a *app) openStore(ctx context.Context, location string, readOnly bool) (*state.Store, error) {
	return state.Open(ctx, location, state.Options{ReadOnly: readOnly, Clock: a.clock()})
}

// dirArg returns the single optional DIR argument, "." by default.
func dirArg(cmd *cli.Command) (string, error) {
	if cmd.NArg() > 1 {
		return "", newUsageError(cmd, "too many arguments; expected at most one directory")
	}
	if dir := cmd.Args().First(); dir != "" {
		return dir, nil
	}
	return ".", nil
}

// lockTimeoutFlag is the -lock-timeout option of the commands that apply.
func lockTimeoutFlag() cli.Flag {
	return &cli.DurationFlag{Name: "lock-timeout", Usage: "how long to wait for the state lock (e.g. 30s)"}
}

// allowDestroyFlag is the -allow-destroy option of the commands that plan
// and apply.
func allowDestroyFlag() cli.Flag {
	return &cli.BoolFlag{Name: "allow-destroy", Usage: "allow removing or replacing a resource that still has shadows"}
}

// isDir reports whether path names a directory.
func isDir(path string) bool {
	if path == "" {
		return false
	}
	info, err := os.Stat(path)
	return err == nil && info.IsDir()
}

// argsAndDir reads a command's arguments: exactly n words (what names
// them in errors), then an optional configuration directory.
func argsAndDir(cmd *cli.Command, n int, what string) ([]string, string, error) {
	args := cmd.Args().Slice()
	switch len(args) {
	case n:
		return args, ".", nil
	case n + 1:
		return args[:n], args[n], nil
	}
	if n == 0 {
		return nil, "", newUsageError(cmd, "expected at most one configuration directory")
	}
	return nil, "", newUsageError(cmd, "expected %s and optionally a configuration directory", what)
}

// taskName is the task a command-line argument names: "hr-import" and
// "task.hr-import" (the address every view prints) are the same task.
func taskName(arg string) string {
	return strings.TrimPrefix(arg, "task.")
}
