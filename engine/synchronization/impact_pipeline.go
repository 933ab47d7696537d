package synchronization

import (
	"context"
	"errors"
	"runtime"

	"github.com/syncline/syncline/planner"
	"github.com/syncline/syncline/state"
	"golang.org/x/sync/errgroup"
)

// impactPipeline decides an object type's shadows for the impact in
// three stages that run at once: the goroutine reading the shadows sends
// batches (send), as many workers as there are processors decode and
// decide a batch each, and one recorder reports the decisions to the
// builder in the order the batches were sent — so the builder sees what
// one goroutine deciding in key order would report, from one goroutine
// at a time.
type impactPipeline struct {
	ctx context.Context // cancelled when a worker or the recorder fails
	g   *errgroup.Group
	// decide holds batches for the workers; record holds the same
	// batches, in order, for the recorder. Their sizes bound the batches
	// in flight, and with them memory.
	decide, record chan *impactBatch
}

// impactBatch is a batch of shadows on its way through the pipeline.
type impactBatch struct {
	items   []state.ImpactShadow
	out     []decided
	decided chan struct{} // closed when out is complete
}

// impactInFlight is how many batches may wait for the recorder.
const impactInFlight = 4

// startPipeline starts the workers and the recorder of rt's shadows.
func (ev *impactEval) startPipeline(ctx context.Context, rt *resourceType, om *objectMappings, src planner.ImpactSource) *impactPipeline {
	g, gctx := errgroup.WithContext(ctx)
	p := &impactPipeline{ctx: gctx, g: g, decide: make(chan *impactBatch, 1), record: make(chan *impactBatch, impactInFlight)}
	for range runtime.GOMAXPROCS(0) {
		r := &impactReader{tx: ev.tx, mu: &ev.mu}
		g.Go(func() error {
			for b := range p.decide {
				if gctx.Err() != nil {
					continue // a stage failed: drain
				}
				if err := ev.decideBatch(ctx, rt, om, r, b); err != nil {
					return err
				}
				close(b.decided)
			}
			return nil
		})
	}
	g.Go(func() error {
		for b := range p.record {
			select {
			case <-b.decided:
			case <-gctx.Done():
				return gctx.Err()
			}
			ev.recordBatch(src, b)
		}
		return nil
	})
	return p
}

// send hands a batch to the recorder and the workers; it waits while the
// batches in flight are at the bound, and fails once a stage has.
func (p *impactPipeline) send(items []state.ImpactShadow) error {
	if len(items) == 0 {
		return nil
	}
	b := &impactBatch{items: items, out: make([]decided, len(items)), decided: make(chan struct{})}
	for _, q := range []chan *impactBatch{p.record, p.decide} {
		select {
		case q <- b:
		case <-p.ctx.Done():
			return p.ctx.Err()
		}
	}
	return nil
}

// wait lets the batches sent finish and returns the first error of a
// worker or the recorder; nothing may be sent after.
func (p *impactPipeline) wait() error {
	close(p.decide)
	close(p.record)
	return p.g.Wait()
}

// decideBatch decides each object of b as a reconciliation would.
func (ev *impactEval) decideBatch(ctx context.Context, rt *resourceType, om *objectMappings, r *impactReader, b *impactBatch) error {
	for i := range b.items {
		d := &decider{w: ev.w, rt: rt, r: r, ctx: ctx}
		e, err := decideCached(d, om, r, &b.items[i])
		var oe *objectError
		if errors.As(err, &oe) {
			b.out[i] = decided{err: err}
			continue
		}
		if err != nil {
			return err
		}
		b.out[i] = decided{e: e}
	}
	return nil
}

// recordBatch reports b's decisions in order.
func (ev *impactEval) recordBatch(src planner.ImpactSource, b *impactBatch) {
	for i, is := range b.items {
		if b.out[i].err != nil {
			ev.b.Error(src, is.Shadow.Identifier, "", b.out[i].err.Error())
			continue
		}
		ev.recordShadow(src, is.Shadow, b.out[i].e)
	}
}
