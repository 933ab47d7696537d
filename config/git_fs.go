package config

import (
	"errors"
	"io"
	"io/fs"
	"path"
	"slices"
	"strings"
	"time"

	"github.com/go-git/go-git/v5/plumbing/filemode"
	"github.com/go-git/go-git/v5/plumbing/object"
	"github.com/go-git/go-git/v5/plumbing/storer"
)

// Errors a tree FS reports for entries it does not serve. Both are wrapped
// in an fs.PathError naming the entry.
var (
	// ErrSymlinkInRevision: syncline does not follow symbolic links in a git
	// revision, wherever they point, so no link can lead a configuration
	// outside its directory.
	ErrSymlinkInRevision = errors.New("it is a symbolic link, and symbolic links in a git revision are not followed")
	// ErrSubmoduleInRevision: a submodule's content is another repository's.
	ErrSubmoduleInRevision = errors.New("it is a git submodule, whose content is not part of this repository")
)

// treeFS serves one directory of a commit's tree as an fs.FS, reading
// objects straight from the repository's object store: no checkout, no
// work tree. Every entry has the commit's time as its modification time.
//
// Symbolic links and submodules are left out of directory listings, and
// opening or stating one fails with ErrSymlinkInRevision or
// ErrSubmoduleInRevision. Paths are checked with fs.ValidPath, so ".." and
// absolute names never reach the tree.
type treeFS struct {
	objects storer.EncodedObjectStorer
	root    *object.Tree
	modTime time.Time
}

var (
	_ fs.FS         = (*treeFS)(nil)
	_ fs.ReadFileFS = (*treeFS)(nil)
	_ fs.ReadDirFS  = (*treeFS)(nil)
	_ fs.StatFS     = (*treeFS)(nil)
)

// treeNode is one resolved name: the root (entry is nil) or a tree entry,
// with the tree it names when it is a directory.
type treeNode struct {
	name  string // base name, "." for the root
	entry *object.TreeEntry
	tree  *object.Tree
}

// lookup resolves name one component at a time, refusing to pass through
// or land on a symbolic link or a submodule.
func (t *treeFS) lookup(op, name string) (*treeNode, error) {
	if !fs.ValidPath(name) {
		return nil, &fs.PathError{Op: op, Path: name, Err: fs.ErrInvalid}
	}
	node := &treeNode{name: ".", tree: t.root}
	if name == "." {
		return node, nil
	}
	for part := range strings.SplitSeq(name, "/") {
		if node.tree == nil {
			return nil, &fs.PathError{Op: op, Path: name, Err: fs.ErrNotExist}
		}
		next, err := t.child(node.tree, part)
		if err != nil {
			return nil, &fs.PathError{Op: op, Path: name, Err: err}
		}
		node = next
	}
	return node, nil
}

// child finds the entry part in tree.
func (t *treeFS) child(tree *object.Tree, part string) (*treeNode, error) {
	i := slices.IndexFunc(tree.Entries, func(e object.TreeEntry) bool { return e.Name == part })
	if i < 0 {
		return nil, fs.ErrNotExist
	}
	e := &tree.Entries[i]
	switch e.Mode {
	case filemode.Symlink:
		return nil, ErrSymlinkInRevision
	case filemode.Submodule:
		return nil, ErrSubmoduleInRevision
	case filemode.Dir:
		sub, err := object.GetTree(t.objects, e.Hash)
		if err != nil {
			return nil, err
		}
		return &treeNode{name: part, entry: e, tree: sub}, nil
	}
	return &treeNode{name: part, entry: e}, nil
}

func (t *treeFS) Open(name string) (fs.File, error) {
	node, err := t.lookup("open", name)
	if err != nil {
		return nil, err
	}
	info, err := t.info(node)
	if err != nil {
		return nil, &fs.PathError{Op: "open", Path: name, Err: err}
	}
	if node.tree != nil {
		return &treeDir{info: info, entries: t.dirEntries(node.tree)}, nil
	}
	blob, err := object.GetBlob(t.objects, node.entry.Hash)
	if err != nil {
		return nil, &fs.PathError{Op: "open", Path: name, Err: err}
	}
	r, err := blob.Reader()
	if err != nil {
		return nil, &fs.PathError{Op: "open", Path: name, Err: err}
	}
	return &treeFile{info: info, r: r}, nil
}

func (t *treeFS) Stat(name string) (fs.FileInfo, error) {
	node, err := t.lookup("stat", name)
	if err != nil {
		return nil, err
	}
	info, err := t.info(node)
	if err != nil {
		return nil, &fs.PathError{Op: "stat", Path: name, Err: err}
	}
	return info, nil
}

