package gitsync

import (
	"context"
	"path/filepath"

	"github.com/syncline/syncline/config"
	"github.com/syncline/syncline/internal/gitmirror"
	"github.com/syncline/syncline/state"
)

// ConfigDir is where the configuration applied as snap is: the checkout of
// the commit its apply recorded, written from the mirror when missing.
// Without one — nothing applied, an apply from a directory, a commit the
// mirror lacks — it is serve's DIR.
func (s *Syncer) ConfigDir(ctx context.Context, st *state.Store, snap *state.Snapshot) string {
	rec, err := st.ApplyAt(ctx, snap.Serial)
	if err != nil || rec == nil || rec.Revision == "" {
		return s.cfg.Dir
	}
	f := s.follow.Load()
	root := gitmirror.CacheRoot(s.cfg.State)
	m, err := gitmirror.Open(root, gitmirror.MirrorURL(f.repo))
	if err != nil {
		s.cfg.Logger.Warn("no mirror to check the applied revision out from; loading DIR", "revision", config.ShortCommit(rec.Revision), "dir", s.cfg.Dir)
		return s.cfg.Dir
	}
	dir, err := m.Checkout(gitmirror.CheckoutsRoot(root), rec.Revision)
	if err != nil {
		s.cfg.Logger.Warn("cannot check the applied revision out; loading DIR", "revision", config.ShortCommit(rec.Revision), "dir", s.cfg.Dir, "error", err.Error())
		return s.cfg.Dir
	}
	if err := gitmirror.PruneCheckouts(gitmirror.CheckoutsRoot(root), rec.Revision); err != nil {
		s.cfg.Logger.Warn("cannot remove old checkouts", "error", err.Error())
	}
	return filepath.Join(dir, filepath.FromSlash(f.path))
}
