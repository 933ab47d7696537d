package main

import (
	"context"
	"os"
	"strings"

	"github.com/syncline/syncline/config"
	"github.com/syncline/syncline/internal/gitmirror"
	"github.com/syncline/syncline/internal/views"
	"github.com/syncline/syncline/state"
	"github.com/urfave/cli/v3"
)

const hookInstallDescription = `Writes a post-receive hook into the bare repository -repo: on every push
to the tracked branch (-branch, default the repository's default branch) it
runs

   syncline sync -repo REPO -branch BRANCH -state STATE -auto-approve

with this syncline executable, logging to hooks/syncline.log in the
repository. -dir names the configuration directory inside the repository
(default: the sync block's path, else the top).

An existing post-receive hook that syncline did not write is left alone;
one it wrote is replaced.`

func (a *app) hookCommand() *cli.Command {
	return &cli.Command{
		Name:      "hook",
		Usage:     "manage the git hook that syncs on push",
		UsageText: "syncline hook install -repo BARE_REPO [options]",
		Commands: []*cli.Command{{
			Name:        "install",
			Usage:       "install a post-receive hook that syncs every push",
			UsageText:   "syncline hook install -repo BARE_REPO [-branch NAME] [-state PATH] [-dir CONFIG_PATH_IN_REPO]",
			Description: hookInstallDescription,
			Flags: []cli.Flag{
				&cli.StringFlag{Name: "repo", Usage: "the bare repository `PATH` to install the hook into", TakesFile: true},
				&cli.StringFlag{Name: "branch", Usage: "the `BRANCH` whose pushes are synced (default: the repository's default branch)"},
				&cli.StringFlag{Name: "dir", Usage: "the configuration `DIR` inside the repository"},
				stateFlag(),
				&cli.StringFlag{Name: "syncline", Hidden: true, Usage: "the syncline executable the hook runs (default: this one)"},
			},
			Action: a.hookInstall,
		}},
	}
}

func (a *app) hookInstall(ctx context.Context, cmd *cli.Command) error {
	repo := cmd.String("repo")
	if repo == "" {
		return newUsageError(cmd, "hook install needs the bare repository: -repo PATH")
	}
	statePath := cmd.String("state")
	if statePath == "" {
		statePath = strings.TrimPrefix(config.DefaultState, "sqlite://")
	}
	// The hook is a script in the repository: a PostgreSQL URL goes in
	// without its password (the hook connects with PGPASSWORD or .pgpass).
	statePath = state.LocationWithoutSecrets(statePath)
	bin := cmd.String("syncline")
	if bin == "" {
		var err error
		if bin, err = os.Executable(); err != nil {
			return err
		}
	}
	hook, err := gitmirror.InstallHook(gitmirror.Hook{Repo: repo, Branch: cmd.String("branch"), State: statePath,
		Dir: cmd.String("dir"), Syncline: bin})
	if err != nil {
		return err
	}
	views.NewHook(a.streams()).Installed(hook.Path, hook.Branch, hook.State, hook.Log)
	return nil
}
