package main

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"

	"github.com/go-git/go-git/v5"
	gitconfig "github.com/go-git/go-git/v5/config"
	"github.com/go-git/go-git/v5/plumbing"
	"github.com/syncline/syncline/config"
	"github.com/syncline/syncline/state"
	"github.com/urfave/cli/v3"
)

const syncDescription = `Fetches the git repository (-repo: a local path or a file:// URL) into a
mirror kept beside the state (.syncline/repos/), reads the configuration
from the tip of the branch and plans it against the state.

What happens next is the policy of the fetched configuration's
syncline { sync { policy = "auto_apply" | "plan_only" } } block (default
plan_only): auto_apply applies; plan_only shows the plan and applies only
with -auto-approve. The apply records the commit and its author.

-repo, -branch and -path override the sync block's repository, branch and
path. Syncing the commit synced last is a no-op ("already at COMMIT"); a
branch whose new tip does not descend from the commit synced last
(a force-push) is applied from its new tip, with a note.`

func (a *app) syncCommand() *cli.Command {
	return &cli.Command{
		Name:        "sync",
		Usage:       "fetch a git branch and apply it to the state",
		UsageText:   "syncline sync [options]",
		Description: syncDescription,
		Flags: append([]cli.Flag{
			&cli.StringFlag{Name: "repo", Usage: "the repository to follow: a local `PATH` or file:// URL (default: the sync block's repository)"},
			&cli.StringFlag{Name: "branch", Usage: "the `BRANCH` to follow (default: the sync block's branch, else the repository's default branch)"},
			&cli.StringFlag{Name: "path", Usage: "the configuration `DIR` inside the repository (default: the sync block's path, else the top)"},
			&cli.BoolFlag{Name: "auto-approve", Usage: "apply also under the plan_only policy"},
			&cli.DurationFlag{Name: "lock-timeout", Usage: "how long to wait for the state lock (e.g. 30s)"},
			&cli.BoolFlag{Name: "allow-destroy", Usage: "allow removing or replacing a resource that still has shadows"},
			stateFlag(),
		}, variableFlags()...),
		Action: a.syncAction,
	}
}

func (a *app) syncAction(ctx context.Context, cmd *cli.Command) error {
	if cmd.NArg() > 0 {
		return newUsageError(cmd, "sync takes no arguments; name the repository with -repo")
	}
	repo := cmd.String("repo")
	if repo == "" {
		repo = a.localSyncRepository()
	}
	if repo == "" {
		return newUsageError(cmd, "sync needs a repository: give -repo PATH, or set syncline { sync { repository = ... } } in the configuration of the current directory")
	}
	url, err := syncRemoteURL(repo)
	if err != nil {
		return err
	}
	mirror, err := fetchMirror(ctx, syncCacheRoot(cmd.String("state")), url)
	if err != nil {
		return err
	}
	branch, path, err := a.syncTarget(mirror, cmd)
	if err != nil {
		return err
	}
	tip, err := mirror.repo.Reference(plumbing.NewBranchReferenceName(branch), true)
	if err != nil {
		return fmt.Errorf("the repository %s has no branch %q%s", repo, branch, branchList(mirror.repo))
	}
	commit := tip.Hash().String()
	last := mirror.lastSynced(branch)
	if last == commit && fileExists(stateLocation(cmd.String("state"), ".", nil)) {
		fmt.Fprintf(a.stdout, "Branch %s of %s is already at %s; nothing to sync.\n", branch, repo, config.ShortCommit(commit))
		return nil
	}
	if note := forcePushNote(mirror.repo, last, tip.Hash()); note != "" {
		fmt.Fprintf(a.stdout, "Note: %s; syncing from the new tip %s.\n\n", note, config.ShortCommit(commit))
	}

	src := configSource{repo: mirror.dir, ref: commit, path: path, stateDir: "."}
	lc, err := a.loadSourceStrict(src, cmd.StringSlice("var"), cmd.StringSlice("var-file"))
	if err != nil {
		return err
	}
	lc.rev.Ref = branch
	location := stateLocation(cmd.String("state"), ".", lc.cfg.Settings)
	policy := "plan_only"
	if s := lc.cfg.Settings.Sync; s != nil && s.Policy != "" {
		policy = s.Policy
	}
	if policy != "auto_apply" && !cmd.Bool("auto-approve") {
		return a.syncPlanOnly(ctx, lc, location, cmd)
	}
	if err := cmd.Set("auto-approve", "true"); err != nil {
		return err
	}
	if err := a.underLock(ctx, location, cmd, func(st *state.Store, snap *state.Snapshot) error {
		return a.planAndApply(ctx, st, snap, lc, cmd)
	}); err != nil {
		return err
	}
	return mirror.recordSynced(branch, commit)
}

