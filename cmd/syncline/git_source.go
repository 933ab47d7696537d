package main

import (
	"errors"
	"os"
	"path/filepath"

	"github.com/hashicorp/hcl/v2"
	"github.com/syncline/syncline/config"
	"github.com/syncline/syncline/internal/gitmirror"
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
	if root, ok := gitmirror.WorkTreeRoot(repo, false); ok {
		src.stateDir = filepath.Join(root, dir)
	}
	return src, nil
}

// enclosingRepoSource is the source for -ref without -repo: the repository
// the current directory is in, at the place of dir.
func enclosingRepoSource(dir, ref string) (configSource, error) {
	root, ok := gitmirror.WorkTreeRoot(".", true)
	if !ok {
		return configSource{}, errors.New("-ref reads the git repository of the current directory, but it is not inside a work tree; name the repository with -repo PATH")
	}
	path, err := gitmirror.PathInside(root, dir)
	if err != nil {
		return configSource{}, err
	}
	return configSource{repo: root, ref: ref, path: path, stateDir: dir}, nil
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
