package main

import (
	"context"
	"io"

	"github.com/syncline/syncline/config"
	"github.com/syncline/syncline/engine/ops"
	"github.com/syncline/syncline/internal/gitmirror"
	"github.com/syncline/syncline/internal/views"
	"github.com/urfave/cli/v3"
)

const syncDescription = `Fetches the git repository (-repo: a local path, or a file://, http(s)://
or ssh:// URL, or USER@HOST:PATH) into a mirror kept beside the state
(.syncline/repos/), reads the configuration from the tip of the branch and
plans it against the state.

What happens next is the policy of the fetched configuration's
syncline { sync { policy = "auto_apply" | "plan_only" } } block (default
plan_only): auto_apply applies; plan_only shows the plan and applies only
with -auto-approve. The apply records the commit and its author.

-repo, -branch and -path override the sync block's repository, branch and
path. When the latest apply in the state is the tip already, sync says
"already at COMMIT" and stops; a branch whose new tip does not descend from
the latest applied commit (a force-push) is applied from its new tip, and
the apply history records the commit it replaced.

Credentials come from the sync block of the configuration in the current
directory (username, password or token, ssh_key_file, known_hosts_file,
insecure_ignore_host_key, ca_file), overridden by the options below and by
the environment variables SYNCLINE_GIT_PASSWORD and SYNCLINE_GIT_TOKEN.
Secrets are never printed.`

func (a *app) syncCommand() *cli.Command {
	return &cli.Command{
		Name:        "sync",
		Usage:       "fetch a git branch and apply it to the state",
		UsageText:   "syncline sync [options]",
		Description: syncDescription,
		Flags: append([]cli.Flag{
			&cli.StringFlag{Name: "repo", Usage: "the repository to follow: a local `PATH` or a file://, http(s):// or ssh:// URL (default: the sync block's repository)"},
			&cli.StringFlag{Name: "branch", Usage: "the `BRANCH` to follow (default: the sync block's branch, else the repository's default branch)"},
			&cli.StringFlag{Name: "path", Usage: "the configuration `DIR` inside the repository (default: the sync block's path, else the top)"},
			&cli.BoolFlag{Name: "auto-approve", Usage: "apply also under the plan_only policy"},
			lockTimeoutFlag(),
			allowDestroyFlag(),
			&cli.StringFlag{Name: "username", Usage: "the user `NAME` for http(s) authentication (the password or token comes from SYNCLINE_GIT_PASSWORD or SYNCLINE_GIT_TOKEN)"},
			&cli.StringFlag{Name: "ssh-key-file", TakesFile: true, Usage: "the private key `FILE` for an ssh repository"},
			&cli.StringFlag{Name: "known-hosts-file", TakesFile: true, Usage: "the known_hosts `FILE` the ssh host key is checked against"},
			&cli.StringFlag{Name: "ca-file", TakesFile: true, Usage: "a PEM `FILE` of certificate authorities to trust for https"},
			stateFlag(),
		}, variableFlags()...),
		Action: a.syncAction,
	}
}

func (a *app) syncAction(ctx context.Context, cmd *cli.Command) error {
	if cmd.NArg() > 0 {
		return newUsageError(cmd, "sync takes no arguments; name the repository with -repo")
	}
	local := a.localSyncSettings()
	req := ops.SyncOptions{
		Repo: cmd.String("repo"), Branch: cmd.String("branch"), Path: cmd.String("path"),
		State: cmd.String("state"), Vars: cmd.StringSlice("var"), VarFiles: cmd.StringSlice("var-file"),
		LockTimeout: cmd.Duration("lock-timeout"), AllowDestroy: cmd.Bool("allow-destroy"), AutoApprove: cmd.Bool("auto-approve"),
		Credentials: gitmirror.CredentialsFrom(local, ".").Override(gitmirror.Credentials{
			Username: cmd.String("username"), Password: a.getenv(gitmirror.EnvPassword), Token: a.getenv(gitmirror.EnvToken),
			SSHKeyFile: cmd.String("ssh-key-file"), KnownHostsFile: cmd.String("known-hosts-file"), CAFile: cmd.String("ca-file"),
		}),
	}
	if req.Repo == "" && local != nil {
		req.Repo = local.Repository
	}
	if req.Repo == "" {
		return newUsageError(cmd, "sync needs a repository: give -repo PATH, or set syncline { sync { repository = ... } } in the configuration of the current directory")
	}
	_, err := a.runSync(ctx, req)
	return err
}

// localSyncSettings is the sync block of the configuration in the current
// directory, if any.
func (a *app) localSyncSettings() *config.SyncSettings {
	cfg, _ := a.loadDir(".", config.LoadOptions{Environ: a.environ, AllowUnsetVariables: true})
	if cfg == nil || cfg.Settings == nil {
		return nil
	}
	return cfg.Settings.Sync
}

// withOutput is a copy of a that prints to out, without colour.
func (a *app) withOutput(out io.Writer) *app {
	sub := newApp(a.stdin, out, out, a.environ)
	sub.loadDir = a.loadDir
	sub.noColor = true
	return sub
}

// runSync runs ops.Sync, showing what it does through the sync view on
// a.stdout. On any error nothing is applied; the result is returned with
// the error once the commit is known, so that a failed sync can be
// recorded with it.
func (a *app) runSync(ctx context.Context, req ops.SyncOptions) (*ops.SyncResult, error) {
	view := views.NewSync(a.streams(), a.color(a.stdout))
	res, err := ops.Sync(ctx, a.loader(), req, a.reporter(view, nil))
	if err != nil {
		return res, a.reported(err)
	}
	switch res.Outcome {
	case ops.SyncAlreadyAt:
		view.AlreadyAt(synced(res))
	case ops.SyncPlanOnly:
		view.PlanOnly()
	case ops.SyncApplied:
		showApplied(view, res.Apply)
	}
	return res, nil
}

// synced is what the sync view needs to know of res.
func synced(res *ops.SyncResult) views.Synced {
	s := views.Synced{Repo: res.Repo, Branch: res.Branch, Commit: res.Commit, Forced: res.Forced,
		AlreadyAt: res.Outcome == ops.SyncAlreadyAt, PlanOnly: res.Outcome == ops.SyncPlanOnly}
	s.NoChanges = res.Planned != nil && !res.Planned.Plan.HasChanges()
	if a := res.Apply; a != nil && a.Applied != nil {
		s.Applied = &views.Applied{Summary: a.Planned.Plan.Summary, Result: *a.Applied, Revision: a.Revision, Who: a.Who}
	}
	return s
}
