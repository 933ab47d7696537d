package main

import (
	"context"
	"fmt"
	"slices"
	"strings"

	"github.com/urfave/cli/v3"
)

// usageError is a mistake on the command line. It is reported in two short
// lines — what is wrong and where to read more — instead of a help dump.
type usageError struct {
	command string // "syncline fmt"
	msg     string
}

func (e usageError) Error() string {
	return fmt.Sprintf("%s: %s\nRun '%s -help' for usage.", e.command, e.msg, e.command)
}

func (a *app) onUsageError(ctx context.Context, cmd *cli.Command, err error, isSubcommand bool) error {
	msg := err.Error()
	if flag, ok := strings.CutPrefix(msg, "flag provided but not defined: -"); ok && cmd.Name != "syncline" {
		msg += globalFlagHint(a.globalFlags(), strings.TrimLeft(flag, "-"), strings.TrimPrefix(cmd.FullName(), "syncline "))
	}
	return usageError{command: cmd.FullName(), msg: msg}
}

// globalFlagHint says where a global option given after command goes:
// "; -chdir is a global option: put it before the command, as in
// syncline -chdir=DIR plan". It is "" for other flags.
func globalFlagHint(globals []cli.Flag, flag, command string) string {
	for _, g := range globals {
		if !slices.Contains(g.Names(), flag) {
			continue
		}
		name := g.Names()[0]
		example := "syncline -" + name
		if _, isString := g.(*cli.StringFlag); isString {
			example += "=DIR"
		}
		return fmt.Sprintf("; -%s is a global option: put it before the command, as in %s %s", name, example, command)
	}
	return ""
}

// newUsageError reports a wrong use of cmd, such as too many arguments.
func newUsageError(cmd *cli.Command, format string, args ...any) error {
	return usageError{command: cmd.FullName(), msg: fmt.Sprintf(format, args...)}
}

// unknownCommandError names the unknown command and suggests the closest
// known one.
func unknownCommandError(cmd *cli.Command, name string) error {
	msg := fmt.Sprintf("unknown command %q", name)
	if s := closestName(name, commandNames(cmd)); s != "" {
		msg += fmt.Sprintf("; did you mean %q?", s)
	}
	return usageError{command: cmd.FullName(), msg: msg}
}

func commandNames(cmd *cli.Command) []string {
	var names []string
	for _, sub := range cmd.Commands {
		names = append(names, sub.Name)
	}
	return names
}
