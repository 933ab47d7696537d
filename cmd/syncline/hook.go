package main

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"github.com/go-git/go-git/v5"
	"github.com/go-git/go-git/v5/plumbing"
	"github.com/syncline/syncline/config"
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

// hookMarker is the line that identifies a post-receive hook syncline wrote.
const hookMarker = "# syncline post-receive hook"

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
	repo, err := filepath.Abs(repo)
	if err != nil {
		return err
	}
	r, err := git.PlainOpen(repo)
	if err != nil {
		return fmt.Errorf("cannot open the repository %s: %w", repo, err)
	}
	if _, err := r.Worktree(); !errors.Is(err, git.ErrIsBareRepository) {
		return fmt.Errorf("%s is not a bare repository; install the hook into the repository pushes go to", repo)
	}
	branch := cmd.String("branch")
	if branch == "" {
		head, err := r.Reference(plumbing.HEAD, false)
		if err != nil || !head.Target().IsBranch() {
			return errors.New("the repository has no default branch; name one with -branch")
		}
		branch = head.Target().Short()
	}
	statePath := cmd.String("state")
	if statePath == "" {
		statePath = strings.TrimPrefix(config.DefaultState, "sqlite://")
	}
	if !strings.Contains(statePath, "://") {
		if statePath, err = filepath.Abs(statePath); err != nil {
			return err
		}
	}
	bin := cmd.String("syncline")
	if bin == "" {
		if bin, err = os.Executable(); err != nil {
			return err
		}
	}
	if bin, err = filepath.Abs(bin); err != nil {
		return err
	}

	path := filepath.Join(repo, "hooks", "post-receive")
	if old, err := os.ReadFile(path); err == nil && !strings.Contains(string(old), hookMarker) {
		return fmt.Errorf("%s already exists and was not written by syncline; leaving it alone (merge the two by hand, or remove it and run again)", path)
	}
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		return err
	}
	script := hookScript(bin, repo, branch, statePath, cmd.String("dir"))
	if err := os.WriteFile(path, []byte(script), 0o755); err != nil {
		return err
	}
	if err := os.Chmod(path, 0o755); err != nil {
		return err
	}
	fmt.Fprintf(a.stdout, "Installed %s: pushes to %s run syncline sync into %s (log: %s).\n",
		path, branch, statePath, filepath.Join(repo, "hooks", "syncline.log"))
	return nil
}

// hookScript is the post-receive hook's text.
func hookScript(bin, repo, branch, statePath, dir string) string {
	pathArg := ""
	if dir != "" {
		pathArg = " -path " + shellQuote(dir)
	}
	return `#!/bin/sh
` + hookMarker + `: written by "syncline hook install"; run it again to update.
SYNCLINE_BIN=` + shellQuote(bin) + `
REPO=` + shellQuote(repo) + `
BRANCH=` + shellQuote(branch) + `
STATE=` + shellQuote(statePath) + `
LOG="$REPO/hooks/syncline.log"
while read old new ref; do
  [ "$ref" = "refs/heads/$BRANCH" ] || continue
  echo "$(date -u +%Y-%m-%dT%H:%M:%SZ) push to $BRANCH: $old -> $new" >>"$LOG"
  if (unset GIT_DIR GIT_QUARANTINE_PATH; "$SYNCLINE_BIN" -no-color sync -repo "$REPO" -branch "$BRANCH" -state "$STATE"` + pathArg + ` -auto-approve) >>"$LOG" 2>&1; then
    echo "syncline: synced $BRANCH at $new"
  else
    echo "syncline: the sync of $BRANCH failed; see $LOG"
  fi
done
`
}

// shellQuote quotes s for sh.
func shellQuote(s string) string {
	return "'" + strings.ReplaceAll(s, "'", `'\''`) + "'"
}
