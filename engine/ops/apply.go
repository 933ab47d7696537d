package ops

import (
	"context"
	"maps"
	"slices"
	"time"

	"github.com/syncline/syncline/state"
)

// ApplyOptions say how PlanAndApply works.
type ApplyOptions struct {
	Location     string        // the state store
	LockTimeout  time.Duration // how long to wait for the apply lock
	AllowDestroy bool          // allow removing or replacing a resource that still has shadows
	// ForcedOver is recorded with the apply: the commit a force-push
	// replaced (Sync sets it).
	ForcedOver string
}

// ApplyResult is what PlanAndApply did.
type ApplyResult struct {
	// Planned is the plan made under the lock; nil when planning failed.
	Planned *Planned
	// Applied is what the store did; nil when nothing was applied (the
	// plan had no changes, or the apply failed).
	Applied *state.ApplyResult
	// Serial is the state's serial afterwards.
	Serial int64
	// Revision and Who are recorded with the apply.
	Revision, Who string
}

// PlanAndApply takes the apply lock, plans l against the state, shows the
// plan through r, asks r to confirm, and applies. A plan with errors is a
// *PlanError; a plan without changes against a state that exists applies
// nothing. The result is returned with any error, as far as it got.
func PlanAndApply(ctx context.Context, l *Loaded, opts ApplyOptions, r Reporter) (*ApplyResult, error) {
	res := &ApplyResult{Who: l.Who()}
	err := WithApplyLock(ctx, opts.Location, opts.LockTimeout, func(st *state.Store, snap *state.Snapshot) error {
		return planAndApplyLocked(ctx, st, snap, l, opts, r, res)
	})
	return res, err
}

func planAndApplyLocked(ctx context.Context, st *state.Store, snap *state.Snapshot, l *Loaded, opts ApplyOptions, r Reporter, res *ApplyResult) error {
	runtime, err := st.TaskRuntimes(ctx)
	if err != nil {
		return err
	}
	pl, err := PlanConfig(l, snap, runtime, opts.AllowDestroy)
	if err != nil {
		return err
	}
	res.Planned, res.Serial = pl, snap.Serial
	if err := r.Plan(l.Revision, pl.Plan); err != nil {
		return err
	}
	if err := pl.Plan.Err(); err != nil {
		return &PlanError{Err: err}
	}
	if !pl.Plan.HasChanges() && snap.Lineage != "" {
		return nil
	}
	if err := r.Confirm(); err != nil {
		return err
	}
	req := pl.Plan.ApplyRequest(pl.Desired, res.Who)
	req.ForcedOver = opts.ForcedOver
	refreshSources(&req, pl.Desired, snap)
	res.Revision = req.Revision
	applied, err := st.Apply(ctx, req)
	if err != nil {
		return err
	}
	res.Applied, res.Serial = applied, applied.Serial
	return nil
}

// refreshSources adds the unchanged definitions whose source file or line
// moved, so that the state keeps pointing at the right place; the store
// does not count them as changes.
func refreshSources(req *state.ApplyRequest, desired map[string]*state.Definition, snap *state.Snapshot) {
	inRequest := map[string]bool{}
	for _, d := range req.Upserts {
		inRequest[d.Address()] = true
	}
	for _, del := range req.Deletes {
		inRequest[del] = true
	}
	for _, addr := range slices.Sorted(maps.Keys(desired)) {
		d, stored := desired[addr], snap.Definitions[addr]
		if inRequest[addr] || stored == nil || stored.Hash != d.Hash {
			continue
		}
		if stored.SourceFile != d.SourceFile || stored.SourceLine != d.SourceLine {
			req.Upserts = append(req.Upserts, d)
		}
	}
}
