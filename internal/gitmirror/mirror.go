package gitmirror

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/go-git/go-git/v5"
	gitconfig "github.com/go-git/go-git/v5/config"
	"github.com/go-git/go-git/v5/plumbing"
)

// fetchTimeout bounds one fetch, so that a remote that accepts the
// connection and then says nothing cannot hold a sync forever.
const fetchTimeout = 5 * time.Minute

// CacheRoot is where the mirrors live: repos/ in the state's directory,
// else .syncline/repos.
func CacheRoot(stateFlag string) string {
	if stateFlag != "" && !strings.Contains(stateFlag, "://") {
		return filepath.Join(filepath.Dir(stateFlag), "repos")
	}
	if rest, ok := strings.CutPrefix(stateFlag, "sqlite://"); ok {
		return filepath.Join(filepath.Dir(rest), "repos")
	}
	return filepath.Join(".syncline", "repos")
}

// mirror is a bare copy of a remote's branches.
type Mirror struct {
	dir  string
	repo *git.Repository
}

// mirrorDir is where the mirror of url lives under root.
func mirrorDir(root, url string) string {
	sum := sha256.Sum256([]byte(url))
	return filepath.Join(root, hex.EncodeToString(sum[:8]))
}

// Open opens the mirror of url under root if it exists.
func Open(root, url string) (*Mirror, error) {
	dir := mirrorDir(root, url)
	r, err := git.PlainOpen(dir)
	if err != nil {
		return nil, err
	}
	return &Mirror{dir: dir, repo: r}, nil
}

// Fetch creates or updates the bare mirror of remote under root,
// overwriting branches that were force-pushed. A mirror created for a
// fetch that fails is removed again: a failed sync leaves nothing behind.
func Fetch(ctx context.Context, root string, remote *Remote) (*Mirror, error) {
	dir := mirrorDir(root, remote.url)
	r, err := git.PlainOpen(dir)
	created := false
	if errors.Is(err, git.ErrRepositoryNotExists) {
		r, err = git.PlainInit(dir, true)
		if err == nil {
			created = true
			_, err = r.CreateRemote(&gitconfig.RemoteConfig{Name: "origin", URLs: []string{remote.url}})
		}
	}
	if err != nil {
		return nil, fmt.Errorf("the mirror of %s in %s: %w", remote.url, dir, err)
	}
	ctx, cancel := context.WithTimeout(ctx, fetchTimeout)
	defer cancel()
	err = r.FetchContext(ctx, &git.FetchOptions{
		RemoteName: "origin",
		RefSpecs:   []gitconfig.RefSpec{"+refs/heads/*:refs/heads/*"},
		Force:      true,
		Tags:       git.NoTags,
		Auth:       remote.auth,
		CABundle:   remote.caBundle,
	})
	if err != nil && !errors.Is(err, git.NoErrAlreadyUpToDate) {
		if created {
			_ = os.RemoveAll(dir)
		}
		return nil, fetchError(remote, err)
	}
	setMirrorHead(ctx, r, remote)
	return &Mirror{dir: dir, repo: r}, nil
}

// setMirrorHead points the mirror's HEAD at the remote's default branch.
func setMirrorHead(ctx context.Context, r *git.Repository, remote *Remote) {
	origin, err := r.Remote("origin")
	if err != nil {
		return
	}
	refs, err := origin.ListContext(ctx, &git.ListOptions{Auth: remote.auth, CABundle: remote.caBundle})
	if err != nil {
		return
	}
	var head *plumbing.Reference
	for _, ref := range refs {
		if ref.Name() == plumbing.HEAD {
			head = ref
		}
	}
	if head == nil {
		return
	}
	target := head.Target()
	if head.Type() == plumbing.HashReference {
		for _, ref := range refs {
			if ref.Name().IsBranch() && ref.Hash() == head.Hash() {
				target = ref.Name()
				break
			}
		}
	}
	if target.IsBranch() {
		_ = r.Storer.SetReference(plumbing.NewSymbolicReference(plumbing.HEAD, target))
	}
}

// Dir is the mirror's directory: a bare git repository that
// config.LoadGit reads.
func (m *Mirror) Dir() string { return m.dir }

// Branch returns the commit branch points at in the mirror.
func (m *Mirror) Branch(branch string) (string, error) {
	tip, err := m.repo.Reference(plumbing.NewBranchReferenceName(branch), true)
	if err != nil {
		return "", err
	}
	return tip.Hash().String(), nil
}

// DefaultBranch is the branch the remote's HEAD names; false when it names
// none.
func (m *Mirror) DefaultBranch() (string, bool) {
	head, err := m.repo.Reference(plumbing.HEAD, false)
	if err != nil || !head.Target().IsBranch() {
		return "", false
	}
	return head.Target().Short(), true
}

// ForcedOver returns applied when it is a commit tip does not descend
// from — the branch was force-pushed, or the state was last applied from
// elsewhere — and "" otherwise.
func (m *Mirror) ForcedOver(applied, tip string) string {
	if applied == "" {
		return ""
	}
	prev, err := m.repo.CommitObject(plumbing.NewHash(applied))
	if err == nil {
		next, err2 := m.repo.CommitObject(plumbing.NewHash(tip))
		if err2 == nil {
			if ok, err3 := prev.IsAncestor(next); err3 == nil && ok {
				return ""
			}
		}
	}
	return applied
}

// BranchList names the mirror's branches for an error message: " (branches:
// a, b)", or " (it has no branches)".
func (m *Mirror) BranchList() string {
	return branchList(m.repo)
}

func branchList(r *git.Repository) string {
	iter, err := r.Branches()
	if err != nil {
		return ""
	}
	var names []string
	_ = iter.ForEach(func(ref *plumbing.Reference) error {
		names = append(names, ref.Name().Short())
		return nil
	})
	if len(names) == 0 {
		return " (it has no branches)"
	}
	return " (branches: " + strings.Join(names, ", ") + ")"
}
