package engine

import (
	"context"

	"github.com/syncline/syncline/state"
)

// ConfigSource says where the configuration applied as a snapshot is, for
// each snapshot the server loads: a plain directory (DirSource), or, under
// serve -sync, the checkout of the applied commit (gitsync.Syncer).
type ConfigSource interface {
	// ConfigDir is the directory holding the configuration applied as
	// snap; st is the server's store. It always answers: a source that
	// cannot find the applied configuration answers a fallback, and the
	// catalog refuses what differs from what was applied.
	ConfigDir(ctx context.Context, st *state.Store, snap *state.Snapshot) string
}

// DirSource is the same directory for every snapshot.
type DirSource string

// ConfigDir is d.
func (d DirSource) ConfigDir(context.Context, *state.Store, *state.Snapshot) string { return string(d) }

var _ ConfigSource = DirSource("")
