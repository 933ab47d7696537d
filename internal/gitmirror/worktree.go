package gitmirror

import (
	"fmt"
	"path/filepath"
	"strings"

	"github.com/go-git/go-git/v5"
)

// WorkTreeRoot returns the top of the work tree of the git repository at
// path (or, with detect, of the one path is inside); false for a bare
// repository or no repository at all.
func WorkTreeRoot(path string, detect bool) (string, bool) {
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

// PathInside returns dir (on disk) as a slash path relative to the work
// tree root, refusing a directory outside it.
func PathInside(root, dir string) (string, error) {
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
