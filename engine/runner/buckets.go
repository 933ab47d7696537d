package runner

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"time"

	"github.com/syncline/syncline/config"
	"github.com/syncline/syncline/engine/activity"
	"github.com/syncline/syncline/engine/catalog"
	"github.com/syncline/syncline/engine/connector"
	"github.com/syncline/syncline/engine/synchronization"
	"github.com/syncline/syncline/internal/clock"
	"github.com/syncline/syncline/state"
)

// BucketHelper is a serve node's share in other runs' bucketed
// activities: it claims an open bucket (or one whose claimer stopped
// renewing it) of any running run executed under the same definitions as
// its catalog, synchronizes it and records it done, and repeats. The run
// itself merges the buckets' counts and finishes the activity.
type BucketHelper struct {
	Store   *state.Store
	Catalog func() *catalog.Catalog // the node's current catalog
	Claimer string                  // who claims: "host:pid:buckets"
	Clock   clock.Clock             // default clock.Real
	Logger  *slog.Logger            // default discards
	Lease   time.Duration           // a claim's lease; default synchronization.DefaultBucketLease
	Poll    time.Duration           // how often to look for a bucket when none was claimable; default 1s
}

// Run helps until ctx ends; a bucket being synchronized then is opened
// again for another claimer.
func (h *BucketHelper) Run(ctx context.Context) {
	h = h.withDefaults()
	for ctx.Err() == nil {
		did, err := h.HelpOnce(ctx)
		if err != nil && ctx.Err() == nil {
			h.Logger.Warn("helping with a bucket failed", "error", err)
		}
		if did {
			continue
		}
		t := h.Clock.NewTimer(h.Poll)
		select {
		case <-ctx.Done():
			t.Stop()
		case <-t.C():
		}
	}
}

func (h *BucketHelper) withDefaults() *BucketHelper {
	c := *h
	if c.Clock == nil {
		c.Clock = clock.Real{}
	}
	if c.Logger == nil {
		c.Logger = slog.New(slog.NewTextHandler(io.Discard, nil))
	}
	if c.Lease <= 0 {
		c.Lease = synchronization.DefaultBucketLease
	}
	if c.Poll <= 0 {
		c.Poll = synchronization.DefaultBucketPoll
	}
	return &c
}

// HelpOnce claims and synchronizes one bucket; it reports whether there
// was one to claim.
func (h *BucketHelper) HelpOnce(ctx context.Context) (bool, error) {
	h = h.withDefaults()
	cat := h.Catalog()
	b, err := h.Store.BucketClaimAny(ctx, h.Claimer, cat.Serial(), h.Clock.Now(), h.Lease)
	if err != nil || b == nil {
		return false, err
	}
	job, err := h.job(cat, b)
	if err != nil {
		// Not reached while the serials match; the run's own passes or a
		// node with the run's definitions take the bucket.
		return true, fmt.Errorf("%w (bucket %d of run %d left to others)", err, b.Index, b.RunID)
	}
	h.Logger.Info("synchronizing a bucket of another run", "run", b.RunID, "task", b.Task, "activity", b.Activity,
		"bucket", fmt.Sprintf("%d/%d", b.Index+1, b.Count))
	return true, synchronization.RunClaimedBucket(ctx, job, b, h.Claimer)
}

// job is the synchronization job of bucket b's activity, as the run
// executing it builds its own.
func (h *BucketHelper) job(cat *catalog.Catalog, b *state.Bucket) (*synchronization.Job, error) {
	task, err := cat.Task(b.Task)
	if err != nil {
		return nil, err
	}
	for _, a := range task.Activities {
		if a.Name == b.Activity && a.Bucketed() {
			dir := cat.Dir()
			return &synchronization.Job{Config: cat.Config(), Activity: a, Task: task.Name, RunID: b.RunID,
				Mode: config.Mode(b.Mode), Store: h.Store, Clock: h.Clock, BucketLease: h.Lease,
				ConnectorOptions: connector.Options{BaseDir: dir, StateDir: activity.FeedDir(dir)},
				Log:              h.Logger.With("run", b.RunID, "task", task.Name, "activity", a.Name, "bucket", b.Index)}, nil
		}
	}
	return nil, fmt.Errorf("task %q has no bucketed activity %q", b.Task, b.Activity)
}
