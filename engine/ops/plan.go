package ops

import (
	"bytes"
	"context"
	"time"

	"github.com/syncline/syncline/config"
	"github.com/syncline/syncline/planner"
	"github.com/syncline/syncline/state"
)

// Planned is a configuration loaded and diffed against the state: what
// plan shows and apply carries out.
type Planned struct {
	Loaded  *Loaded
	Key     state.SecretKey // the state's secret key the plan was keyed with
	Desired map[string]*state.Definition
	Plan    *planner.Plan
	// Applied are the stored resource definitions the plan was computed
	// against, by address: the identity impact reads their associations
	// (ImpactOptions.Applied) instead of reading them from the state again.
	Applied map[string]*state.Definition
}

// PlanConfig plans l against snap, the state read before (apply reads it
// under the lock); allowDestroy lets it remove or replace a resource that
// still has shadows. A configuration from git records its commit on the
// plan and on every definition.
func PlanConfig(l *Loaded, snap *state.Snapshot, runtime []state.TaskRuntime, allowDestroy bool) (*Planned, error) {
	desired, err := planner.Desired(l.Config, l.Commit(), snap.Key)
	if err != nil {
		return nil, err
	}
	return planDesired(l, desired, snap, runtime, allowDestroy)
}

// planDesired is PlanConfig with the desired definitions built already,
// against snap's key.
func planDesired(l *Loaded, desired map[string]*state.Definition, snap *state.Snapshot, runtime []state.TaskRuntime, allowDestroy bool) (*Planned, error) {
	p, err := planner.Compute(desired, snap, planner.Options{
		Now:          l.Now(),
		AllowDestroy: allowDestroy,
		Moves:        planner.MovesFromConfig(l.Config),
		Revision:     l.Commit(),
		Runtime:      runtime,
		EphemeralKey: snap.KeyEphemeral,
	})
	if err != nil {
		return nil, err
	}
	return &Planned{Loaded: l, Key: snap.Key, Desired: desired, Plan: p, Applied: resourcesOf(snap)}, nil
}

// resourcesOf is the resource definitions of snap, by address: a plan
// keeps these few of the snapshot's definitions, sharing their specs.
func resourcesOf(snap *state.Snapshot) map[string]*state.Definition {
	out := map[string]*state.Definition{}
	for addr, d := range snap.Definitions {
		if d.Kind == config.KindResource {
			out[addr] = d
		}
	}
	return out
}

// PlanAgainst plans l against the state at location, read without
// writing anything (see ReadSnapshot): what syncline plan and watch show.
// It builds the desired definitions before reading the stored ones, so
// that a stored definition equal to its desired one shares its spec
// instead of being decoded (state.Store.SnapshotReusing).
func PlanAgainst(ctx context.Context, l *Loaded, location string, allowDestroy bool) (*Planned, error) {
	st, err := openForPlan(ctx, location)
	if err != nil || st == nil {
		return planEmpty(l, allowDestroy, err)
	}
	defer st.Close()
	key, err := st.SecretKey(ctx)
	if err != nil {
		return nil, err
	}
	desired, desiredErr := planner.Desired(l.Config, l.Commit(), key)
	snap, err := st.SnapshotReusing(ctx, desired)
	if err != nil {
		return nil, err
	}
	runtime, err := st.TaskRuntimes(ctx)
	switch {
	case err != nil:
		return nil, err
	case desiredErr != nil:
		return nil, desiredErr // after the state's errors, as PlanConfig reports them
	case !bytes.Equal(key, snap.Key):
		return PlanConfig(l, snap, runtime, allowDestroy)
	}
	return planDesired(l, desired, snap, runtime, allowDestroy)
}

// openForPlan opens the store at location read-only; a store that does
// not exist yet is nil.
func openForPlan(ctx context.Context, location string) (*state.Store, error) {
	if err := state.CheckLocation(location); err != nil {
		return nil, err
	}
	if ok, err := state.Exists(ctx, location); err != nil || !ok {
		return nil, err
	}
	return state.Open(ctx, location, state.Options{ReadOnly: true})
}

// planEmpty plans against the EmptySnapshot of a store that does not
// exist yet, or returns err.
func planEmpty(l *Loaded, allowDestroy bool, err error) (*Planned, error) {
	if err != nil {
		return nil, err
	}
	return PlanConfig(l, EmptySnapshot(), nil, allowDestroy)
}

// ReadSnapshot reads the state for planning without writing anything: a
// store that does not exist yet is an empty snapshot. The tasks' runtime
// comes along, for drift.
func ReadSnapshot(ctx context.Context, location string) (*state.Snapshot, []state.TaskRuntime, error) {
	st, err := openForPlan(ctx, location)
	if err != nil {
		return nil, nil, err
	}
	if st == nil {
		return EmptySnapshot(), nil, nil
	}
	defer st.Close()
	snap, err := st.Snapshot(ctx)
	if err != nil {
		return nil, nil, err
	}
	runtime, err := st.TaskRuntimes(ctx)
	return snap, runtime, err
}

// EmptySnapshot stands for a store that does not exist yet; its key is
// made for this invocation.
func EmptySnapshot() *state.Snapshot {
	return &state.Snapshot{Definitions: map[string]*state.Definition{}, ShadowCounts: map[string]int{},
		Key: state.EphemeralKey(), KeyEphemeral: true}
}

// WithApplyLock opens (creating if needed) the store at location, takes
// the apply lock, waiting at most lockTimeout, reads the snapshot and runs
// fn; the lock is released however fn ends.
func WithApplyLock(ctx context.Context, location string, lockTimeout time.Duration, fn func(*state.Store, *state.Snapshot) error) error {
	st, err := state.Open(ctx, location, state.Options{})
	if err != nil {
		return err
	}
	defer st.Close()
	lock, err := st.LockAcquire(ctx, "apply", lockTimeout)
	if err != nil {
		return err
	}
	// A fresh context: the lock must be released even when ctx ended.
	defer st.LockRelease(context.WithoutCancel(ctx), lock.ID)
	snap, err := st.Snapshot(ctx)
	if err != nil {
		return err
	}
	return fn(st, snap)
}
