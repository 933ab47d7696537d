package main

import (
	"context"
	"fmt"
	"github.com/syncline/syncline/internal/views"
	"os"

	"github.com/urfave/cli/v3"
)

const rootDescription = `Syncline keeps identity synchronization as code: resources, object types,
mappings, schedules and tasks are written in HCL files in a git repository,
and syncline validates, formats, plans and applies them.

-chdir comes before the command name (-no-color may go anywhere):

   syncline -chdir=infra/iam validate

Shell completion: source the output of "syncline completion bash|zsh|fish".`

// rootCommand builds a fresh command tree; flags hold parsed values, so each
// run needs its own.
func (a *app) rootCommand() *cli.Command {
	root := &cli.Command{
		Name:                  "syncline",
		Usage:                 "declarative, GitOps-style reconciler for identity synchronization",
		UsageText:             "syncline [global options] <command> [options] [args]",
		Description:           rootDescription,
		Reader:                a.stdin,
		Writer:                a.stdout,
		ErrWriter:             a.stderr,
		EnableShellCompletion: true,
		HideVersion:           true,
		Flags:                 a.globalFlags(),
		Before:                a.before,
		Action:                a.rootAction,
		CommandNotFound:       a.commandNotFound,
		ExitErrHandler:        func(context.Context, *cli.Command, error) {},
		Commands: []*cli.Command{
			a.upCommand(),
			a.initCommand(),
			a.validateCommand(),
			a.planCommand(),
			a.applyCommand(),
			a.showCommand(),
			a.diffCommand(),
			a.runCommand(),
			a.tasksCommand(),
			a.runsCommand(),
			a.serveCommand(),
			a.resourcesCommand(),
			a.stateCommand(),
			a.fmtCommand(),
			a.watchCommand(),
			a.syncCommand(),
			a.hookCommand(),
			a.versionCommand(),
			a.helpCommand(),
		},
	}
	// The completion command is created inside Run, after the walk below.
	root.ConfigureShellCompletionCommand = func(c *cli.Command) { a.configureCommands(c) }
	a.configureCommands(root)
	return root
}

func (a *app) globalFlags() []cli.Flag {
	return []cli.Flag{
		&cli.StringFlag{
			Name:      "chdir",
			Usage:     "switch to directory `DIR` before running the command",
			TakesFile: true,
			Local:     true,
		},
		&cli.BoolFlag{
			Name:        "no-color",
			Usage:       "never colour the output (also when NO_COLOR is set)",
			Destination: &a.noColor,
		},
		&cli.BoolFlag{
			Name:    "version",
			Aliases: []string{"v"},
			Usage:   "print the version (same as the version command)",
			Local:   true,
		},
	}
}

// configureCommands applies the settings every command shares to top and
// the commands below it: no help dump on usage errors, "-var a=b,c" kept as
// one value, and no "help" subcommand below the root, so that "syncline fmt
// help" formats a directory named help ("-help" still works everywhere).
func (a *app) configureCommands(top *cli.Command) {
	_ = top.Walk(func(cmd *cli.Command) error {
		cmd.OnUsageError = a.onUsageError
		cmd.DisableSliceFlagSeparator = true
		cmd.HideHelpCommand = cmd.Name != "syncline"
		return nil
	})
}

// before runs ahead of every command action: -chdir is applied first so
// that every path on the command line is relative to the new directory.
func (a *app) before(ctx context.Context, cmd *cli.Command) (context.Context, error) {
	dir := cmd.String("chdir")
	if dir == "" {
		return ctx, nil
	}
	info, err := os.Stat(dir)
	if err != nil || !info.IsDir() {
		return ctx, fmt.Errorf("invalid -chdir option: %q is not a directory", dir)
	}
	if err := os.Chdir(dir); err != nil {
		return ctx, fmt.Errorf("invalid -chdir option: %w", err)
	}
	return ctx, nil
}

// rootAction runs when no command was named: print the version for
// -version, report an unknown command, or show the help.
func (a *app) rootAction(ctx context.Context, cmd *cli.Command) error {
	if cmd.Bool("version") {
		return a.printVersion(false)
	}
	if cmd.Args().Present() {
		return unknownCommandError(cmd, cmd.Args().First())
	}
	return cli.ShowRootCommandHelp(cmd)
}

// helpCommand is "syncline help [COMMAND]". It replaces urfave/cli's own,
// which refuses -help ("syncline help -help" shows this command's help).
func (a *app) helpCommand() *cli.Command {
	return &cli.Command{
		Name:      "help",
		Usage:     "show the list of commands, or the help of one",
		UsageText: "syncline help [COMMAND]",
		Action: func(ctx context.Context, cmd *cli.Command) error {
			if name := cmd.Args().First(); name != "" {
				return cli.ShowCommandHelp(ctx, cmd.Root(), name)
			}
			return cli.ShowRootCommandHelp(cmd.Root())
		},
	}
}

// commandNotFound is called for "syncline help NAME" with an unknown NAME.
func (a *app) commandNotFound(ctx context.Context, cmd *cli.Command, name string) {
	views.WriteUsageError(a.stderr, unknownCommandError(cmd, name).Error())
	a.failed = true
}
