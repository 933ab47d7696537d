package ops

import (
	"errors"
	"path/filepath"
	"time"

	"github.com/hashicorp/hcl/v2"
	"github.com/syncline/syncline/config"
	"github.com/syncline/syncline/internal/clock"
	"github.com/syncline/syncline/internal/gitmirror"
	"github.com/syncline/syncline/state"
)

// Source is where a workflow reads its configuration: a directory on
// disk, or a directory of a git revision.
type Source struct {
	Dir string // on disk: the configuration directory
	// From git: the git repository, the revision as given, and the
	// configuration directory inside the git repository.
	Repo, Ref, Path string
	// StateDir is where a relative state setting is resolved: the
	// configuration directory on disk, the matching directory of a work
	// tree, or the current directory for a bare repository.
	StateDir string
}

// FromGit reports whether s is a git revision.
func (s Source) FromGit() bool { return s.Repo != "" }

// DirSource is the directory dir on disk.
func DirSource(dir string) Source { return Source{Dir: dir, StateDir: dir} }

// Loader loads configurations: LoadDir reads a directory on disk
// (config.LoadDir, or a test's stand-in); a git revision is read with
// config.LoadGit.
type Loader struct {
	LoadDir func(dir string, opts config.LoadOptions) (*config.Config, hcl.Diagnostics)
	Environ []string
	// Clock tells the time plans are made at (nil: the wall clock).
	Clock clock.Clock
}

// Now is the time on l's clock.
func (l Loader) Now() time.Time {
	if l.Clock == nil {
		return time.Now()
	}
	return l.Clock.Now()
}

// Load loads src; the revision is nil for a directory on disk.
func (l Loader) Load(src Source, opts config.LoadOptions) (*config.Config, *config.Revision, hcl.Diagnostics) {
	if !src.FromGit() {
		load := l.LoadDir
		if load == nil {
			load = config.LoadDir
		}
		cfg, diags := load(src.Dir, opts)
		return cfg, nil, diags
	}
	return config.LoadGit(src.Repo, src.Ref, src.Path, opts)
}

// LoadStrict loads src for planning: every variable must have a value.
// The diagnostics go to r; a configuration with errors is a *ConfigError.
func (l Loader) LoadStrict(src Source, vars, varFiles []string, r Reporter) (*Loaded, error) {
	cfg, rev, diags := l.Load(src, config.LoadOptions{Vars: vars, VarFiles: varFiles, Environ: l.Environ})
	r.Diagnostics(cfg.Files, diags)
	if diags.HasErrors() {
		return nil, &ConfigError{Diagnostics: diags}
	}
	return &Loaded{Config: cfg, Source: src, Revision: rev, Clock: l.Clock}, nil
}

// Loaded is a configuration together with where it came from.
type Loaded struct {
	Config   *config.Config
	Source   Source
	Revision *config.Revision // nil for a directory on disk
	// Clock tells the time the configuration is planned at (nil: the
	// wall clock).
	Clock clock.Clock
}

// Now is the time on l's clock.
func (l *Loaded) Now() time.Time { return Loader{Clock: l.Clock}.Now() }

// Commit is the revision recorded with plans and applies: the commit SHA,
// or "" for a directory on disk.
func (l *Loaded) Commit() string {
	if l.Revision == nil {
		return ""
	}
	return l.Revision.Commit
}

// Who is recorded as the author of an apply: the commit's author for a
// revision, the operating-system user otherwise.
func (l *Loaded) Who() string {
	if l.Revision == nil {
		return state.OSUser()
	}
	return l.Revision.Author
}

// ResolveSource is where -repo, -ref and DIR point. Without repo and ref,
// dir is a directory on disk. With repo, dir is a directory inside that
// repository and ref defaults to HEAD. With ref alone, the repository is
// the one the current directory is in, and dir (on disk) names the
// directory inside it, so "syncline plan -ref main" plans what main holds
// where you stand.
func ResolveSource(dir, repo, ref string) (Source, error) {
	switch {
	case repo == "" && ref == "":
		return DirSource(dir), nil
	case repo == "":
		return enclosingRepoSource(dir, ref)
	}
	if ref == "" {
		ref = "HEAD"
	}
	src := Source{Repo: repo, Ref: ref, Path: dir, StateDir: "."}
	if root, ok := gitmirror.WorkTreeRoot(repo, false); ok {
		src.StateDir = filepath.Join(root, dir)
	}
	return src, nil
}

// enclosingRepoSource is the source for -ref without -repo: the repository
// the current directory is in, at the place of dir.
func enclosingRepoSource(dir, ref string) (Source, error) {
	root, ok := gitmirror.WorkTreeRoot(".", true)
	if !ok {
		return Source{}, errors.New("-ref reads the git repository of the current directory, but it is not inside a work tree; name the repository with -repo PATH")
	}
	path, err := gitmirror.PathInside(root, dir)
	if err != nil {
		return Source{}, err
	}
	return Source{Repo: root, Ref: ref, Path: path, StateDir: dir}, nil
}