// syncPlanOnly shows the plan under the plan_only policy, writing nothing.
func (a *app) syncPlanOnly(ctx context.Context, lc *loadedConfig, location string, cmd *cli.Command) error {
	snap, runtime, err := readSnapshot(ctx, location)
	if err != nil {
		return err
	}
	pl, err := a.computePlan(lc, snap, runtime, cmd)
	if err != nil {
		return err
	}
	fmt.Fprintf(a.stdout, "%s\n\n", revisionLine(lc.rev))
	render, _ := a.renderer("text")
	if err := render(a.stdout, pl.plan); err != nil {
		return err
	}
	fmt.Fprintln(a.stdout, "\nThe sync policy is plan_only: nothing was applied. Run again with -auto-approve to apply.")
	return nil
}

// localSyncRepository is the sync block's repository in the configuration
// of the current directory, if any.
func (a *app) localSyncRepository() string {
	cfg, _ := a.loadDir(".", config.LoadOptions{Environ: a.environ, AllowUnsetVariables: true})
	if cfg == nil || cfg.Settings == nil || cfg.Settings.Sync == nil {
		return ""
	}
	return cfg.Settings.Sync.Repository
}

// syncRemoteURL checks that repo is one sync can fetch today: a local
// path (made absolute) or a file:// URL.
func syncRemoteURL(repo string) (string, error) {
	if strings.HasPrefix(repo, "file://") {
		if _, err := os.Stat(strings.TrimPrefix(repo, "file://")); err != nil {
			return "", fmt.Errorf("cannot read the repository %s: %w", repo, err)
		}
		return repo, nil
	}
	if scheme, _, ok := strings.Cut(repo, "://"); ok {
		return "", fmt.Errorf("cannot fetch %s: %s repositories arrive with a later change; sync reads local paths and file:// URLs for now", repo, scheme)
	}
	if strings.Contains(repo, "@") && strings.Contains(repo, ":") {
		return "", fmt.Errorf("cannot fetch %s: ssh repositories arrive with a later change; sync reads local paths and file:// URLs for now", repo)
	}
	abs, err := filepath.Abs(repo)
	if err != nil {
		return "", err
	}
	if _, err := git.PlainOpen(abs); err != nil {
		return "", fmt.Errorf("cannot read the repository %s: %w", repo, err)
	}
	return abs, nil
}

// syncCacheRoot is where the mirrors live: repos/ in the state's directory,
// else .syncline/repos.
func syncCacheRoot(stateFlag string) string {
	if stateFlag != "" && !strings.Contains(stateFlag, "://") {
		return filepath.Join(filepath.Dir(stateFlag), "repos")
	}
	if rest, ok := strings.CutPrefix(stateFlag, "sqlite://"); ok {
		return filepath.Join(filepath.Dir(rest), "repos")
	}
	return filepath.Join(".syncline", "repos")
}

// mirror is a bare copy of a remote's branches.
type mirror struct {
	dir  string
	repo *git.Repository
}

// fetchMirror creates or updates the bare mirror of url under root,
// overwriting branches that were force-pushed.
func fetchMirror(ctx context.Context, root, url string) (*mirror, error) {
	sum := sha256.Sum256([]byte(url))
	dir := filepath.Join(root, hex.EncodeToString(sum[:8]))
	r, err := git.PlainOpen(dir)
	if errors.Is(err, git.ErrRepositoryNotExists) {
		r, err = git.PlainInit(dir, true)
		if err == nil {
			_, err = r.CreateRemote(&gitconfig.RemoteConfig{Name: "origin", URLs: []string{url}})
		}
	}
	if err != nil {
		return nil, fmt.Errorf("the mirror of %s in %s: %w", url, dir, err)
	}
	err = r.FetchContext(ctx, &git.FetchOptions{
		RemoteName: "origin",
		RefSpecs:   []gitconfig.RefSpec{"+refs/heads/*:refs/heads/*"},
		Force:      true,
		Tags:       git.NoTags,
	})
	if err != nil && !errors.Is(err, git.NoErrAlreadyUpToDate) {
		return nil, fmt.Errorf("fetching %s: %w", url, err)
	}
	setMirrorHead(ctx, r)
	return &mirror{dir: dir, repo: r}, nil
}

