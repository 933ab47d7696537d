package ops

import (
	"fmt"
	"strings"

	"github.com/syncline/syncline/config"
	"github.com/syncline/syncline/internal/clock"
	"github.com/syncline/syncline/internal/gitmirror"
	"github.com/syncline/syncline/planner"
	"github.com/syncline/syncline/state"
)

// DiffOptions are the settings of syncline diff.
type DiffOptions struct {
	// Repo is the git repository ("": the one WorkDir is in); Path the
	// configuration directory inside it ("": WorkDir's place in it, or
	// the top with Repo).
	Repo, Path string
	// WorkDir is where the command stands (".").
	WorkDir    string
	Base, Head string
	Vars       []string
	VarFiles   []string
	// Environ is the process environment; only SYNCLINE_VAR_name is read.
	Environ []string
	Clock   clock.Clock
}

// DiffSide is one revision of a diff; Empty when it holds no
// configuration.
type DiffSide struct {
	Ref      string
	Revision *config.Revision
	Empty    bool
}

// DiffResult is what applying Head would do to a state that holds Base.
type DiffResult struct {
	Repo, Path string
	Base, Head DiffSide
	Plan       *planner.Plan
	// Config is Head's configuration (nil when Head is empty) and Prior
	// Base's definitions, for the impact (DiffImpact).
	Config *config.Config
	Prior  map[string]*state.Definition
}

// Diff plans revision Head against a state that holds exactly revision
// Base's definitions, reading both from git with no state and no secrets.
// Both sides fingerprint secrets with one key made for this diff: no state
// is at hand, and nobody can check a printed fingerprint against guesses.
// A revision whose configuration does not load is a *ConfigError, its
// diagnostics sent to r.
func Diff(opts DiffOptions, r Reporter) (*DiffResult, error) {
	repo, path, err := diffRepository(opts)
	if err != nil {
		return nil, err
	}
	key := state.EphemeralKey()
	base, err := loadDiffSide(repo, opts.Base, path, key, opts, r)
	if err != nil {
		return nil, err
	}
	head, err := loadDiffSide(repo, opts.Head, path, key, opts, r)
	if err != nil {
		return nil, err
	}
	if base.empty && head.empty {
		return nil, fmt.Errorf("neither %s nor %s has configuration files in %q of %s; check -path and -repo", base.ref, head.ref, path, repo)
	}
	snap := &state.Snapshot{Definitions: base.desired, ShadowCounts: map[string]int{}}
	var moves []planner.Move
	if !head.empty {
		moves = planner.MovesFromConfig(head.cfg)
	}
	clk := opts.Clock
	if clk == nil {
		clk = clock.Real{}
	}
	p, err := planner.Compute(head.desired, snap, planner.Options{
		Now:          clk.Now(),
		Moves:        moves,
		Revision:     head.rev.Commit,
		EphemeralKey: true,
	})
	if err != nil {
		return nil, err
	}
	return &DiffResult{Repo: repo, Path: path, Base: base.side(), Head: head.side(), Plan: p, Config: head.cfg, Prior: base.desired}, nil
}

// diffRepository returns the repository and the configuration directory
// inside it: Repo and Path, or the repository the work directory is in and
// its place in it.
func diffRepository(opts DiffOptions) (repo, path string, err error) {
	repo, path = opts.Repo, opts.Path
	if repo != "" {
		return repo, path, nil
	}
	wd := opts.WorkDir
	if wd == "" {
		wd = "."
	}
	root, ok := gitmirror.WorkTreeRoot(wd, true)
	if !ok {
		return "", "", fmt.Errorf("the current directory is not inside a git work tree; name the repository with -repo PATH")
	}
	if path != "" {
		return root, path, nil
	}
	path, err = gitmirror.PathInside(root, wd)
	return root, path, err
}

// diffSide is one loaded revision; empty when it holds no configuration.
type diffSide struct {
	ref     string
	rev     *config.Revision
	cfg     *config.Config
	desired map[string]*state.Definition
	empty   bool
}

func (s *diffSide) side() DiffSide { return DiffSide{Ref: s.ref, Revision: s.rev, Empty: s.empty} }

// loadDiffSide loads one revision without secrets. A revision without
// configuration is empty.
func loadDiffSide(repo, ref, path string, key state.SecretKey, opts DiffOptions, r Reporter) (*diffSide, error) {
	cfg, rev, diags := config.LoadGit(repo, ref, path, config.LoadOptions{
		Vars:                opts.Vars,
		VarFiles:            opts.VarFiles,
		Environ:             variableEnviron(opts.Environ),
		AllowUnsetVariables: true,
	})
	side := &diffSide{ref: ref, rev: rev, cfg: cfg}
	if rev != nil && config.IsNoConfiguration(diags) {
		side.empty = true
		side.desired = map[string]*state.Definition{}
		return side, nil
	}
	r.Diagnostics(cfg.Files, diags)
	if diags.HasErrors() {
		return nil, &ConfigError{Diagnostics: diags}
	}
	desired, err := planner.DesiredWithoutSecrets(cfg, rev.Commit, key)
	if err != nil {
		return nil, fmt.Errorf("%s (%s): %w", ref, rev.Short, err)
	}
	side.desired = desired
	return side, nil
}

// variableEnviron keeps only the SYNCLINE_VAR_name variables: a branch
// under review must not read the CI job's environment through env(), not
// even as a fingerprint, so env() compares as an unknown secret.
func variableEnviron(environ []string) []string {
	var out []string
	for _, kv := range environ {
		if strings.HasPrefix(kv, config.EnvVarPrefix) {
			out = append(out, kv)
		}
	}
	return out
}
