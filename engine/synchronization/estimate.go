package synchronization

import (
	"context"

	"github.com/syncline/syncline/engine/connector"
)

// totalEstimate is the total resource_objects set from the connector's
// Estimator before searching, so that its progress has a total and a time
// left.
type totalEstimate struct {
	set, exact bool
}

// estimate sets rec's total to how many objects the connector says the
// search will stream (at most max_items), when it can tell; otherwise the
// total stays unknown. It does not estimate with both a filter and
// max_items, where the objects counted depend on what the filter keeps.
// An estimate that fails only leaves the total unknown: the search that
// follows meets the same trouble and reports it.
func (p *pass) estimate(ctx context.Context, rec Recorder) totalEstimate {
	rec.SetTotal(-1)
	a := p.job.Activity
	if a.Filter != nil && a.MaxItems > 0 || p.bucket != nil {
		return totalEstimate{}
	}
	n, exact, err := connector.Estimate(ctx, p.conn, connector.Query{ObjectClass: p.rt.ot.ObjectClass})
	if err != nil || n < 0 {
		if err != nil {
			p.job.log().Debug("the connector could not estimate the objects", "resource", p.rt.res.Name, "error", err)
		}
		return totalEstimate{}
	}
	if a.MaxItems > 0 && n > int64(a.MaxItems) {
		n, exact = int64(a.MaxItems), false
	}
	rec.SetTotal(n)
	return totalEstimate{set: true, exact: exact}
}

// settle records the total once the search ended: the objects it streamed
// when it streamed them all (without max_items; with or without an
// estimate before), otherwise unknown in place of an estimate, so that
// the run's record never keeps a guess as its total. An exact count stays
// when the search stopped early.
func (e totalEstimate) settle(rec Recorder, complete bool, streamed int64) {
	switch {
	case complete:
		rec.SetTotal(streamed)
	case e.set && !e.exact:
		rec.SetTotal(-1)
	}
}
