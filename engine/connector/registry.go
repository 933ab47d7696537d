package connector

import (
	"context"
	"fmt"
	"slices"

	"github.com/syncline/syncline/config"
)

// Options are what a connector needs from its caller besides the
// resource's connection settings.
type Options struct {
	// BaseDir is the configuration directory: relative csv paths and
	// sqlite database files are relative to it.
	BaseDir string
	// StateDir is a directory the connector may keep change-feed
	// snapshots in (the csv connector's live sync needs it); "" turns
	// such feeds off.
	StateDir string
}

// OpenFunc opens a connector for a resource.
type OpenFunc func(ctx context.Context, res *config.Resource, opts Options) (Connector, error)

// Registry maps connector names ("csv", "sql") to how to open them.
type Registry map[string]OpenFunc

// Open opens the connector res names. Opening checks the settings and,
// for a database, that the table and columns exist; it is not a full
// connection test (see Connector.Test).
func (r Registry) Open(ctx context.Context, res *config.Resource, opts Options) (Connector, error) {
	errs := ErrorBuilder{Resource: res.Name}
	open, ok := r[res.Connector]
	switch {
	case ok:
		return open(ctx, res, opts)
	case slices.Contains(config.ConnectorNames(), res.Connector):
		return nil, errs.New(ErrUnsupported, "open", fmt.Errorf("the %s connector is not available in this version of syncline yet", res.Connector),
			"The configuration language already knows its settings, so it validates and plans; it cannot be tested or synchronized until the connector lands.")
	}
	return nil, errs.New(ErrConfig, "open", fmt.Errorf("unknown connector %q", res.Connector), "")
}
