package planner

import (
	"fmt"

	"github.com/syncline/syncline/config"
	"github.com/syncline/syncline/state"
)

// priorView is the snapshot as seen after the moves: a stored definition
// that a moved block renames is found at its new address.
type priorView struct {
	defs      map[string]*state.Definition
	movedTo   map[string]string // new address -> old address
	movedAway map[string]bool   // old addresses
	// ignored holds notes for moves that could not apply, by old address.
	ignored map[string]string
}

// resolveMoves applies moves to the snapshot's view. A move whose From is
// not stored is ignored (it was applied before); one whose To is already
// stored, or no longer configured, is ignored with a note on From.
func resolveMoves(defs map[string]*state.Definition, desired map[string]*state.Definition, moves []Move) priorView {
	v := priorView{defs: defs, movedTo: map[string]string{}, movedAway: map[string]bool{}, ignored: map[string]string{}}
	for _, m := range moves {
		if _, stored := defs[m.From]; !stored || v.movedAway[m.From] {
			continue
		}
		switch _, taken := v.lookup(m.To); {
		case taken:
			v.ignored[m.From] = fmt.Sprintf("The moved block to %s is ignored: %s is already stored, so %s is removed instead.", m.To, m.To, m.From)
		case desired[m.To] == nil:
			v.ignored[m.From] = fmt.Sprintf("The moved block to %s is ignored: %s is not configured.", m.To, m.To)
		default:
			v.movedTo[m.To] = m.From
			v.movedAway[m.From] = true
		}
	}
	return v
}

// lookup returns the stored definition at addr after the moves.
func (v priorView) lookup(addr string) (*state.Definition, bool) {
	if from, ok := v.movedTo[addr]; ok {
		return v.defs[from], true
	}
	if v.movedAway[addr] {
		return nil, false
	}
	d, ok := v.defs[addr]
	return d, ok
}

// addresses calls fn for every stored address after the moves.
func (v priorView) addresses(fn func(addr string)) {
	for addr := range v.defs {
		if !v.movedAway[addr] {
			fn(addr)
		}
	}
	for to := range v.movedTo {
		fn(to)
	}
}

// checkMoves refuses moves that no configuration could produce: malformed
// addresses, a change of kind, a move onto itself.
func checkMoves(moves []Move) error {
	for _, m := range moves {
		from, errFrom := config.ParseAddress(m.From)
		to, errTo := config.ParseAddress(m.To)
		switch {
		case errFrom != nil:
			return fmt.Errorf("planner: move from %q: %w", m.From, errFrom)
		case errTo != nil:
			return fmt.Errorf("planner: move to %q: %w", m.To, errTo)
		case from.Kind != to.Kind || from == to:
			return fmt.Errorf("planner: cannot move %s to %s", m.From, m.To)
		}
	}
	return nil
}
