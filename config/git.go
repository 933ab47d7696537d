package config

import (
	"errors"
	"fmt"
	"path/filepath"
	"slices"
	"strings"
	"time"

	"github.com/go-git/go-git/v5"
	"github.com/go-git/go-git/v5/plumbing"
	"github.com/go-git/go-git/v5/plumbing/filemode"
	"github.com/go-git/go-git/v5/plumbing/object"
	"github.com/hashicorp/hcl/v2"
)

// Revision is the git commit a configuration was loaded from.
type Revision struct {
	Commit  string    // full hexadecimal SHA-1
	Short   string    // its first ShortCommitLength digits
	Author  string    // "Name <email>"
	Message string    // first line of the commit message
	When    time.Time // author time
	// Ref is the revision as it was asked for: a branch, tag, commit or
	// any expression git's rev-parse understands ("HEAD~1").
	Ref string
}

// ShortCommitLength is how many digits of a commit a Revision's Short and
// diagnostics show, as "git log --oneline" does.
const ShortCommitLength = 7

// ShortCommit abbreviates a full commit SHA; other strings are returned as
// they are.
func ShortCommit(sha string) string {
	if len(sha) == 40 && strings.Trim(sha, "0123456789abcdef") == "" {
		return sha[:ShortCommitLength]
	}
	return sha
}

// LoadGit loads the configuration in directory dir ("" or "." for the top)
// of revision ref of the repository at repo, reading git's objects directly:
// nothing is checked out and the work tree, if there is one, is not read.
// repo is a local path to a work tree or a bare repository; ref is a branch,
// tag or (abbreviated) commit, or any expression ResolveRevision accepts;
// "" is HEAD.
//
// File names in diagnostics and Config.Files read "REPO@SHORT/DIR/FILE".
// file() reads from the same revision and directory; symbolic links in the
// revision are never followed (a symlinked *.hcl file is skipped with a
// warning). A problem with the repository, the revision or the directory
// is an error diagnostic, and the Revision is nil when the commit could not
// be found. Like LoadDir, LoadGit always returns a non-nil Config.
func LoadGit(repo, ref, dir string, opts LoadOptions) (*Config, *Revision, hcl.Diagnostics) {
	if ref == "" {
		ref = "HEAD"
	}
	name := repoDisplayName(repo)
	cfg := newConfig(name)
	if !looksRemote(repo) {
		if abs, err := filepath.Abs(repo); err == nil {
			repo = abs // diagnostics name the repository unambiguously
		}
	}
	sub, ok := subPath(dir)
	if !ok {
		return cfg, nil, hcl.Diagnostics{gitError("Invalid configuration path",
			fmt.Sprintf("%q is not a directory inside the repository: give a relative path with forward slashes and no \"..\", such as \"infra/iam\", or \".\" for the top.", dir))}
	}
	r, diag := openRepository(repo)
	if diag != nil {
		return cfg, nil, hcl.Diagnostics{diag}
	}
	commit, diag := resolveCommit(r, repo, ref)
	if diag != nil {
		return cfg, nil, hcl.Diagnostics{diag}
	}
	rev := revisionOf(commit, ref)
	displayDir := name + "@" + rev.Short
	if sub != "." {
		displayDir += "/" + sub
	}
	cfg.Dir = displayDir
	fsys, diags := configTree(r, commit, sub, repo, rev)
	if diags.HasErrors() {
		return cfg, rev, diags
	}
	loaded, loadDiags := LoadFS(fsys, displayDir, opts)
	return loaded, rev, append(diags, loadDiags...)
}

// repoDisplayName names a repository in diagnostics: the base name of its
// directory ("iam" for /srv/iam/.git and ./iam, "iam.git" for a bare one).
func repoDisplayName(repo string) string {
	abs, err := filepath.Abs(repo)
	if err != nil {
		abs = repo
	}
	base := filepath.Base(abs)
	if base == git.GitDirName {
		base = filepath.Base(filepath.Dir(abs))
	}
	return base
}

