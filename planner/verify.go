package planner

import (
	"fmt"
	"slices"
	"strings"

	"github.com/syncline/syncline/state"
)

// StaleError says a saved plan no longer matches the configuration it is
// applied with: a definition was edited, added or removed, or a secret
// changed, since the plan was made.
type StaleError struct {
	Addresses []string // addresses whose desired hash differs, sorted
}

func (e *StaleError) Error() string {
	shown := e.Addresses
	more := ""
	if len(shown) > 5 {
		shown, more = shown[:5], fmt.Sprintf(" and %d more", len(e.Addresses)-5)
	}
	return fmt.Sprintf("the plan is stale: the configuration changed since it was made (%s%s); make a new plan",
		strings.Join(shown, ", "), more)
}

// Verify checks that desired, computed from the configuration and secrets
// at apply time, has exactly the hashes the plan was made from. Apply calls
// it with a saved plan: a changed file or secret makes the plan stale.
func (p *Plan) Verify(desired map[string]*state.Definition) error {
	var stale []string
	for addr, d := range desired {
		if h, ok := p.Desired[addr]; !ok || h != d.Hash {
			stale = append(stale, addr)
		}
	}
	for addr := range p.Desired {
		if _, ok := desired[addr]; !ok {
			stale = append(stale, addr)
		}
	}
	if len(stale) == 0 {
		return nil
	}
	slices.Sort(stale)
	return &StaleError{Addresses: stale}
}

// ForgedError says a saved plan's changes are not what its configuration
// and the state give now: apply recomputed the plan and found another
// change list, so the file was edited or made by something other than
// syncline plan.
type ForgedError struct {
	Detail string // the first difference, as "task.a: the plan file says delete, recomputed: no change"
}

func (e *ForgedError) Error() string {
	return "the plan file's changes are not those its configuration gives against this state (" + e.Detail +
		"); it was edited or not made by syncline plan; make a new plan"
}

// SameChanges checks that recomputed — Compute run again at apply time on
// the configuration and state a saved plan was verified against — has
// exactly the saved plan's changes: the same addresses, actions, moves,
// definitions and attribute changes. Next-run previews, notes and source
// positions are not compared: they depend on the clock and on layout.
func (p *Plan) SameChanges(recomputed *Plan) error {
	saved := changesByAddress(p.Changes)
	again := changesByAddress(recomputed.Changes)
	for _, addr := range sortedUnion(saved, again) {
		if d := changeDifference(saved[addr], again[addr]); d != "" {
			return &ForgedError{Detail: fmt.Sprintf("%q: %s", addr, d)}
		}
	}
	if len(recomputed.Errors) > 0 {
		return &ForgedError{Detail: "recomputed, the plan has errors: " + strings.Join(recomputed.Errors, "; ")}
	}
	return nil
}

func changesByAddress(changes []Change) map[string]*Change {
	out := make(map[string]*Change, len(changes))
	for i := range changes {
		out[changes[i].Address] = &changes[i]
	}
	return out
}

func sortedUnion(a, b map[string]*Change) []string {
	keys := make([]string, 0, len(a)+len(b))
	for k := range a {
		keys = append(keys, k)
	}
	for k := range b {
		if _, ok := a[k]; !ok {
			keys = append(keys, k)
		}
	}
	slices.Sort(keys)
	return keys
}

// changeDifference describes how saved differs from recomputed, or "".
// What the file says is quoted: it may be anything.
func changeDifference(saved, recomputed *Change) string {
	switch {
	case saved == nil:
		return fmt.Sprintf("the plan file has no change, recomputed: %s", recomputed.Action)
	case recomputed == nil:
		return fmt.Sprintf("the plan file says %q, recomputed: no change", string(saved.Action))
	case saved.Action != recomputed.Action:
		return fmt.Sprintf("the plan file says %q, recomputed: %s", string(saved.Action), recomputed.Action)
	case saved.PreviousAddress != recomputed.PreviousAddress || saved.Kind != recomputed.Kind || saved.Name != recomputed.Name:
		return "the plan file names another definition"
	case definitionHash(saved.After) != definitionHash(recomputed.After):
		return "the plan file stores another definition"
	case definitionHash(saved.Before) != definitionHash(recomputed.Before):
		return "the plan file replaces another definition"
	case !slices.Equal(saved.Attributes, recomputed.Attributes):
		return "the plan file shows other attribute changes"
	}
	return ""
}

func definitionHash(d *state.Definition) string {
	if d == nil {
		return ""
	}
	return d.Hash + "\x00" + SpecHash(d.Spec)
}
