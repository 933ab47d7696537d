package ops

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/go-git/go-git/v5/plumbing"
	"github.com/syncline/syncline/config"
	"github.com/syncline/syncline/internal/gitmirror"
	"github.com/syncline/syncline/state"
)

// SyncOptions are one sync: what to follow, how to fetch it and how to
// apply it. Branch and Path may be empty: then the sync block of the git
// repository's default branch says, else main-branch defaults apply.
type SyncOptions struct {
	Repo, Branch, Path string
	State              string // the -state option; "" for the default
	Vars, VarFiles     []string
	Credentials        gitmirror.Credentials
	LockTimeout        time.Duration
	AllowDestroy       bool
	AutoApprove        bool // apply also under the plan_only policy
}

// Outcome is how a sync ended.
type Outcome string

// The outcomes of a sync.
const (
	// SyncApplied: the tip was planned and applied (an apply that
	// changed nothing included).
	SyncApplied Outcome = "applied"
	// SyncAlreadyAt: the latest apply in the state is the tip already.
	SyncAlreadyAt Outcome = "already at"
	// SyncPlanOnly: the plan_only policy showed the plan and applied
	// nothing.
	SyncPlanOnly Outcome = "plan only"
	// SyncFailed: the sync failed after the commit was known; nothing was
	// applied.
	SyncFailed Outcome = "failed"
)

// SyncResult says what a sync found and did.
type SyncResult struct {
	Outcome Outcome
	// Repo is the git repository as given, Branch and Path what was
	// followed, Commit the tip synced.
	Repo, Branch, Path, Commit string
	// Forced is the applied commit the tip does not descend from (a
	// force-push), or "".
	Forced string
	Mirror *gitmirror.Mirror
	// Settings are those of the configuration at Commit.
	Settings *config.Settings
	// Planned is the plan shown (plan only) or applied; Apply what the
	// apply did.
	Planned *Planned
	Apply   *ApplyResult
}

// Current is true when the state holds Commit's definitions: applied now,
// or already, or Commit changes nothing that is applied.
func (r *SyncResult) Current() bool {
	return r.Outcome == SyncApplied || r.Outcome == SyncAlreadyAt
}

// Sync fetches opts' git repository into a mirror under cacheRoot, plans
// the tip of its branch and applies it per the sync policy. On any error
// nothing is applied; the result is returned with the error once the
// commit is known (Outcome SyncFailed), so that a failed sync can be
// recorded with it.
func Sync(ctx context.Context, l Loader, opts SyncOptions, r Reporter) (*SyncResult, error) {
	remote, err := gitmirror.ResolveRemote(opts.Repo, opts.Credentials)
	if err != nil {
		return nil, err
	}
	m, err := gitmirror.Fetch(ctx, gitmirror.CacheRoot(opts.State), remote)
	if err != nil {
		return nil, err
	}
	res := &SyncResult{Repo: opts.Repo, Mirror: m}
	if res.Branch, res.Path, err = l.syncTarget(m, opts.Branch, opts.Path); err != nil {
		return nil, err
	}
	if res.Commit, err = m.Branch(res.Branch); err != nil {
		return nil, fmt.Errorf("the repository %s has no branch %q%s", opts.Repo, res.Branch, m.BranchList())
	}
	err = syncCommit(ctx, l, opts, r, res)
	if err != nil {
		res.Outcome = SyncFailed
	}
	return res, err
}

// syncCommit loads, plans and applies res.Commit.
func syncCommit(ctx context.Context, l Loader, opts SyncOptions, r Reporter, res *SyncResult) error {
	src := Source{Repo: res.Mirror.Dir(), Ref: res.Commit, Path: res.Path, StateDir: "."}
	lc, err := l.LoadStrict(src, opts.Vars, opts.VarFiles, r)
	if err != nil {
		return err
	}
	lc.Revision.Ref = res.Branch
	res.Settings = lc.Config.Settings
	location := StateLocation(opts.State, ".", lc.Config.Settings)
	applied, err := latestAppliedRevision(ctx, location)
	if err != nil {
		return err
	}
	if applied == res.Commit {
		res.Outcome = SyncAlreadyAt
		return nil
	}
	res.Forced = res.Mirror.ForcedOver(applied, res.Commit)
	r.Fetched(res)
	if syncPolicy(lc.Config.Settings) != config.SyncAutoApply && !opts.AutoApprove {
		res.Outcome = SyncPlanOnly
		res.Planned, err = planOnly(ctx, lc, location, opts.AllowDestroy, r)
		return err
	}
	res.Apply, err = PlanAndApply(ctx, lc, ApplyOptions{Location: location, LockTimeout: opts.LockTimeout,
		AllowDestroy: opts.AllowDestroy, ForcedOver: res.Forced}, r)
	res.Planned = res.Apply.Planned
	if err == nil {
		res.Outcome = SyncApplied
	}
	return err
}

// syncPolicy is the sync block's policy, else the default (plan_only).
func syncPolicy(settings *config.Settings) string {
	if s := settings.Sync; s != nil && s.Policy != "" {
		return s.Policy
	}
	return config.DefaultSyncPolicy
}

// planOnly shows the plan under the plan_only policy, writing nothing.
func planOnly(ctx context.Context, lc *Loaded, location string, allowDestroy bool, r Reporter) (*Planned, error) {
	pl, err := PlanAgainst(ctx, lc, location, allowDestroy)
	if err != nil {
		return nil, err
	}
	return pl, r.Plan(lc.Revision, pl.Plan)
}

// latestAppliedRevision is the revision of the latest apply in the state
// at location; "" when there is no state, no apply, or the latest apply
// came from a directory.
func latestAppliedRevision(ctx context.Context, location string) (string, error) {
	if ok, err := state.Exists(ctx, location); err != nil || !ok {
		return "", err
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

// syncTarget decides the branch and the configuration path: the given
// ones, else the sync block read at the remote's default branch, else the
// default branch and the top of the git repository.
func (l Loader) syncTarget(m *gitmirror.Mirror, branch, path string) (string, string, error) {
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
	if cfg, _, _ := config.LoadGit(m.Dir(), at, probe, config.LoadOptions{Environ: l.Environ, AllowUnsetVariables: true}); cfg != nil && cfg.Settings != nil && cfg.Settings.Sync != nil {
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
