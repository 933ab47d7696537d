package gitmirror

import (
	"cmp"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strings"

	"github.com/go-git/go-git/v5/plumbing"
	"github.com/go-git/go-git/v5/plumbing/filemode"
	"github.com/go-git/go-git/v5/plumbing/object"
)

// KeptCheckouts is how many commit checkouts serve -sync keeps: the one in
// use and a few before it, for runs still reading the previous revision.
const KeptCheckouts = 3

// CheckoutsRoot is where serve -sync checks commits out: checkouts/ beside
// the mirrors.
func CheckoutsRoot(cacheRoot string) string {
	return filepath.Join(filepath.Dir(cacheRoot), "checkouts")
}

// Checkout returns the directory under root holding the files of commit,
// writing them from m first when they are not there yet. It is written under a
// temporary name and renamed, so a checkout directory is always complete.
// Symbolic links and submodules are left out, as LoadGit leaves them.
func (m *Mirror) Checkout(root, commit string) (string, error) {
	dir := filepath.Join(root, commit)
	if _, err := os.Stat(dir); err == nil {
		return dir, nil
	}
	c, err := m.repo.CommitObject(plumbing.NewHash(commit))
	if err != nil {
		return "", fmt.Errorf("commit %s is not in the mirror %s: %w", commit, m.dir, err)
	}
	tree, err := c.Tree()
	if err != nil {
		return "", err
	}
	if err := os.MkdirAll(root, 0o755); err != nil {
		return "", err
	}
	tmp, err := os.MkdirTemp(root, ".tmp-"+commit[:12]+"-")
	if err != nil {
		return "", err
	}
	defer os.RemoveAll(tmp) // gone after the rename
	if err := writeTree(tree, tmp); err != nil {
		return "", fmt.Errorf("checking out %s: %w", commit, err)
	}
	if err := os.Rename(tmp, dir); err != nil {
		if _, statErr := os.Stat(dir); statErr == nil {
			return dir, nil // another sync checked it out meanwhile
		}
		return "", err
	}
	return dir, nil
}

// writeTree writes the regular files of tree under dir.
func writeTree(tree *object.Tree, dir string) error {
	return tree.Files().ForEach(func(f *object.File) error {
		if f.Mode != filemode.Regular && f.Mode != filemode.Executable && f.Mode != filemode.Deprecated {
			return nil
		}
		path := filepath.Join(dir, filepath.FromSlash(f.Name))
		if !strings.HasPrefix(path, dir+string(filepath.Separator)) {
			return fmt.Errorf("%q leaves the checkout", f.Name)
		}
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			return err
		}
		perm := os.FileMode(0o644)
		if f.Mode == filemode.Executable {
			perm = 0o755
		}
		return writeBlob(f, path, perm)
	})
}

func writeBlob(f *object.File, path string, perm os.FileMode) error {
	r, err := f.Reader()
	if err != nil {
		return err
	}
	defer r.Close()
	out, err := os.OpenFile(path, os.O_CREATE|os.O_EXCL|os.O_WRONLY, perm)
	if err != nil {
		return err
	}
	_, err = io.Copy(out, r)
	return errors.Join(err, out.Close())
}

// PruneCheckouts removes all but the KeptCheckouts most recent checkouts
// under root; keep, the one in use, always stays.
func PruneCheckouts(root, keep string) error {
	entries, err := os.ReadDir(root)
	if err != nil {
		return err
	}
	type dated struct {
		name string
		mod  int64
	}
	var dirs []dated
	for _, e := range entries {
		if info, err := e.Info(); err == nil && e.IsDir() && !strings.HasPrefix(e.Name(), ".") && e.Name() != keep {
			dirs = append(dirs, dated{e.Name(), info.ModTime().UnixNano()})
		}
	}
	slices.SortFunc(dirs, func(a, b dated) int { return cmp.Compare(b.mod, a.mod) })
	var errs []error
	for i, d := range dirs {
		if i >= KeptCheckouts-1 {
			errs = append(errs, os.RemoveAll(filepath.Join(root, d.name)))
		}
	}
	return errors.Join(errs...)
}
