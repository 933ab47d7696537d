package engine

import (
	"context"

	"github.com/syncline/syncline/engine/catalog"
	"github.com/syncline/syncline/state"
)

// load reads the snapshot and the configuration and installs the catalog.
func (s *Server) load(ctx context.Context) error {
	snap, err := s.cfg.Store.Snapshot(ctx)
	if err != nil {
		return err
	}
	cat, err := catalog.Load(s.configDir(ctx, snap), s.cfg.LoadOptions, snap)
	if err != nil {
		return err
	}
	s.install(cat)
	return nil
}

// reload installs a new catalog when the state serial changed: an apply,
// here or in another process. Files that no longer load leave the
// configuration as it was, checked against the new state: the tasks whose
// applied definitions changed stop running until the files load again.
// Edited files alone change nothing: what runs is what was applied.
func (s *Server) reload(ctx context.Context) error {
	s.reloadMu.Lock()
	defer s.reloadMu.Unlock()
	cur := s.catalog.Load()
	serial, err := s.cfg.Store.Serial(ctx)
	if err != nil {
		return err
	}
	if serial == cur.Serial() {
		return nil
	}
	snap, err := s.cfg.Store.Snapshot(ctx)
	if err != nil {
		return err
	}
	cat, err := catalog.Load(s.configDir(ctx, snap), s.cfg.LoadOptions, snap)
	if err != nil {
		s.cfg.Logger.Error("the configuration does not load; keeping the previous one", "error", err)
		cat = cur.WithSnapshot(snap)
	}
	s.install(cat)
	s.sched.SetCatalog(cat)
	select {
	case s.tickNow <- struct{}{}:
	default:
	}
	s.signals.reloaded.Signal(cat.Serial())
	return nil
}

// configDir is where the configuration applied as snap is.
func (s *Server) configDir(ctx context.Context, snap *state.Snapshot) string {
	return s.cfg.Source.ConfigDir(ctx, s.cfg.Store, snap)
}

func (s *Server) install(cat *catalog.Catalog) {
	s.catalog.Store(cat)
	for _, name := range cat.Names() {
		if err := cat.Check(name); err != nil {
			s.cfg.Logger.Warn("task will not run", "task", name, "reason", err)
		}
	}
	s.cfg.Logger.Info("configuration loaded", "dir", cat.Dir(), "serial", cat.Serial(), "tasks", len(cat.Config().Tasks))
}
