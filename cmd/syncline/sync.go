package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"strings"
	"time"

	"github.com/go-git/go-git/v5/plumbing"
	"github.com/syncline/syncline/config"
	"github.com/syncline/syncline/internal/gitmirror"
	"github.com/syncline/syncline/state"
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
			&cli.DurationFlag{Name: "lock-timeout", Usage: "how long to wait for the state lock (e.g. 30s)"},
			&cli.BoolFlag{Name: "allow-destroy", Usage: "allow removing or replacing a resource that still has shadows"},
			&cli.StringFlag{Name: "username", Usage: "the user `NAME` for http(s) authentication (the password or token comes from SYNCLINE_GIT_PASSWORD or SYNCLINE_GIT_TOKEN)"},
			&cli.StringFlag{Name: "ssh-key-file", TakesFile: true, Usage: "the private key `FILE` for an ssh repository"},
			&cli.StringFlag{Name: "known-hosts-file", TakesFile: true, Usage: "the known_hosts `FILE` the ssh host key is checked against"},
			&cli.StringFlag{Name: "ca-file", TakesFile: true, Usage: "a PEM `FILE` of certificate authorities to trust for https"},
			stateFlag(),
		}, variableFlags()...),
		Action: a.syncAction,
	}
}

// syncRequest is one sync: what to follow, how to fetch it and how to
// apply it. Branch and Path may be empty: then the sync block of the
// repository's default branch says, else main-branch defaults apply.
type syncRequest struct {
	Repo, Branch, Path string
	State              string // the -state option; "" for the default
	Vars, VarFiles     []string
	Credentials        gitmirror.Credentials
	LockTimeout        time.Duration
	AllowDestroy       bool
	AutoApprove        bool
}

// syncResult says what a sync found and did.
type syncResult struct {
	Commit, Branch, Path string
	Mirror               *gitmirror.Mirror
	// Settings are those of the configuration at Commit.
	Settings *config.Settings
	// Current is true when the state holds Commit's definitions: applied
	// now, or already, or Commit changes nothing that is applied.
	Current bool
}

