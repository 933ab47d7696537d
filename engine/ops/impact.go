package ops

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/syncline/syncline/config"
	"github.com/syncline/syncline/engine/synchronization"
	"github.com/syncline/syncline/planner"
	"github.com/syncline/syncline/state"
)

// ImpactOptions are the impact settings of plan and diff.
type ImpactOptions struct {
	// Off leaves the impact out (-impact=false).
	Off bool
	// Samples is how many identities per kind of change the impact names
	// (-impact-samples); 0 means planner.DefaultImpactSamples, < 0 none.
	Samples int
	// MaxDuration and MaxObjects bound the evaluation (0: the defaults
	// of synchronization.ImpactOptions).
	MaxDuration time.Duration
	MaxObjects  int
	// Base are the definitions a diff compares from (by address): the
	// impact notes a state whose definitions are not those.
	Base map[string]*state.Definition
	// Applied are the stored resource definitions a plan was computed
	// against (Planned.Applied): the evaluation's memberships come from
	// their associations without reading them again. Nil reads them.
	Applied map[string]*state.Definition
}

// AddImpact evaluates cfg over the repository of the state at location,
// read-only, and sets p.Impact. Nothing is evaluated with opts.Off or
// when the store does not exist yet (there is nobody to change).
func AddImpact(ctx context.Context, p *planner.Plan, cfg *config.Config, location string, opts ImpactOptions) error {
	if opts.Off || cfg == nil {
		return nil
	}
	st, err := openForPlan(ctx, location)
	if err != nil || st == nil {
		return err
	}
	defer st.Close()
	// Only diff compares the stored definitions (staleNote); a plan
	// needs the serial and the shadow counts.
	read := st.SnapshotCounts
	if opts.Base != nil {
		read = st.Snapshot
	}
	snap, err := read(ctx)
	if err != nil {
		return err
	}
	b := planner.NewImpactBuilder(opts.Samples)
	if note := staleNote(snap, location, opts.Base); note != "" {
		b.Note(note)
	}
	if opts.Base == nil {
		note, err := behindNote(ctx, st, snap.Serial)
		if err != nil {
			return err
		}
		if note != "" {
			b.Note(note)
		}
	}
	if err := synchronization.Impact(ctx, st, cfg, b, synchronization.ImpactOptions{
		MaxDuration: opts.MaxDuration, MaxObjects: opts.MaxObjects, Applied: opts.Applied}); err != nil {
		return fmt.Errorf("evaluating the impact on the repository of %s: %w", state.ShowLocation(location), err)
	}
	b.UnmanagedResources(cfg, snap.ShadowCounts)
	p.Impact = b.Impact(cfg)
	return nil
}

// staleNote says when the state's definitions are not the base's
// (syncline diff): its repository was synchronized under other
// definitions, so the impact counts from what those left, not from the
// base. Specs compare attribute by attribute, secrets aside: diff
// fingerprints them with a key of its own.
func staleNote(snap *state.Snapshot, location string, base map[string]*state.Definition) string {
	if base == nil {
		return ""
	}
	var differ []string
	for addr, d := range base {
		if stored, ok := snap.Definitions[addr]; !ok || !sameSpec(stored.Spec, d.Spec) {
			differ = append(differ, addr)
		}
	}
	for addr := range snap.Definitions {
		if _, ok := base[addr]; !ok {
			differ = append(differ, addr)
		}
	}
	if len(differ) == 0 {
		return ""
	}
	slices.Sort(differ)
	return fmt.Sprintf("the state %s (serial %d) does not hold the base revision's definitions (%s: %s): it is behind or ahead of the base, so the impact counts from its repository as its own applied definitions left it",
		state.ShowLocation(location), snap.Serial, plural(len(differ), "differs", "differ"), strings.Join(differ, ", "))
}

// behindNote says when the state's repository is behind its applied
// definitions (syncline plan): the newest full run that ended was made at
// an earlier serial, so what the later applies changed has not run yet, and
// the impact counts it with this plan's changes.
func behindNote(ctx context.Context, st *state.Store, serial int64) (string, error) {
	// Preview and dry runs leave the repository as it was: the newest of
	// the last runs that ended in full mode is the one that counts.
	runs, err := st.RunList(ctx, state.RunFilter{State: []state.RunState{state.RunSucceeded, state.RunPartial, state.RunFailed}, Limit: 100})
	if err != nil {
		return "", err
	}
	i := slices.IndexFunc(runs, func(r state.Run) bool { return r.Mode == string(config.ModeFull) })
	if i < 0 || runs[i].Serial >= serial {
		return "", nil
	}
	r := runs[i]
	return fmt.Sprintf("the state is at serial %d, but its newest run (run %d, task.%s) ran at serial %d: the repository is as the runs of serial %d left it, so the impact also counts what the definitions applied since would change on their next runs",
		serial, r.ID, r.Task, r.Serial, r.Serial), nil
}

// sameSpec reports whether two specs are equal but for sensitive values.
func sameSpec(a, b map[string]string) bool {
	if len(a) != len(b) {
		return false
	}
	for k, v := range a {
		w, ok := b[k]
		if !ok || (v != w && !(planner.IsSensitive(v) && planner.IsSensitive(w))) {
			return false
		}
	}
	return true
}

// DiffImpact evaluates the impact of a diff's Head over the repository of
// the state at location (syncline diff -state), read-only.
func DiffImpact(ctx context.Context, res *DiffResult, location string, opts ImpactOptions) error {
	if res.Head.Empty {
		return nil
	}
	opts.Base = res.Prior
	switch ok, err := state.Exists(ctx, location); {
	case err != nil:
		return fmt.Errorf("-state %s: %w", state.ShowLocation(location), err)
	case !ok:
		return fmt.Errorf("-state %s: there is no state store there; name the state the base revision was applied to, or leave -state out", state.ShowLocation(location))
	}
	return AddImpact(ctx, res.Plan, res.Config, location, opts)
}

// plural is "1 differs" or "3 differ".
func plural(n int, one, many string) string {
	if n == 1 {
		return "1 " + one
	}
	return fmt.Sprintf("%d %s", n, many)
}
