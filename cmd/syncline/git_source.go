package main

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"github.com/go-git/go-git/v5"
	"github.com/hashicorp/hcl/v2"
	"github.com/syncline/syncline/config"
	"github.com/syncline/syncline/state"
	"github.com/urfave/cli/v3"
)

// gitFlags are the options that read the configuration from a git
// revision: validate, plan and apply take them.
func gitFlags() []cli.Flag {
	return []cli.Flag{
		&cli.StringFlag{Name: "repo", TakesFile: true,
			Usage: "read the configuration from the git repository at `PATH` (a work tree or a bare repository), not from the files on disk; DIR is then a directory inside the repository"},
		&cli.StringFlag{Name: "ref",
			Usage: "the git revision `REV` to read: a branch, tag or commit (default HEAD); without -repo, the repository of the current directory"},
	}
}

// configSource is where a command reads its configuration: a directory on
// disk, or a directory of a git revision.
type configSource struct {
	dir string // on disk: the configuration directory
	// From git: the repository, the revision as given, and the
	// configuration directory inside the repository.
	repo, ref, path string
	// stateDir is where a relative state setting is resolved: the
	// configuration directory on disk, the matching directory of a work
	// tree, or the current directory for a bare repository.
	stateDir string
}

func (s configSource) fromGit() bool { return s.repo != "" }

func dirSource(dir string) configSource { return configSource{dir: dir, stateDir: dir} }

// configSource reads DIR, -repo and -ref. Without either flag DIR is a
// directory on disk. With -repo, DIR is a directory inside that repository
// and -ref defaults to HEAD. With -ref alone, the repository is the one the
// current directory is in, and DIR (on disk) names the directory inside it,
// so "syncline plan -ref main" plans what main holds where you stand.
func (a *app) configSource(cmd *cli.Command) (configSource, error) {
	dir, err := dirArg(cmd)
	if err != nil {
		return configSource{}, err
	}
	repo, ref := cmd.String("repo"), cmd.String("ref")
	switch {
	case repo == "" && ref == "":
		return dirSource(dir), nil
	case repo == "":
		return enclosingRepoSource(dir, ref)
	}
	if ref == "" {
		ref = "HEAD"
	}
	src := configSource{repo: repo, ref: ref, path: dir, stateDir: "."}
	if root, ok := workTreeRoot(repo, false); ok {
		src.stateDir = filepath.Join(root, dir)
	}
	return src, nil
}

// enclosingRepoSource is the source for -ref without -repo: the repository
// the current directory is in, at the place of dir.
func enclosingRepoSource(dir, ref string) (configSource, error) {
	root, ok := workTreeRoot(".", true)
	if !ok {
		return configSource{}, errors.New("-ref reads the git repository of the current directory, but it is not inside a work tree; name the repository with -repo PATH")
	}
	path, err := pathInside(root, dir)
	if err != nil {
		return configSource{}, err
	}
	return configSource{repo: root, ref: ref, path: path, stateDir: dir}, nil
}

// workTreeRoot returns the top of the work tree of the repository at path
// (or, with detect, of the one path is inside); false for a bare repository
// or no repository at all.
func workTreeRoot(path string, detect bool) (string, bool) {
	r, err := git.PlainOpenWithOptions(path, &git.PlainOpenOptions{DetectDotGit: detect, EnableDotGitCommonDir: true})
	if err != nil {
		return "", false
	}
	wt, err := r.Worktree()
	if err != nil {
		return "", false
	}
	return wt.Filesystem.Root(), true
}

// pathInside returns dir (on disk) as a slash path relative to the work
// tree root, refusing a directory outside it.
func pathInside(root, dir string) (string, error) {
	abs, err := filepath.Abs(dir)
	if err != nil {
		return "", err
	}
	rel, err := filepath.Rel(resolveLinks(root), resolveLinks(abs))
	if err != nil || rel == ".." || strings.HasPrefix(rel, ".."+string(filepath.Separator)) {
		return "", fmt.Errorf("%s is outside the git repository at %s; name the repository with -repo", dir, root)
	}
	return filepath.ToSlash(rel), nil
}

// resolveLinks resolves symbolic links in p as far as p exists, so that a
// directory named through a link compares equal to the repository root.
func resolveLinks(p string) string {
	if resolved, err := filepath.EvalSymlinks(p); err == nil {
		return resolved
	}
	parent := filepath.Dir(p)
	if parent == p {
		return p
	}
	return filepath.Join(resolveLinks(parent), filepath.Base(p))
}

// loadSource loads the configuration from src; the revision is nil for a
// directory on disk.
func (a *app) loadSource(src configSource, opts config.LoadOptions) (*config.Config, *config.Revision, hcl.Diagnostics) {
	if !src.fromGit() {
		cfg, diags := a.loadDir(src.dir, opts)
		return cfg, nil, diags
	}
	return config.LoadGit(src.repo, src.ref, src.path, opts)
}

// loadedConfig is a configuration together with where it came from.
type loadedConfig struct {
	cfg *config.Config
	src configSource
	rev *config.Revision // nil for a directory on disk
}

// commit is the revision recorded with plans and applies: the commit SHA,
// or "" for a directory on disk.
func (l *loadedConfig) commit() string {
	if l.rev == nil {
		return ""
	}
	return l.rev.Commit
}

// who is recorded as the author of an apply: the commit's author for a
// revision, the operating-system user otherwise.
func (l *loadedConfig) who() string {
	if l.rev == nil {
		return state.OSUser()
	}
	return l.rev.Author
}

// loadSourceStrict loads src for planning: every variable must have a
// value. Diagnostics are printed; the error only ends the command.
func (a *app) loadSourceStrict(src configSource, vars, varFiles []string) (*loadedConfig, error) {
	cfg, rev, diags := a.loadSource(src, config.LoadOptions{Vars: vars, VarFiles: varFiles, Environ: a.environ})
	a.showDiagnostics(cfg.Files, diags)
	if diags.HasErrors() {
		return nil, exitStatus(exitError)
	}
	return &loadedConfig{cfg: cfg, src: src, rev: rev}, nil
}

// refuseGitWithPlanFile stops -repo/-ref given together with a saved plan:
// the plan file records the repository and commit it was made from.
func refuseGitWithPlanFile(cmd *cli.Command, arg string) error {
	if cmd.String("repo") == "" && cmd.String("ref") == "" {
		return nil
	}
	if info, err := os.Stat(arg); err == nil && !info.IsDir() {
		return newUsageError(cmd, "-repo and -ref cannot be used with a plan file: %s records the repository and commit it was made from", arg)
	}
	return nil
}
