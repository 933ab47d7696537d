package planner

import (
	"encoding/json"

	"github.com/syncline/syncline/state"
)

// ApplyRequest turns the plan into the store's request: moves first, then
// the definitions to create, update, replace or move (as upserts), then the
// addresses to delete. Definitions come from desired (from Desired); a nil
// desired uses the plan's own After definitions, as for a saved plan.
// Changes is the plan's change list without the before and after specs.
func (p *Plan) ApplyRequest(desired map[string]*state.Definition, who string) state.ApplyRequest {
	req := state.ApplyRequest{Lineage: p.Lineage, Serial: p.Serial, Who: who, Revision: p.Revision}
	for _, c := range p.Changes {
		if c.PreviousAddress != "" {
			req.Moves = append(req.Moves, state.Move{From: c.PreviousAddress, To: c.Address})
		}
		if c.Action == Delete {
			req.Deletes = append(req.Deletes, c.Address)
			continue
		}
		d := c.After
		if desired != nil && desired[c.Address] != nil {
			d = desired[c.Address]
		}
		req.Upserts = append(req.Upserts, d)
	}
	req.Changes = changesJSON(p.Changes)
	return req
}

// ChangeList is the plan's change list as the apply history keeps it
// (ApplyRequest's Changes), for a plan that is recorded without being
// applied: a plan_only sync's.
func (p *Plan) ChangeList() json.RawMessage { return changesJSON(p.Changes) }

// changesJSON is the change list kept in the apply history: everything but
// the specs, which the store already holds.
func changesJSON(changes []Change) json.RawMessage {
	slim := make([]Change, len(changes))
	for i, c := range changes {
		c.Before, c.After = nil, nil
		slim[i] = c
	}
	data, err := json.Marshal(slim)
	if err != nil {
		return json.RawMessage("[]") // unreachable: a change holds only strings, numbers and times
	}
	return data
}
