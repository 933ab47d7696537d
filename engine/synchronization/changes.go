package synchronization

import (
	"sync"

	"github.com/syncline/syncline/config"
	"github.com/syncline/syncline/engine/connector"
	"github.com/syncline/syncline/state"
)

// keep returns the n changes build makes, to record with the run: all
// of them in preview, the first MaxChanges of the job in full mode, none
// without a run; what is left out is counted in changes.not_recorded.
// build is called only when something may be kept: past the limit, a run
// of a million objects builds no change it would throw away.
func (w *world) keep(rec Recorder, n int, build func() []state.RunChange) []state.RunChange {
	if w.job.RunID == 0 || n == 0 {
		return nil
	}
	limit := int64(w.job.maxChanges())
	if limit >= 0 && w.kept.Load() >= limit {
		rec.AddStatistic("changes.not_recorded", int64(n))
		return nil
	}
	changes := build()
	if len(changes) == 0 {
		return nil
	}
	total := w.kept.Add(int64(len(changes)))
	if limit < 0 || total <= limit {
		return changes
	}
	over := min(total-limit, int64(len(changes)))
	rec.AddStatistic("changes.not_recorded", over)
	return changes[:int64(len(changes))-over]
}

// queued counts e's operations on resources with a grouping_interval:
// they wait on their shadows for a propagation to carry them out.
func (e *effects) queued() int64 {
	var n int64
	for _, a := range e.accounts {
		if a.queues() && a.rt.res.GroupingInterval > 0 && !(a.op == state.OpDelete && cancelsOut(a.shadow)) {
			n++
		}
	}
	return n
}

// intent is what the pass that queued an operation knew of it and the
// executor does not: the user it is for, the situation that led to it,
// and the values the operation replaces.
type intent struct {
	activity, user string
	situation      config.Situation
	before         connector.Attributes
	rt             *resourceType // nil: not known (mask then does nothing)
	// secrets are the write-only values of the operations, which the
	// queue holds only as fingerprints.
	secrets connector.Attributes
}

// intents holds the intent of the operations a pass queued and the
// executor is about to carry out, by shadow.
type intents struct {
	mu sync.Mutex
	m  map[int64]intent
}

// expect remembers, for the executor, the intent of e's operations on
// the shadows due now (those of stored marked due: the shadows the
// executor is given next).
func (x *executor) expect(e *effects, stored []storedShadow) {
	if dueCount(stored) == 0 || x.w.job.RunID == 0 {
		return
	}
	user := ""
	if e.user != nil {
		user = e.user.Name
	}
	x.intents.mu.Lock()
	defer x.intents.mu.Unlock()
	if x.intents.m == nil {
		x.intents.m = map[int64]intent{}
	}
	for _, a := range e.accounts {
		if a.queues() && a.rt.res.GroupingInterval == 0 {
			it := intent{activity: x.w.job.Activity.Name, user: user, situation: e.situation, before: a.before, rt: a.rt}
			for name := range a.rt.writeOnly {
				if vs, ok := a.attrs[name]; ok {
					if it.secrets == nil {
						it.secrets = connector.Attributes{}
					}
					it.secrets[name] = vs
				}
			}
			if prev, ok := x.intents.m[a.shadow.ID]; ok {
				// Two steps queued on the shadow before it was carried
				// out: its queue merges them, and so does the intent —
				// the values before the first, every secret.
				it.before, it.situation = prev.before, prev.situation
				for name, vs := range prev.secrets {
					if _, ok := it.secrets[name]; !ok {
						if it.secrets == nil {
							it.secrets = connector.Attributes{}
						}
						it.secrets[name] = vs
					}
				}
			}
			x.intents.m[a.shadow.ID] = it
		}
	}
}

// take returns and forgets the intent of the operations on shadow id.
func (x *executor) take(id int64) (intent, bool) {
	x.intents.mu.Lock()
	defer x.intents.mu.Unlock()
	it, ok := x.intents.m[id]
	delete(x.intents.m, id)
	return it, ok
}

// carriedOut is the run change of operation p on sh once it was carried
// out (err nil) or failed with err. The user is the one the pass that
// queued it named; for an operation queued by an earlier run it is found
// by the shadow's owner when the change is stored (ownerName).
func carriedOut(sh *state.Shadow, p *state.PendingOperation, it intent, err error) state.RunChange {
	if isMemberOp(p.Op) {
		return memberCarriedOut(sh, p, it, err)
	}
	c := state.RunChange{Activity: it.activity, Object: "account", Op: opName(p.Op), User: it.user,
		Resource: sh.Resource, Kind: sh.Kind, Intent: sh.Intent, Identifier: sh.Identifier, Situation: string(it.situation)}
	switch p.Op {
	case state.OpRename:
		c.NewIdentifier = p.Identifier
	case state.OpDelete:
	default:
		c.Attributes = it.rt.mask(attributeChanges(it.before, p.Attributes))
	}
	if err != nil {
		c.Error = err.Error()
	}
	return c
}
