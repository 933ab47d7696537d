// Package gittest builds real git repositories in a test's temporary
// directory with go-git — init, write, commit with an author, branch, tag,
// bare clone — so that tests of config.LoadGit and the git-aware commands
// run against what git itself would have written, without a git binary.
package gittest

import (
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/go-git/go-git/v5"
	"github.com/go-git/go-git/v5/plumbing"
	"github.com/go-git/go-git/v5/plumbing/object"
)

// DefaultBranch is the branch New starts on.
const DefaultBranch = "main"

// Repo is a work tree with its repository.
type Repo struct {
	t   testing.TB
	Dir string
	Git *git.Repository
	// AuthorName and AuthorEmail sign the next commits.
	AuthorName, AuthorEmail string
	// When is the time of the next commit; each commit adds a minute.
	When time.Time
}

// New initializes an empty repository on DefaultBranch in a new temporary
// directory, with Alice as the author.
func New(t testing.TB) *Repo {
	t.Helper()
	dir := t.TempDir()
	r, err := git.PlainInitWithOptions(dir, &git.PlainInitOptions{
		InitOptions: git.InitOptions{DefaultBranch: plumbing.NewBranchReferenceName(DefaultBranch)},
	})
	if err != nil {
		t.Fatal(err)
	}
	return &Repo{t: t, Dir: dir, Git: r, AuthorName: "Alice Admin", AuthorEmail: "alice@example.com",
		When: time.Date(2026, 3, 1, 9, 0, 0, 0, time.UTC)}
}

// Write creates or overwrites files in the work tree (name → content,
// names with forward slashes).
func (r *Repo) Write(files map[string]string) {
	r.t.Helper()
	for name, content := range files {
		path := filepath.Join(r.Dir, filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			r.t.Fatal(err)
		}
		if err := os.WriteFile(path, []byte(content), 0o644); err != nil {
			r.t.Fatal(err)
		}
	}
}

// Remove deletes files or directories from the work tree.
func (r *Repo) Remove(names ...string) {
	r.t.Helper()
	for _, name := range names {
		if err := os.RemoveAll(filepath.Join(r.Dir, filepath.FromSlash(name))); err != nil {
			r.t.Fatal(err)
		}
	}
}

// Symlink creates the symbolic link name pointing at target.
func (r *Repo) Symlink(target, name string) {
	r.t.Helper()
	path := filepath.Join(r.Dir, filepath.FromSlash(name))
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		r.t.Fatal(err)
	}
	if err := os.Symlink(target, path); err != nil {
		r.t.Skip("symbolic links are not supported here:", err)
	}
}

// Commit stages every change in the work tree (as "git add -A") and
// commits it on the current branch; it returns the full SHA.
func (r *Repo) Commit(message string) string {
	r.t.Helper()
	wt, err := r.Git.Worktree()
	if err != nil {
		r.t.Fatal(err)
	}
	if err := wt.AddWithOptions(&git.AddOptions{All: true}); err != nil {
		r.t.Fatal(err)
	}
	sig := &object.Signature{Name: r.AuthorName, Email: r.AuthorEmail, When: r.When}
	r.When = r.When.Add(time.Minute)
	hash, err := wt.Commit(message, &git.CommitOptions{Author: sig, Committer: sig, AllowEmptyCommits: true})
	if err != nil {
		r.t.Fatal(err)
	}
	return hash.String()
}

// Branch creates branch name at the current commit, without switching.
func (r *Repo) Branch(name string) {
	r.t.Helper()
	head, err := r.Git.Head()
	if err != nil {
		r.t.Fatal(err)
	}
	ref := plumbing.NewHashReference(plumbing.NewBranchReferenceName(name), head.Hash())
	if err := r.Git.Storer.SetReference(ref); err != nil {
		r.t.Fatal(err)
	}
}

// Checkout switches the work tree to branch name, creating it at the
// current commit when it does not exist.
func (r *Repo) Checkout(name string) {
	r.t.Helper()
	wt, err := r.Git.Worktree()
	if err != nil {
		r.t.Fatal(err)
	}
	branch := plumbing.NewBranchReferenceName(name)
	_, err = r.Git.Reference(branch, false)
	create := err != nil
	if err := wt.Checkout(&git.CheckoutOptions{Branch: branch, Create: create, Keep: create}); err != nil {
		r.t.Fatal(err)
	}
}

// Tag creates the annotated tag name at the current commit.
func (r *Repo) Tag(name string) {
	r.t.Helper()
	head, err := r.Git.Head()
	if err != nil {
		r.t.Fatal(err)
	}
	tagger := &object.Signature{Name: r.AuthorName, Email: r.AuthorEmail, When: r.When}
	if _, err := r.Git.CreateTag(name, head.Hash(), &git.CreateTagOptions{Tagger: tagger, Message: "release " + name}); err != nil {
		r.t.Fatal(err)
	}
}

// CloneBare copies the repository into a new bare repository and returns
// its path, as a server would hold it (what "git clone --bare" makes for a
// repository without remotes: the same objects and refs, core.bare set).
func (r *Repo) CloneBare() string {
	r.t.Helper()
	dir := filepath.Join(r.t.TempDir(), "origin.git")
	if err := os.CopyFS(dir, os.DirFS(filepath.Join(r.Dir, git.GitDirName))); err != nil {
		r.t.Fatal(err)
	}
	bare, err := git.PlainOpen(dir)
	if err != nil {
		r.t.Fatal(err)
	}
	cfg, err := bare.Config()
	if err != nil {
		r.t.Fatal(err)
	}
	cfg.Core.IsBare = true
	if err := bare.SetConfig(cfg); err != nil {
		r.t.Fatal(err)
	}
	return dir
}