func (a *app) syncAction(ctx context.Context, cmd *cli.Command) error {
	if cmd.NArg() > 0 {
		return newUsageError(cmd, "sync takes no arguments; name the repository with -repo")
	}
	local := a.localSyncSettings()
	req := syncRequest{
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

// runSync fetches req's repository, plans the tip of its branch and
// applies it per the sync policy, printing what it does to a.stdout. On
// any error nothing is applied; the result is returned with the error once
// the commit is known, so that a failed sync can be recorded with it.
func (a *app) runSync(ctx context.Context, req syncRequest) (*syncResult, error) {
	remote, err := gitmirror.ResolveRemote(req.Repo, req.Credentials)
	if err != nil {
		return nil, err
	}
	m, err := gitmirror.Fetch(ctx, gitmirror.CacheRoot(req.State), remote)
	if err != nil {
		return nil, err
	}
	res := &syncResult{Mirror: m}
	if res.Branch, res.Path, err = a.syncTarget(m, req.Branch, req.Path); err != nil {
		return nil, err
	}
	tip, err := m.Branch(res.Branch)
	if err != nil {
		return nil, fmt.Errorf("the repository %s has no branch %q%s", req.Repo, res.Branch, m.BranchList())
	}
	res.Commit = tip
	src := configSource{repo: m.Dir(), ref: res.Commit, path: res.Path, stateDir: "."}
	lc, err := a.loadSourceStrict(src, req.Vars, req.VarFiles)
	if err != nil {
		return res, err
	}
	lc.rev.Ref = res.Branch
	res.Settings = lc.cfg.Settings
	location := stateLocation(req.State, ".", lc.cfg.Settings)
	applied, err := latestAppliedRevision(ctx, location)
	if err != nil {
		return res, err
	}
	if applied == res.Commit {
		fmt.Fprintf(a.stdout, "Branch %s of %s is already at %s; nothing to sync.\n", res.Branch, req.Repo, config.ShortCommit(res.Commit))
		res.Current = true
		return res, nil
	}
	forced := m.ForcedOver(applied, tip)
	if forced != "" {
		fmt.Fprintf(a.stdout, "Note: force-push: previous %s is not an ancestor; syncing from the new tip %s.\n\n", config.ShortCommit(forced), config.ShortCommit(res.Commit))
	}
	policy := config.DefaultSyncPolicy
	if s := lc.cfg.Settings.Sync; s != nil && s.Policy != "" {
		policy = s.Policy
	}
	if policy != config.SyncAutoApply && !req.AutoApprove {
		return res, a.syncPlanOnly(ctx, lc, location, req.AllowDestroy)
	}
	err = withApplyLock(ctx, location, req.LockTimeout, func(st *state.Store, snap *state.Snapshot) error {
		return a.syncApply(ctx, st, snap, lc, req.AllowDestroy, forced)
	})
	if err != nil {
		return res, err
	}
	res.Current = true
	return res, nil
}

// latestAppliedRevision is the revision of the latest apply in the state
// at location; "" when there is no state, no apply, or the latest apply
// came from a directory.
func latestAppliedRevision(ctx context.Context, location string) (string, error) {
	if !strings.Contains(location, "://") && !fileExists(location) {
		return "", nil
	}
	st, err := state.Open(ctx, location, state.Options{ReadOnly: true})
	if err != nil {
		return "", err
	}
	defer st.Close()
	history, err := st.ApplyHistory(ctx, 1)
	if err != nil || len(history) == 0 {
		return "", err
	}
	return history[0].Revision, nil
}

// syncPlanOnly shows the plan under the plan_only policy, writing nothing.
func (a *app) syncPlanOnly(ctx context.Context, lc *loadedConfig, location string, allowDestroy bool) error {
	snap, runtime, err := readSnapshot(ctx, location)
	if err != nil {
		return err
	}
	pl, err := planConfig(lc, snap, runtime, allowDestroy)
	if err != nil {
		return err
	}
	view := a.textPlanView()
	view.Revision(lc.rev)
	if err := view.Plan(pl.plan); err != nil {
		return err
	}
	fmt.Fprintln(a.stdout, "\nThe sync policy is plan_only: nothing was applied. Run again with -auto-approve to apply.")
	return nil
}

// syncApply plans lc under the lock and applies it, recording forced — the
// commit a force-push replaced — with the apply.
func (a *app) syncApply(ctx context.Context, st *state.Store, snap *state.Snapshot, lc *loadedConfig, allowDestroy bool, forced string) error {
	runtime, err := st.TaskRuntimes(ctx)
	if err != nil {
		return err
	}
	pl, err := planConfig(lc, snap, runtime, allowDestroy)
	if err != nil {
		return err
	}
	view := a.applyView()
	view.Revision(lc.rev)
	if err := view.Plan(pl.plan); err != nil {
		return err
	}
	if err := pl.plan.Err(); err != nil {
		return exitStatus(exitError)
	}
	if !pl.plan.HasChanges() && snap.Lineage != "" {
		return nil
	}
	req := pl.plan.ApplyRequest(pl.desired, lc.who())
	req.ForcedOver = forced
	refreshSources(&req, pl.desired, snap)
	return store(ctx, st, req, pl.plan, view)
}

// syncTarget decides the branch and the configuration path: the given
// ones, else the sync block read at the remote's default branch, else the
// default branch and the top of the repository.
func (a *app) syncTarget(m *gitmirror.Mirror, branch, path string) (string, string, error) {
	if branch != "" && path != "" {
		return branch, path, nil
	}
	at, probe := "HEAD", path
	if branch != "" {
		at = plumbing.NewBranchReferenceName(branch).String()
	}
	if probe == "" {
		probe = "."
	}
	if cfg, _, _ := config.LoadGit(m.Dir(), at, probe, config.LoadOptions{Environ: a.environ, AllowUnsetVariables: true}); cfg != nil && cfg.Settings != nil && cfg.Settings.Sync != nil {
		s := cfg.Settings.Sync
		if branch == "" {
			branch = s.Branch
		}
		if path == "" {
			path = s.Path
		}
	}
	if path == "" {
		path = "."
	}
	if branch == "" {
		def, ok := m.DefaultBranch()
		if !ok {
			return "", "", errors.New("the repository has no default branch; name one with -branch")
		}
		branch = def
	}
	return branch, path, nil
}

// fileExists reports whether path names an existing file.
func fileExists(path string) bool {
	_, err := os.Stat(path)
	return err == nil
}
