package planner

import (
	"errors"
	"fmt"
	"slices"
	"strings"

	"github.com/syncline/syncline/state"
)

// Compute diffs the desired definitions (from Desired) against a stored
// snapshot and returns the plan. It never reads the clock or any other
// input: everything comes from its arguments.
//
// The returned plan may carry Errors (a resource with shadows removed
// without AllowDestroy); such a plan shows every change but must not be
// applied. The error result is for invalid arguments only.
func Compute(desired map[string]*state.Definition, snapshot *state.Snapshot, opts Options) (*Plan, error) {
	if opts.Now.IsZero() {
		return nil, errors.New("planner: Options.Now is required")
	}
	if snapshot == nil {
		snapshot = &state.Snapshot{}
	}
	if err := checkDefinitions(desired); err != nil {
		return nil, err
	}
	if err := checkMoves(opts.Moves); err != nil {
		return nil, err
	}
	c := &computation{desired: desired, snapshot: snapshot, opts: opts,
		prior: resolveMoves(snapshot.Definitions, desired, opts.Moves)}
	c.plan = newPlan(desired, snapshot, opts)
	c.diffAll()
	c.plan.Drift = runtimeDrift(desired, opts.Runtime)
	sortChanges(c.plan.Changes)
	slices.Sort(c.plan.Errors)
	c.plan.Summary = summarize(c.plan.Changes)
	return c.plan, nil
}

func newPlan(desired map[string]*state.Definition, snapshot *state.Snapshot, opts Options) *Plan {
	return &Plan{
		FormatVersion: FormatVersion,
		Lineage:       snapshot.Lineage,
		Serial:        snapshot.Serial,
		CreatedAt:     opts.Now,
		Revision:      opts.Revision,
		Changes:       []Change{},
		Errors:        []string{},
		Desired:       hashes(desired),
		Prior:         hashes(snapshot.Definitions),
		Fingerprints:  fingerprintScope(opts.EphemeralKey),
	}
}

func fingerprintScope(ephemeral bool) string {
	if ephemeral {
		return FingerprintsInvocation
	}
	return FingerprintsState
}

// computation holds what one Compute call works on.
type computation struct {
	desired  map[string]*state.Definition
	snapshot *state.Snapshot
	opts     Options
	prior    priorView
	plan     *Plan
}

// diffAll diffs every desired address, then every stored one that is no
// longer desired.
func (c *computation) diffAll() {
	for addr, after := range c.desired {
		before, _ := c.prior.lookup(addr)
		c.add(c.diff(addr, before, after))
	}
	c.prior.addresses(func(addr string) {
		if _, ok := c.desired[addr]; !ok {
			before, _ := c.prior.lookup(addr)
			c.add(c.diff(addr, before, nil))
		}
	})
}

func (c *computation) add(ch *Change) {
	if ch == nil {
		return
	}
	c.consequences(ch)
	c.plan.Changes = append(c.plan.Changes, *ch)
}

// diff returns the change at addr, or nil when there is none.
func (c *computation) diff(addr string, before, after *state.Definition) *Change {
	from := c.prior.movedTo[addr]
	if before != nil && after != nil && from == "" && before.Hash == after.Hash {
		return nil
	}
	attrs := diffAttributes(kindOf(before, after), specOf(before), specOf(after))
	action := actionFor(before, after, attrs, from != "")
	if action == "" {
		return nil // the hashes differ but the specs are equal
	}
	ch := &Change{Address: addr, PreviousAddress: from, Action: action, Before: before, After: after,
		Attributes: attrs, Source: sourceOf(before, after)}
	ch.Kind, ch.Name = kindOf(before, after), nameOf(addr)
	return ch
}

// actionFor decides the action from what exists and what changed; "" means
// nothing changes.
func actionFor(before, after *state.Definition, attrs []AttributeChange, moved bool) Action {
	switch {
	case before == nil:
		return Create
	case after == nil:
		return Delete
	case forcesReplace(attrs):
		return Replace
	case len(attrs) > 0:
		return Update
	case moved:
		return MoveOnly
	}
	return ""
}

func kindOf(before, after *state.Definition) string {
	if after != nil {
		return after.Kind
	}
	return before.Kind
}

func nameOf(addr string) string {
	_, name, _ := strings.Cut(addr, ".")
	return name
}

// sourceOf is "file:line" of the desired definition, or of the stored one
// for a delete.
func sourceOf(before, after *state.Definition) string {
	d := after
	if d == nil {
		d = before
	}
	if d.SourceFile == "" {
		return ""
	}
	return fmt.Sprintf("%s:%d", d.SourceFile, d.SourceLine)
}

func hashes(defs map[string]*state.Definition) map[string]string {
	out := make(map[string]string, len(defs))
	for addr, d := range defs {
		out[addr] = d.Hash
	}
	return out
}

// checkDefinitions refuses desired definitions that Desired could not have
// made: nil, filed under another address, or without a hash.
func checkDefinitions(defs map[string]*state.Definition) error {
	var errs []error
	for addr, d := range defs {
		switch {
		case d == nil:
			errs = append(errs, fmt.Errorf("planner: desired definition %s is nil", addr))
		case d.Address() != addr:
			errs = append(errs, fmt.Errorf("planner: desired definition %s is filed under %s", d.Address(), addr))
		case d.Hash == "":
			errs = append(errs, fmt.Errorf("planner: desired definition %s has no hash", addr))
		}
	}
	slices.SortFunc(errs, func(a, b error) int { return strings.Compare(a.Error(), b.Error()) })
	return errors.Join(errs...)
}