// setMirrorHead points the mirror's HEAD at the remote's default branch.
func setMirrorHead(ctx context.Context, r *git.Repository) {
	remote, err := r.Remote("origin")
	if err != nil {
		return
	}
	refs, err := remote.ListContext(ctx, &git.ListOptions{})
	if err != nil {
		return
	}
	var head *plumbing.Reference
	for _, ref := range refs {
		if ref.Name() == plumbing.HEAD {
			head = ref
		}
	}
	if head == nil {
		return
	}
	target := head.Target()
	if head.Type() == plumbing.HashReference {
		for _, ref := range refs {
			if ref.Name().IsBranch() && ref.Hash() == head.Hash() {
				target = ref.Name()
				break
			}
		}
	}
	if target.IsBranch() {
		_ = r.Storer.SetReference(plumbing.NewSymbolicReference(plumbing.HEAD, target))
	}
}

// syncTarget decides the branch and the configuration path: the flags,
// else the sync block read at the remote's default branch, else the default
// branch and the top of the repository.
func (a *app) syncTarget(m *mirror, cmd *cli.Command) (branch, path string, err error) {
	branch, path = cmd.String("branch"), cmd.String("path")
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
	if cfg, _, _ := config.LoadGit(m.dir, at, probe, config.LoadOptions{Environ: a.environ, AllowUnsetVariables: true}); cfg != nil && cfg.Settings != nil && cfg.Settings.Sync != nil {
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
		head, err := m.repo.Reference(plumbing.HEAD, false)
		if err != nil || !head.Target().IsBranch() {
			return "", "", errors.New("the repository has no default branch; name one with -branch")
		}
		branch = head.Target().Short()
	}
	return branch, path, nil
}

func branchList(r *git.Repository) string {
	iter, err := r.Branches()
	if err != nil {
		return ""
	}
	var names []string
	_ = iter.ForEach(func(ref *plumbing.Reference) error {
		names = append(names, ref.Name().Short())
		return nil
	})
	if len(names) == 0 {
		return " (it has no branches)"
	}
	return " (branches: " + strings.Join(names, ", ") + ")"
}

// forcePushNote says when the commit synced last is not an ancestor of
// the new tip.
func forcePushNote(r *git.Repository, last string, tip plumbing.Hash) string {
	if last == "" {
		return ""
	}
	prev, err := r.CommitObject(plumbing.NewHash(last))
	if err == nil {
		next, err2 := r.CommitObject(tip)
		if err2 == nil {
			if ok, err3 := prev.IsAncestor(next); err3 == nil && ok {
				return ""
			}
		}
	}
	return fmt.Sprintf("force-push: previous %s is not an ancestor", config.ShortCommit(last))
}

// syncedFile records the commit synced last per branch, beside the mirror.
func (m *mirror) syncedFile() string { return m.dir + ".synced.json" }

func (m *mirror) synced() map[string]string {
	out := map[string]string{}
	if b, err := os.ReadFile(m.syncedFile()); err == nil {
		_ = json.Unmarshal(b, &out)
	}
	return out
}

func (m *mirror) lastSynced(branch string) string { return m.synced()[branch] }

func (m *mirror) recordSynced(branch, commit string) error {
	all := m.synced()
	all[branch] = commit
	b, err := json.MarshalIndent(all, "", "  ")
	if err != nil {
		return err
	}
	return os.WriteFile(m.syncedFile(), append(b, '\n'), 0o644)
}

// fileExists reports whether path names an existing file. sync skips an
// already-synced commit only while the state it was applied to still exists.
func fileExists(path string) bool {
	_, err := os.Stat(path)
	return err == nil
}

// syncOnce runs one sync — fetch, plan, and apply per the sync policy —
// with the sync command's flags in args, as `syncline sync ARGS` would,
// writing what sync prints to out. serve -sync calls it.
func (a *app) syncOnce(ctx context.Context, out io.Writer, args []string) error {
	sub := newApp(strings.NewReader(""), out, out, a.environ)
	sub.loadDir = a.loadDir
	sub.noColor = true
	return sub.rootCommand().Run(ctx, append([]string{"syncline", "sync"}, args...))
}
