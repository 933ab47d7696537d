package ops

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/syncline/syncline/planner"
	"github.com/syncline/syncline/state"
)

// PlanFileOptions say how ApplyPlanFile works.
type PlanFileOptions struct {
	Path        string        // the plan file
	State       string        // the -state option; "" for the state the file names
	LockTimeout time.Duration // how long to wait for the apply lock
	// Vars and VarFiles are given again to apply; they come after the
	// file's own (sensitive variables' values are never in the file).
	Vars, VarFiles []string
}

// ApplyPlanFile applies a saved plan after checking, under the apply lock
// and in this order, that it is authentic (PlanFile.Authenticate), made
// against the state as it is now (lineage, then serial), that its
// configuration reloads — from the recorded commit for a plan made from
// git — to the same revision and definitions (Plan.Verify), and that the
// plan recomputed from the configuration and the state has exactly its
// changes (Plan.SameChanges). What is stored is the recomputed plan, never
// the file's own definitions. The revision reloaded goes to r.Reloaded.
func ApplyPlanFile(ctx context.Context, l Loader, opts PlanFileOptions, r Reporter) (*ApplyResult, error) {
	f, p, err := ReadPlanFile(opts.Path)
	if err != nil {
		return nil, err
	}
	location := f.State
	if opts.State != "" {
		location = opts.State
	}
	res := &ApplyResult{}
	err = WithApplyLock(ctx, location, opts.LockTimeout, func(st *state.Store, snap *state.Snapshot) error {
		return applyPlanFileLocked(ctx, st, snap, l, f, p, opts, r, res)
	})
	return res, err
}

func applyPlanFileLocked(ctx context.Context, st *state.Store, snap *state.Snapshot, l Loader, f *PlanFile, p *planner.Plan, opts PlanFileOptions, r Reporter, res *ApplyResult) error {
	if err := f.Authenticate(opts.Path, p, snap); err != nil {
		return err
	}
	if err := checkPlanAgainstState(p, snap); err != nil {
		return err
	}
	pl, err := checkPlanAgainstConfig(l, f, p, snap, opts, r)
	if err != nil {
		return err
	}
	runtime, err := st.TaskRuntimes(ctx)
	if err != nil {
		return err
	}
	again, err := planner.Compute(pl.Desired, snap, planner.Options{Now: pl.Loaded.Now(), AllowDestroy: f.AllowDestroy,
		Moves: planner.MovesFromConfig(pl.Loaded.Config), Revision: p.Revision, Runtime: runtime})
	if err != nil {
		return err
	}
	if err := p.SameChanges(again); err != nil {
		return fmt.Errorf("%s: %w", opts.Path, err)
	}
	pl.Plan = again
	req := again.ApplyRequest(pl.Desired, pl.Loaded.Who())
	res.Planned, res.Serial, res.Revision, res.Who = pl, snap.Serial, req.Revision, req.Who
	applied, err := st.Apply(ctx, req)
	if err != nil {
		return err
	}
	res.Applied, res.Serial = applied, applied.Serial
	return nil
}

// checkPlanAgainstState refuses a plan made for another state or before
// the state last changed, naming the definitions that differ.
func checkPlanAgainstState(p *planner.Plan, snap *state.Snapshot) error {
	if p.Lineage != snap.Lineage {
		want := p.Lineage
		if want == "" {
			want = "a new, empty state"
		}
		return fmt.Errorf("the plan was made for another state (lineage %s), but this state has lineage %s; make a new plan against this state", want, snap.Lineage)
	}
	if p.Serial == snap.Serial {
		return nil
	}
	changed := changedSince(p.Prior, snap)
	return fmt.Errorf("the plan is stale: the state changed since it was made (serial %d, now %d; changed: %s); make a new plan",
		p.Serial, snap.Serial, strings.Join(changed, ", "))
}

// changedSince lists the addresses whose stored hash differs from prior.
func changedSince(prior map[string]string, snap *state.Snapshot) []string {
	var out []string
	for addr, h := range prior {
		if d, ok := snap.Definitions[addr]; !ok || d.Hash != h {
			out = append(out, addr)
		}
	}
	for addr := range snap.Definitions {
		if _, ok := prior[addr]; !ok {
			out = append(out, addr)
		}
	}
	if len(out) == 0 {
		return []string{"no definition, only the serial"}
	}
	slices.Sort(out)
	return out
}

// checkPlanAgainstConfig reloads the configuration (and so re-reads every
// secret) and refuses the plan when what it would store differs. A plan
// made from git is reloaded from the very commit it recorded, wherever its
// branch points now; the revision goes to r.Reloaded. The result holds the
// reloaded configuration and its definitions, not yet a plan.
func checkPlanAgainstConfig(l Loader, f *PlanFile, p *planner.Plan, snap *state.Snapshot, opts PlanFileOptions, r Reporter) (*Planned, error) {
	vars := append(append([]string{}, f.Vars...), opts.Vars...)
	varFiles := append(append([]string{}, f.VarFiles...), opts.VarFiles...)
	lc, err := l.LoadStrict(f.Source(), vars, varFiles, r)
	if err != nil {
		return nil, err
	}
	if lc.Commit() != p.Revision {
		return nil, fmt.Errorf("the plan was made from revision %q, but its configuration now loads as %q; make a new plan", p.Revision, lc.Commit())
	}
	if lc.Revision != nil {
		r.Reloaded(lc.Revision)
	}
	desired, err := planner.Desired(lc.Config, p.Revision, snap.Key)
	if err != nil {
		return nil, err
	}
	return &Planned{Loaded: lc, Key: snap.Key, Desired: desired}, p.Verify(desired)
}

// ShownPlanFile is a saved plan read for showing.
type ShownPlanFile struct {
	File *PlanFile
	Plan *planner.Plan
	// Unauthenticated is why the file could not be authenticated: its
	// state cannot be read. Show displays the plan anyway, with a warning.
	Unauthenticated error
	// Location is the state the file was checked against.
	Location string
}

// ShowPlanFile reads a saved plan and authenticates it against the state
// it names, or location when given. A state that cannot be read is not an
// error (show changes nothing) but is reported in Unauthenticated; a file
// that does not authenticate is.
func ShowPlanFile(ctx context.Context, path, location string) (*ShownPlanFile, error) {
	f, p, err := ReadPlanFile(path)
	if err != nil {
		return nil, err
	}
	if location == "" {
		location = f.State
	}
	res := &ShownPlanFile{File: f, Plan: p, Location: location}
	st, err := state.Open(ctx, location, state.Options{ReadOnly: true})
	if err != nil {
		res.Unauthenticated = err
		return res, nil
	}
	defer st.Close()
	snap, err := st.Snapshot(ctx)
	if err != nil {
		return nil, err
	}
	return res, f.Authenticate(path, p, snap)
}