// openRepository opens a work tree (at its top) or a bare repository.
// Linked work trees ("git worktree add") share their main repository's
// objects, which EnableDotGitCommonDir finds.
func openRepository(repo string) (*git.Repository, *hcl.Diagnostic) {
	if looksRemote(repo) {
		return nil, gitError("Remote repositories are not read here",
			fmt.Sprintf("%q looks like a remote URL. -repo takes the path of a local repository (a work tree or a bare repository); clone or fetch the remote first.", repo))
	}
	r, err := git.PlainOpenWithOptions(repo, &git.PlainOpenOptions{EnableDotGitCommonDir: true})
	switch {
	case errors.Is(err, git.ErrRepositoryNotExists):
		return nil, gitError("Not a git repository",
			fmt.Sprintf("%s is not a git repository: it has no .git directory and is not a bare repository. Give the top directory of a work tree (where .git is) or a bare repository.", repo))
	case err != nil:
		return nil, gitError("Cannot open git repository", fmt.Sprintf("Opening %s failed: %s.", repo, err))
	}
	return r, nil
}

// looksRemote reports whether repo is a URL ("https://…", "file://…") or
// scp-like ("git@host:org/repo.git") rather than a local path.
func looksRemote(repo string) bool {
	if strings.Contains(repo, "://") {
		return true
	}
	before, _, found := strings.Cut(repo, ":")
	return found && strings.Contains(before, "@") && !strings.ContainsAny(before, `/\`)
}

// resolveCommit finds the commit ref names: a branch, tag, remote-tracking
// branch, (abbreviated) commit, or an expression such as HEAD~1.
func resolveCommit(r *git.Repository, repo, ref string) (*object.Commit, *hcl.Diagnostic) {
	if _, err := r.Head(); errors.Is(err, plumbing.ErrReferenceNotFound) && ref == "HEAD" {
		return nil, gitError("Unknown revision",
			fmt.Sprintf("The repository %s has no commits yet, so HEAD names nothing. Commit the configuration first.", repo))
	}
	hash, err := r.ResolveRevision(plumbing.Revision(ref))
	if err != nil {
		return nil, unknownRevision(r, repo, ref, err)
	}
	commit, err := r.CommitObject(*hash)
	if err != nil {
		return nil, gitError("Cannot read commit", fmt.Sprintf("Reading commit %s (%s) of %s failed: %s.", hash, ref, repo, err))
	}
	return commit, nil
}

// unknownRevision says which revision is missing and what exists instead.
func unknownRevision(r *git.Repository, repo, ref string, cause error) *hcl.Diagnostic {
	branches, tags := refNames(r)
	detail := fmt.Sprintf("%q is not a branch, tag or commit of the repository %s", ref, repo)
	if !errors.Is(cause, plumbing.ErrReferenceNotFound) {
		detail += fmt.Sprintf(" (%s)", cause)
	}
	detail += "."
	if s := suggest(ref, append(slices.Clone(branches), tags...)); s != "" {
		detail += fmt.Sprintf(" Did you mean %q?", s)
	}
	detail += " " + listNames("Branches", branches) + " " + listNames("Tags", tags)
	if strings.HasPrefix(ref, "origin/") {
		detail += " Remote-tracking branches such as origin/main exist only after a fetch; in CI, check out with the full history (actions/checkout with fetch-depth: 0)."
	}
	detail += ` Run "git log --oneline" for commits, "git branch -a" and "git tag" for names.`
	return gitError("Unknown revision", detail)
}

// maxListedRefs bounds how many branch or tag names a diagnostic lists.
const maxListedRefs = 10

// refNames returns the short names of the local and remote-tracking
// branches and of the tags, sorted.
func refNames(r *git.Repository) (branches, tags []string) {
	refs, err := r.References()
	if err != nil {
		return nil, nil
	}
	_ = refs.ForEach(func(ref *plumbing.Reference) error {
		n := ref.Name()
		switch {
		case n.IsBranch(), n.IsRemote() && !strings.HasSuffix(n.String(), "/HEAD"):
			branches = append(branches, n.Short())
		case n.IsTag():
			tags = append(tags, n.Short())
		}
		return nil
	})
	slices.Sort(branches)
	slices.Sort(tags)
	return branches, tags
}

func listNames(what string, names []string) string {
	switch {
	case len(names) == 0:
		return what + ": none."
	case len(names) > maxListedRefs:
		return fmt.Sprintf("%s: %s and %d more.", what, strings.Join(names[:maxListedRefs], ", "), len(names)-maxListedRefs)
	}
	return what + ": " + strings.Join(names, ", ") + "."
}

func revisionOf(c *object.Commit, ref string) *Revision {
	sha := c.Hash.String()
	msg, _, _ := strings.Cut(strings.TrimSpace(c.Message), "\n")
	return &Revision{
		Commit:  sha,
		Short:   sha[:ShortCommitLength],
		Author:  fmt.Sprintf("%s <%s>", c.Author.Name, c.Author.Email),
		Message: strings.TrimSpace(msg),
		When:    c.Author.When,
		Ref:     ref,
	}
}

// configTree returns the FS of directory sub of the commit's tree, checking
// that it exists and holds configuration files.
func configTree(r *git.Repository, c *object.Commit, sub, repo string, rev *Revision) (*treeFS, hcl.Diagnostics) {
	root, err := c.Tree()
	if err != nil {
		return nil, hcl.Diagnostics{gitError("Cannot read commit", fmt.Sprintf("Reading the tree of %s failed: %s.", rev.Commit, err))}
	}
	whole := &treeFS{objects: r.Storer, root: root, modTime: c.Committer.When}
	at := fmt.Sprintf("revision %s (%s) of %s", rev.Short, rev.Ref, repo)
	node, err := whole.lookup("open", sub)
	switch {
	case errors.Is(err, ErrSymlinkInRevision), errors.Is(err, ErrSubmoduleInRevision):
		return nil, hcl.Diagnostics{gitError("Not a configuration directory", fmt.Sprintf("%q at %s cannot be read: %s.", sub, at, pathErrorCause(err)))}
	case err != nil:
		return nil, hcl.Diagnostics{noConfiguration("Configuration directory not found at revision",
			fmt.Sprintf("The directory %q does not exist at %s. Check the directory you named, or run \"git ls-tree -d --name-only %s\" to see what that revision holds.", sub, at, rev.Short))}
	case node.tree == nil:
		return nil, hcl.Diagnostics{gitError("Not a configuration directory", fmt.Sprintf("%q at %s is a file; name the directory that holds the *%s files.", sub, at, ConfigFileSuffix))}
	}
	fsys := &treeFS{objects: r.Storer, root: node.tree, modTime: c.Committer.When}
	return fsys, checkConfigFiles(node.tree, sub, at)
}

// checkConfigFiles reports a directory without configuration files, and
// warns about symlinked ones: the tree FS does not list them.
func checkConfigFiles(tree *object.Tree, sub, at string) hcl.Diagnostics {
	var diags hcl.Diagnostics
	found := false
	for _, e := range tree.Entries {
		if !isConfigFileName(e.Name) {
			continue
		}
		switch e.Mode {
		case filemode.Symlink:
			diags = append(diags, &hcl.Diagnostic{Severity: hcl.DiagWarning, Summary: "Symbolic link not loaded",
				Detail: fmt.Sprintf("%s at %s is a symbolic link. Syncline does not follow symbolic links in a git revision; commit the file itself to load it.", e.Name, at)})
		case filemode.Regular, filemode.Executable, filemode.Deprecated:
			found = true
		}
	}
	if found {
		return diags
	}
	where := "at the top"
	if sub != "." {
		where = fmt.Sprintf("in the directory %q", sub)
	}
	return append(diags, noConfiguration("No configuration files at revision",
		fmt.Sprintf("There are no *%s files %s at %s. Check the revision and the directory, or commit the configuration first.", ConfigFileSuffix, where, at)))
}

// isConfigFileName reports whether LoadFS reads a file of this name.
func isConfigFileName(name string) bool {
	return strings.HasSuffix(name, ConfigFileSuffix) && !strings.HasSuffix(name, VarFileSuffix) && !strings.HasPrefix(name, ".")
}

func gitError(summary, detail string) *hcl.Diagnostic {
	return &hcl.Diagnostic{Severity: hcl.DiagError, Summary: summary, Detail: detail}
}

// noConfigurationMark is the Extra of diagnostics saying that a revision
// holds no configuration at all (see IsNoConfiguration).
type noConfigurationMark struct{}

func noConfiguration(summary, detail string) *hcl.Diagnostic {
	d := gitError(summary, detail)
	d.Extra = noConfigurationMark{}
	return d
}

// IsNoConfiguration reports whether every error in diags says the revision
// has no configuration — the directory is missing or holds no *.hcl files
// — as when a branch adds the configuration for the first time.
func IsNoConfiguration(diags hcl.Diagnostics) bool {
	found := false
	for _, d := range diags {
		if d.Severity != hcl.DiagError {
			continue
		}
		if _, ok := d.Extra.(noConfigurationMark); !ok {
			return false
		}
		found = true
	}
	return found
}
