package ops

import (
	"context"
	"fmt"
	"os"
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
	// Base is the commit a diff compares from: the impact notes a state
	// whose definitions were applied from another commit.
	Base string
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
	snap, err := st.Snapshot(ctx)
	if err != nil {
		return err
	}
	b := planner.NewImpactBuilder(opts.Samples)
	if note := staleNote(snap, location, opts.Base); note != "" {
		b.Note(note)
	}
	if err := synchronization.Impact(ctx, st, cfg, b, synchronization.ImpactOptions{
		MaxDuration: opts.MaxDuration, MaxObjects: opts.MaxObjects}); err != nil {
		return fmt.Errorf("evaluating the impact on the repository of %s: %w", location, err)
	}
	b.UnmanagedResources(cfg, snap.ShadowCounts)
	p.Impact = b.Impact(cfg)
	return nil
}

// staleNote says when none of the state's definitions was applied from
// commit base: its repository was synchronized under other definitions,
// so the impact counts from what those left, not from base.
func staleNote(snap *state.Snapshot, location, base string) string {
	if base == "" {
		return ""
	}
	var applied []string
	for _, d := range snap.Definitions {
		if d.Revision == base {
			return ""
		}
		if d.Revision != "" && !slices.Contains(applied, d.Revision) {
			applied = append(applied, d.Revision)
		}
	}
	if len(applied) == 0 {
		return fmt.Sprintf("the state %s (serial %d) records no commit applied from git: the impact counts from its repository as it is, which may not be what the base revision left", location, snap.Serial)
	}
	slices.Sort(applied)
	short := make([]string, len(applied))
	for i, r := range applied {
		short[i] = r[:min(len(r), 12)]
	}
	return fmt.Sprintf("the state %s (serial %d) holds definitions applied from %s, not from the base revision %.12s: it is behind or ahead of the base, and the impact counts from its repository as those definitions left it",
		location, snap.Serial, strings.Join(short, ", "), base)
}

// DiffImpact evaluates the impact of a diff's Head over the repository of
// the state at location (syncline diff -state), read-only.
func DiffImpact(ctx context.Context, res *DiffResult, location string, opts ImpactOptions) error {
	if res.Head.Empty {
		return nil
	}
	if res.Base.Revision != nil {
		opts.Base = res.Base.Revision.Commit
	}
	if _, err := os.Stat(location); err != nil {
		return fmt.Errorf("-state %s: %w", location, err)
	}
	return AddImpact(ctx, res.Plan, res.Config, location, opts)
}
