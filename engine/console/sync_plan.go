package console

import (
	"encoding/json"
	"strings"
	"time"

	"github.com/syncline/syncline/planner"
	"github.com/syncline/syncline/state"
)

// SyncPlan is the plan an apply carried out, as the apply history keeps it
// (planner's change list without the specs): what the latest sync or
// apply changed. Sensitive values read "(sensitive value)".
type SyncPlan struct {
	Serial   int64            `json:"serial"`
	Revision string           `json:"revision,omitempty"`
	Summary  planner.Summary  `json:"summary"`
	Changes  []planner.Change `json:"changes"`
	// Unreadable is set when the history's change list could not be read
	// (written by another version); Changes is then empty.
	Unreadable string `json:"unreadable,omitempty"`
}

// planOf reads the plan of an apply record.
func planOf(a *Apply) *SyncPlan {
	return readPlan(a.Serial, a.Revision, a.Changes)
}

// PendingPlan is the plan of the newest sync that planned the followed
// branch without applying it (the plan_only policy), while the state is
// still at the serial it was made against.
type PendingPlan struct {
	SyncPlan
	Branch  string    `json:"branch"`
	FirstAt time.Time `json:"first_at"`
	LastAt  time.Time `json:"last_at"`
}

// pendingPlan is p as the console shows it, or nil when the state has
// moved past the serial p was made against (serial is the state's now).
func pendingPlan(p *state.SyncPlan, serial int64) *PendingPlan {
	if p == nil || p.Serial != serial {
		return nil
	}
	return &PendingPlan{SyncPlan: *readPlan(p.Serial, p.Revision, redactChanges(p.Changes)), Branch: p.Branch,
		FirstAt: p.FirstAt, LastAt: p.LastAt}
}

// readPlan reads a change list as an apply or a sync recorded it, with
// the summary planner would count.
func readPlan(serial int64, revision string, changes json.RawMessage) *SyncPlan {
	p := &SyncPlan{Serial: serial, Revision: revision, Changes: []planner.Change{}}
	if len(changes) == 0 {
		return p
	}
	if err := json.Unmarshal(changes, &p.Changes); err != nil {
		p.Changes, p.Unreadable = []planner.Change{}, "the change list cannot be read: "+err.Error()
		return p
	}
	for _, c := range p.Changes { // as planner counts its Summary
		switch c.Action {
		case planner.Create:
			p.Summary.Add++
		case planner.Update:
			p.Summary.Change++
		case planner.Delete:
			p.Summary.Remove++
		case planner.Replace:
			p.Summary.Add++
			p.Summary.Remove++
		}
		if c.PreviousAddress != "" {
			p.Summary.Move++
		}
	}
	return p
}

// redactChanges is an apply's change list as the console shows it: a
// notification webhook's before and after without their path and query,
// as on the task page (redactSpec). A list that cannot be read is not
// shown (nil).
func redactChanges(raw json.RawMessage) json.RawMessage {
	if len(raw) == 0 {
		return raw
	}
	var changes []planner.Change
	if err := json.Unmarshal(raw, &changes); err != nil {
		return nil
	}
	for i := range changes {
		for j, a := range changes[i].Attributes {
			if strings.HasPrefix(a.Path, "notify[") && strings.HasSuffix(a.Path, ".webhook") {
				if a.Before != "" {
					a.Before = redactURL(a.Before)
				}
				if a.After != "" {
					a.After = redactURL(a.After)
				}
				changes[i].Attributes[j] = a
			}
		}
	}
	out, err := json.Marshal(changes)
	if err != nil {
		return nil
	}
	return out
}
