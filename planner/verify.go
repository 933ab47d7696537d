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
