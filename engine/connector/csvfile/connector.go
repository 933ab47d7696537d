package csvfile

import (
	"sync"

	"github.com/syncline/syncline/engine/connector"
)

// Connector is the csv connector for one file.
type Connector struct {
	cfg  Config
	errs connector.ErrorBuilder
	// mu serializes rewrites and feed snapshots within this process;
	// other processes are detected, not locked out (see rewrite).
	mu sync.Mutex
}

var (
	_ connector.Connector  = (*Connector)(nil)
	_ connector.ChangeFeed = (*Connector)(nil)
)

// New returns the connector for resource with cfg. It does not touch the
// file: a missing file is reported by the first operation.
func New(resource string, cfg Config) (*Connector, error) {
	if cfg.Delimiter == 0 {
		cfg.Delimiter = ','
	}
	if cfg.Display == "" {
		cfg.Display = cfg.Path
	}
	c := &Connector{cfg: cfg, errs: connector.ErrorBuilder{Resource: resource}}
	if err := cfg.check(); err != nil {
		return nil, c.errs.New(connector.ErrConfig, "open", err, "")
	}
	return c, nil
}

// Resource returns the resource's name.
func (c *Connector) Resource() string { return c.errs.Resource }

// Capabilities: everything; live sync when there is a state directory.
func (c *Connector) Capabilities() connector.Capabilities {
	feed := c.cfg.StateDir != ""
	return connector.Capabilities{
		Read: true, Create: true, Update: true, Delete: true, Rename: true, Batch: true,
		MultiValued: c.cfg.MultivalueDelimiter != 0,
		LiveSync:    feed, LiveSyncDeletes: feed,
	}
}

// Close does nothing: files are opened per operation.
func (c *Connector) Close() error { return nil }
