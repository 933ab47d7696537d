package synchronization

import (
	"context"
	"errors"
	"slices"
	"time"

	"github.com/syncline/syncline/config"
	"github.com/syncline/syncline/engine/connector"
	"github.com/syncline/syncline/state"
)

// remainingShadows finds the shadows resource_objects did not see, checks
// that their objects are gone, and reacts to the deleted situation.
func (p *pass) remainingShadows(ctx context.Context, rec Recorder) error {
	if p.bucketed { // resource_objects ran in buckets: see the identifiers now
		if err := p.seeIdentifiers(ctx); err != nil {
			return err
		}
	}
	if p.idx == nil { // resource_objects was skipped: nothing was seen
		var err error
		if p.idx, err = loadIndex(ctx, p.job.Store, p.rt); err != nil {
			return err
		}
	}
	ids := p.idx.unseen()
	rec.SetTotal(int64(len(ids)))
	for chunk := range slices.Chunk(ids, p.job.batchSize()) {
		shs, err := p.job.Store.ShadowsByID(ctx, chunk)
		if err != nil {
			return err
		}
		var batch []*item
		for _, sh := range shs {
			gone, err := p.gone(ctx, sh)
			if err != nil {
				if stop := p.itemError(rec, sh.Identifier, objErr(CategoryResource, err)); stop != nil {
					return stop
				}
				continue
			}
			if !gone {
				rec.AddSkipped(1)
				continue
			}
			batch = append(batch, &item{obj: connector.Object{ID: sh.Identifier}, key: sh.Key, deleted: sh})
		}
		if err := p.commit(ctx, p.job.Store.RepositoryWrite, rec, batch); err != nil {
			return err
		}
	}
	return p.x.flush(ctx, p.job.now())
}

// gone reports whether sh's object no longer exists. After a complete
// search, not having seen it says so; otherwise the resource is asked.
// A shadow with operations still pending is left alone: its object may
// not have been created yet.
func (p *pass) gone(ctx context.Context, sh *state.Shadow) (bool, error) {
	if sh.Dead || len(sh.Pending) > 0 {
		return false, nil
	}
	if p.complete {
		return true, nil
	}
	_, err := p.conn.Get(ctx, sh.Identifier)
	switch {
	case errors.Is(err, connector.ErrNotFound):
		return true, nil
	case err != nil:
		return false, err
	}
	return false, nil
}

// farFuture makes every pending operation due.
var farFuture = time.Date(9999, 1, 1, 0, 0, 0, 0, time.UTC)

// completeOperations retries the pending operations of resource with x:
// all of them (operation_completion, force) or the due ones
// (propagation). In preview and dry_run it only counts them. It returns
// how many shadows had operations pending.
func completeOperations(ctx context.Context, job *Job, x *executor, rec Recorder, resource string, force bool) (int64, error) {
	now := job.now()
	// Every pending shadow: operations not due yet may have outlived the
	// resource's pending_retention; the executor skips the others.
	shs, err := job.Store.ShadowsPending(ctx, resource, farFuture, 1_000_000)
	if err != nil {
		return 0, err
	}
	n := int64(len(shs))
	if job.Mode != config.ModeFull {
		if n > 0 {
			rec.AddStatistic("operations.pending", n)
			rec.AddSkipped(n)
		}
		return n, nil
	}
	before := x.completed
	err = x.runShadows(ctx, rec, shs, now, force)
	rec.AddSuccess(x.completed - before)
	return n, err
}

// provisioningResources returns the resources with an object type that
// has outbound mappings, by name.
func (w *world) provisioningResources() []string {
	var out []string
	for _, rt := range w.types {
		if rt.provisions() && !slices.Contains(out, rt.res.Name) {
			out = append(out, rt.res.Name)
		}
	}
	return out
}