func (t *treeFS) ReadFile(name string) ([]byte, error) {
	f, err := t.Open(name)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	if _, dir := f.(*treeDir); dir {
		return nil, &fs.PathError{Op: "read", Path: name, Err: errors.New("is a directory")}
	}
	return io.ReadAll(f)
}

func (t *treeFS) ReadDir(name string) ([]fs.DirEntry, error) {
	node, err := t.lookup("readdir", name)
	if err != nil {
		return nil, err
	}
	if node.tree == nil {
		return nil, &fs.PathError{Op: "readdir", Path: name, Err: errors.New("not a directory")}
	}
	return t.dirEntries(node.tree), nil
}

// dirEntries lists a tree's files and directories sorted by name, as
// fs.ReadDir promises (git orders a directory "a" after a file "a.b").
func (t *treeFS) dirEntries(tree *object.Tree) []fs.DirEntry {
	var out []fs.DirEntry
	for i := range tree.Entries {
		e := &tree.Entries[i]
		if e.Mode == filemode.Symlink || e.Mode == filemode.Submodule {
			continue
		}
		out = append(out, &treeDirEntry{fsys: t, entry: e})
	}
	slices.SortFunc(out, func(a, b fs.DirEntry) int { return strings.Compare(a.Name(), b.Name()) })
	return out
}

// info describes a node; a file's size comes from its blob header.
func (t *treeFS) info(node *treeNode) (*treeInfo, error) {
	if node.tree != nil {
		return &treeInfo{name: node.name, mode: fs.ModeDir | 0o755, modTime: t.modTime}, nil
	}
	size, err := t.objects.EncodedObjectSize(node.entry.Hash)
	if err != nil {
		return nil, err
	}
	mode := fs.FileMode(0o644)
	if node.entry.Mode == filemode.Executable {
		mode = 0o755
	}
	return &treeInfo{name: node.name, size: size, mode: mode, modTime: t.modTime}, nil
}

// treeInfo is the fs.FileInfo of a tree entry.
type treeInfo struct {
	name    string
	size    int64
	mode    fs.FileMode
	modTime time.Time
}

func (i *treeInfo) Name() string       { return i.name }
func (i *treeInfo) Size() int64        { return i.size }
func (i *treeInfo) Mode() fs.FileMode  { return i.mode }
func (i *treeInfo) ModTime() time.Time { return i.modTime }
func (i *treeInfo) IsDir() bool        { return i.mode.IsDir() }
func (i *treeInfo) Sys() any           { return nil }

// treeDirEntry is a listed entry; its FileInfo is read only when asked.
type treeDirEntry struct {
	fsys  *treeFS
	entry *object.TreeEntry
}

func (d *treeDirEntry) Name() string { return d.entry.Name }
func (d *treeDirEntry) IsDir() bool  { return d.entry.Mode == filemode.Dir }

func (d *treeDirEntry) Type() fs.FileMode {
	if d.IsDir() {
		return fs.ModeDir
	}
	return 0
}

func (d *treeDirEntry) Info() (fs.FileInfo, error) {
	node := &treeNode{name: d.entry.Name, entry: d.entry}
	if d.IsDir() {
		node.tree = &object.Tree{} // only its being a directory matters to info
	}
	return d.fsys.info(node)
}

// treeFile is an open blob.
type treeFile struct {
	info *treeInfo
	r    io.ReadCloser
}

func (f *treeFile) Stat() (fs.FileInfo, error) { return f.info, nil }
func (f *treeFile) Read(p []byte) (int, error) { return f.r.Read(p) }
func (f *treeFile) Close() error               { return f.r.Close() }

// treeDir is an open directory.
type treeDir struct {
	info    *treeInfo
	entries []fs.DirEntry
	offset  int
}

func (d *treeDir) Stat() (fs.FileInfo, error) { return d.info, nil }
func (d *treeDir) Close() error               { return nil }

func (d *treeDir) Read([]byte) (int, error) {
	return 0, &fs.PathError{Op: "read", Path: d.info.name, Err: errors.New("is a directory")}
}

// ReadDir follows fs.ReadDirFile: n <= 0 returns everything left, n > 0 at
// most n entries and io.EOF at the end.
func (d *treeDir) ReadDir(n int) ([]fs.DirEntry, error) {
	rest := d.entries[d.offset:]
	if n <= 0 {
		d.offset = len(d.entries)
		return slices.Clone(rest), nil
	}
	if len(rest) == 0 {
		return nil, io.EOF
	}
	n = min(n, len(rest))
	d.offset += n
	return slices.Clone(rest[:n]), nil
}

// subPath cleans a configuration path inside a repository: "" and "."
// are the root; backslashes are not separators.
func subPath(p string) (string, bool) {
	if p == "" {
		return ".", true
	}
	clean := path.Clean(p)
	return clean, fs.ValidPath(clean) && !strings.Contains(clean, `\`)
}
