package engine

import (
	"context"

	"github.com/syncline/syncline/engine/catalog"
	"github.com/syncline/syncline/engine/runner"
)

// bucketLoop lends this node to the bucketed activities of running runs,
// its own or other nodes' (runner.BucketHelper), until ctx ends.
func (s *Server) bucketLoop(ctx context.Context) {
	defer s.loops.Done()
	h := &runner.BucketHelper{Store: s.cfg.Store, Catalog: func() *catalog.Catalog { return s.catalog.Load() },
		Claimer: s.cfg.WorkerID + ":buckets", Clock: s.cfg.Clock, Logger: s.cfg.Logger,
		Lease: 3 * s.cfg.HeartbeatInterval, Poll: s.cfg.PollInterval}
	h.Run(ctx)
}
