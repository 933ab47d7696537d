package synchronization

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"time"

	"github.com/syncline/syncline/config"
	"github.com/syncline/syncline/engine/connector"
	"github.com/syncline/syncline/state"
)

// executor performs pending operations on resources and records the
// outcome on their shadows.
type executor struct {
	w *world
	// errs counts failed operations against the activity's error policy
	// (nil: no policy); stop is the policy's stop, once met.
	errs *errorCounter
	stop error
	// down holds resources found unreachable in this pass: their
	// operations stay pending without another try until the next pass.
	down map[string]error
	// completed counts shadows whose every operation is done.
	completed int64
	// intents are what the passes that queued the operations about to
	// be carried out knew of them (see expect).
	intents intents
	// keys learns the new keys of renamed shadows: the pass's (nil: none).
	keys *absentKeys

	// async lets full write batches fly (flight.go): set in the main stage
	// of an import or reconciliation. flying is the flight under way;
	// landed are the outcomes of flights not stored yet, storing those
	// stored in the pass's transaction under way; unsettled holds the
	// shadows of all three.
	async     bool
	flying    *flight
	landed    []*outcome
	storing   []*outcome
	unsettled map[int64]bool

	// durable makes the commits that queued the operations durable before
	// a write batch is sent (RepositorySession.Sync of a session that
	// defers its commits' sync; nil: every commit is durable). syncErr is
	// its failure: nothing more is sent, and the pass fails with it.
	durable func() error
	syncErr error

	// holdMax is the largest write batch: the most shadows held before
	// a flush, and chunk the most run at once (at least minChunk);
	// flushAfter is the shortest flush interval. held are the shadows
	// waiting for their batch (hold), as the pass stored them, recorded
	// by heldRec, the first of them held at heldSince.
	holdMax    int
	chunk      int
	flushAfter time.Duration
	held       []*state.Shadow
	heldAt     map[int64]int // index in held, by ID
	heldRec    Recorder
	heldSince  time.Time
}

func newExecutor(w *world, errs *errorCounter) *executor {
	x := &executor{w: w, errs: errs, down: map[string]error{}}
	x.holdMax, x.flushAfter = writeBatches(w.cfg)
	x.chunk = max(x.holdMax, minChunk)
	return x
}

// minChunk is the fewest shadows run and stored at once.
const minChunk = 500

// Retry backoff for failed operations.
const (
	retryBase = time.Minute
	retryMax  = time.Hour
)

// runShadows executes the pending operations of shs that are due at now
// (all of them when force is set), then stores the shadows; it returns
// the error policy's stop once failures reach it. The operations go to the
// resources in rounds: the first due operation of every shadow, grouped
// by resource into write batches (send), then the next operation of the
// shadows whose first was done, and so on; a shadow stops at its first
// operation that fails, as it would one at a time.
func (x *executor) runShadows(ctx context.Context, rec Recorder, all []*state.Shadow, now time.Time, force bool) error {
	return x.runSteps(ctx, rec, x.begin(all), now, force)
}

// runSteps is runShadows for shadows begun (begin), chunk at a time.
func (x *executor) runSteps(ctx context.Context, rec Recorder, all []*step, now time.Time, force bool) error {
	for steps := range slices.Chunk(all, x.chunk) {
		x.rounds(ctx, rec, steps, now, force)
		o := x.outcome(steps)
		if len(o.changed) == 0 {
			continue
		}
		// What was done on the resources is stored even when the run is
		// being cancelled: the shadows, the statistics and the run's
		// changes then agree with the resources.
		err := x.w.job.Store.RepositoryWrite(context.WithoutCancel(ctx), func(r *state.RepositoryTx) error {
			return x.store(r, o)
		})
		if err != nil {
			return err
		}
	}
	if err := ctx.Err(); err != nil {
		return err
	}
	return x.stop
}

// rounds sends the due operations of steps, round after round, until
// none is left, the error policy stops or the context ends.
func (x *executor) rounds(ctx context.Context, rec Recorder, steps []*step, now time.Time, force bool) {
	for ctx.Err() == nil && x.stop == nil {
		round := x.next(rec, steps, now, force)
		if len(round) == 0 {
			return
		}
		x.send(ctx, rec, round, now)
	}
}

// outcome is what carrying out the operations of some shadows (ids)
// changed: the shadows to store — of them, those whose queue and hash
// alone changed (queues, by ID) —, the run changes to record with the
// owners that name some of them (change index → owner), and the shadows
// renamed.
type outcome struct {
	ids     []int64
	changed []*state.Shadow
	queues  map[int64]bool
	changes []state.RunChange
	owners  map[int]int64
	renamed map[int64]bool
}

// outcome collects what the rounds did to steps.
func (x *executor) outcome(steps []*step) *outcome {
	o := &outcome{ids: make([]int64, len(steps)), owners: map[int]int64{}}
	for i, s := range steps {
		sh := s.sh
		o.ids[i] = sh.ID
		if len(sh.Pending) == 0 {
			if sh.Pending != nil || s.changed {
				x.completed++
			}
			sh.Pending = nil
		}
		if s.changed {
			o.changed = append(o.changed, sh)
			if s.queueOnly() && !x.w.job.wholeOutcomes {
				if o.queues == nil {
					o.queues = map[int64]bool{}
				}
				o.queues[sh.ID] = true
			}
		}
		if s.renamed {
			if o.renamed == nil {
				o.renamed = map[int64]bool{}
			}
			o.renamed[sh.ID] = true
		}
		for _, c := range s.changes {
			if c.User == "" && sh.Owner != 0 {
				o.owners[len(o.changes)] = sh.Owner
			}
			o.changes = append(o.changes, c)
		}
	}
	return o
}

// store stores the shadows changed by carrying out their operations —
// what the operations changed, many shadows to a statement (only the
// queue and the hash of a shadow whose other columns are as stored: a
// create carried out as queued); a renamed shadow whole, after the
// shadow that held its new key, if another, is removed (freeKey) — and
// records the run changes.
func (x *executor) store(r *state.RepositoryTx, o *outcome) error {
	var renamed, queues []*state.Shadow
	outcomes := o.changed
	if len(o.renamed) > 0 || len(o.queues) > 0 {
		outcomes = make([]*state.Shadow, 0, len(o.changed)-len(o.queues))
		queues = make([]*state.Shadow, 0, len(o.queues))
		for _, sh := range o.changed {
			switch {
			case o.renamed[sh.ID]:
				renamed = append(renamed, sh)
			case o.queues[sh.ID]:
				queues = append(queues, sh)
			default:
				outcomes = append(outcomes, sh)
			}
		}
	}
	if err := r.PutShadowOutcomes(outcomes); err != nil {
		return err
	}
	if len(queues) > 0 {
		if err := r.PutShadowQueues(queues); err != nil {
			return err
		}
	}
	for _, sh := range renamed {
		if err := freeKey(r, sh); err != nil {
			return err
		}
		if err := r.PutShadow(sh); err != nil {
			return err
		}
	}
	return x.record(r, o.changes, o.owners)
}

// step is one shadow's way through the executor's rounds.
type step struct {
	sh      *state.Shadow
	it      intent
	changed bool
	renamed bool // a rename was carried out
	changes []state.RunChange
	// over is set once the shadow has nothing more to send in this pass:
	// every operation done, one failed, or the next one not due.
	over bool
	// p is the operation of this round (sh.Pending[0]); op is p with its
	// write-only values; lost names the write-only values no one kept.
	p    *state.PendingOperation
	op   *state.PendingOperation
	lost []string
	// was holds the columns of the shadow's row that PutShadowQueues
	// leaves alone, as they were when the step began; rewritten is set
	// once its attributes may have been changed in place.
	was       rowColumns
	rewritten bool
}

// rowColumns are the columns of a shadow's row an outcome may change
// beside its hash and queue.
type rowColumns struct {
	attrs     map[string][]string
	owner     int64
	situation string
	dead      bool
}

// columnsOf are sh's rowColumns; its attributes are kept, not copied.
func columnsOf(sh *state.Shadow) rowColumns {
	return rowColumns{attrs: sh.Attributes, owner: sh.Owner, situation: sh.Situation, dead: sh.Dead}
}

// queueOnly reports whether carrying out s's operations changed nothing
// of its shadow but the queue and the hash: every other column of the
// outcome is as the row holds it (see PutShadowQueues).
func (s *step) queueOnly() bool {
	now := columnsOf(s.sh)
	return !s.rewritten && !s.renamed && now.owner == s.was.owner && now.situation == s.was.situation &&
		now.dead == s.was.dead && sameAttributes(now.attrs, s.was.attrs)
}

// sameAttributes reports whether a and b are stored alike: the same
// names, each with the same values (a null array is not an empty one).
func sameAttributes(a, b map[string][]string) bool {
	if len(a) != len(b) {
		return false
	}
	for name, av := range a {
		bv, ok := b[name]
		if !ok || (av == nil) != (bv == nil) || !slices.Equal(av, bv) {
			return false
		}
	}
	return true
}

// begin prepares the shadows for the rounds: the intent of their
// operations, and their queue merged.
func (x *executor) begin(shs []*state.Shadow) []*step {
	steps := make([]*step, len(shs))
	for i, sh := range shs {
		it, known := x.take(sh.ID)
		if !known {
			it.activity = x.w.job.Activity.Name
			it.rt, _ = x.w.resourceType(sh.Resource, sh.Kind, sh.Intent)
		}
		was := columnsOf(sh)
		cancelled := forgetNeverCreated(sh)
		ops := mergeOps(sh.Pending)
		steps[i] = &step{sh: sh, it: it, changed: cancelled || len(ops) != len(sh.Pending), was: was}
		sh.Pending = ops
	}
	return steps
}

// next returns the steps with an operation to send in the next round,
// each with its p and op set. Operations older than pending_retention are
// given up on the way. It stops early when the error policy stops.
func (x *executor) next(rec Recorder, steps []*step, now time.Time, force bool) []*step {
	var round []*step
	for _, s := range steps {
		if x.stop != nil {
			break
		}
		s.p, s.op, s.lost = nil, nil, nil
		if s.over {
			continue
		}
		if p, ok := x.due(rec, s, now, force); ok {
			s.p = p
			s.op, s.lost = withSecrets(p, s.it)
			round = append(round, s)
		}
	}
	return round
}

// due returns s's next operation when it is due, giving up the expired
// ones before it; otherwise s is over.
func (x *executor) due(rec Recorder, s *step, now time.Time, force bool) (*state.PendingOperation, bool) {
	sh := s.sh
	for len(sh.Pending) > 0 {
		p := &sh.Pending[0]
		if x.expired(rec, sh, p, now) {
			sh.Pending = sh.Pending[1:]
			sh.Hash = "" // the object is not what the shadow says: look again
			s.changed = true
			continue
		}
		if !force && p.NextAttemptAt.After(now) {
			if _, reported := x.w.failedNow.Load(sh.ID); p.Attempts > 0 && len(sh.Pending) > 1 && !reported {
				// What was queued after a failing operation waits for it:
				// the object stays out of step, and the run says so.
				x.itemError(rec, fmt.Sprintf("%s/%s", sh.Resource, sh.Identifier),
					fmt.Errorf("%s waits: the %s before it failed %d %s (%s); the next attempt is at %s, or run a reconciliation",
						sh.Pending[len(sh.Pending)-1].Op, p.Op, p.Attempts, plural(p.Attempts, "time"), p.LastError, p.NextAttemptAt.UTC().Format(time.RFC3339)))
			}
			break
		}
		return p, true
	}
	s.over = true
	return nil, false
}

// settle records the outcome of s's operation of this round: done, or
// failed with err (the shadow then sends nothing more in this pass).
func (x *executor) settle(rec Recorder, s *step, err error, now time.Time) {
	sh, p := s.sh, s.p
	s.changed = true
	s.changes = append(s.changes, x.w.keep(rec, 1, func() []state.RunChange {
		return []state.RunChange{carriedOut(sh, p, s.it, err)}
	})...)
	if err != nil {
		x.failed(rec, sh, p, err, now)
		s.over = true
		return
	}
	x.done(rec, sh, p)
	s.renamed = s.renamed || p.Op == state.OpRename
	for _, name := range s.lost {
		// Written without its value, which no one kept: the object is
		// not in step, and the next decision finds the value missing
		// and writes it.
		delete(sh.Attributes, name)
		sh.Hash = ""
		s.rewritten = true
	}
	sh.Pending = sh.Pending[1:]
}

// record stores the run changes of carried-out operations with the run;
// owners maps the changes of operations an earlier run queued to the
// owner they are named by.
func (x *executor) record(r *state.RepositoryTx, changes []state.RunChange, owners map[int]int64) error {
	if len(changes) == 0 || x.w.job.RunID == 0 {
		return nil
	}
	names := map[int64]string{}
	for i, owner := range owners {
		name, ok := names[owner]
		if !ok {
			u, err := r.UserByID(owner)
			if err != nil {
				return err
			}
			if u != nil {
				name = u.Name
			}
			names[owner] = name
		}
		changes[i].User = name
	}
	return r.AddRunChanges(x.w.job.RunID, changes)
}

// freeKey removes the shadow that holds sh's key when it is another one:
// sh was renamed on the resource, which had no object under the new
// identifier, so the other shadow stood for an object that is gone.
func freeKey(r *state.RepositoryTx, sh *state.Shadow) error {
	if sh.ID == 0 {
		return nil
	}
	other, err := r.ShadowByKey(sh.Resource, sh.Kind, sh.Intent, sh.Key)
	if err != nil || other == nil || other.ID == sh.ID {
		return err
	}
	return r.DeleteShadow(other.ID)
}

// expired reports, and records as the object's error, an operation older
// than its resource's pending_retention: it is given up.
func (x *executor) expired(rec Recorder, sh *state.Shadow, p *state.PendingOperation, now time.Time) bool {
	res := x.w.cfg.Resources[sh.Resource]
	if res == nil || res.PendingRetention <= 0 || now.Sub(p.QueuedAt) <= res.PendingRetention {
		return false
	}
	x.itemError(rec, fmt.Sprintf("%s/%s", sh.Resource, sh.Identifier),
		fmt.Errorf("%s given up: pending since %s, longer than pending_retention (%s); last error: %s",
			p.Op, p.QueuedAt.UTC().Format(time.RFC3339), res.PendingRetention, p.LastError))
	rec.AddStatistic("operations.expired", 1)
	return true
}

// align updates the existing object of sh to have attrs. The identifier
// is left as the resource spells it: the resource matched it to ours.
func (x *executor) align(ctx context.Context, conn connector.Connector, sh *state.Shadow, attrs connector.Attributes) error {
	id := sh.Identifier
	obj, err := conn.Get(ctx, id)
	if err != nil {
		return err
	}
	idAttr := ""
	if rt, err := x.w.resourceType(sh.Resource, sh.Kind, sh.Intent); err == nil {
		idAttr = rt.idAttr
	}
	var mods []connector.Modification
	for _, name := range attrs.Names() {
		if name != idAttr && !slices.Equal(obj.Attributes[name], attrs[name]) {
			mods = append(mods, connector.Replace(name, attrs[name]...))
		}
	}
	if len(mods) == 0 {
		return nil
	}
	return conn.Update(ctx, id, mods)
}

// done records a performed operation on sh: operations.OP counts what
// the executor did, accounts.OP (modify for an update) the same as the
// run's change.
func (x *executor) done(rec Recorder, sh *state.Shadow, p *state.PendingOperation) {
	if isMemberOp(p.Op) {
		memberDone(rec, p)
		return
	}
	rec.AddStatistic("operations."+p.Op, 1)
	rec.AddStatistic("accounts."+opName(p.Op), 1)
	rt, _ := x.w.resourceType(sh.Resource, sh.Kind, sh.Intent) // nil: a type no longer configured
	switch p.Op {
	case state.OpDelete:
		sh.Dead, sh.Owner, sh.Situation = true, 0, "deleted"
		sh.Attributes = nil
	case state.OpCreate:
		sh.Attributes = rt.cached(p.Attributes)
	case state.OpRename:
		sh.Identifier, sh.Key = p.Identifier, p.Key
		x.keys.taken(rt, p.Key)
		if rt != nil && rt.idAttr != "" {
			merged := connector.Attributes(sh.Attributes).Clone()
			merged[rt.idAttr] = []string{p.Identifier}
			sh.Attributes = merged
		}
	default:
		merged := connector.Attributes(sh.Attributes).Clone()
		for k, vs := range rt.cached(p.Attributes) {
			merged[k] = vs
		}
		sh.Attributes = merged
	}
	if len(sh.Pending) == 1 && !sh.Dead {
		sh.Hash = hashText(attributesHash(rt.readable(sh.Attributes)))
	}
}

// failed records a failed operation: kept pending with a later next
// attempt, or dropped when its object is gone.
func (x *executor) failed(rec Recorder, sh *state.Shadow, p *state.PendingOperation, err error, now time.Time) {
	x.w.failedNow.Store(sh.ID, true)
	x.itemError(rec, fmt.Sprintf("%s/%s", sh.Resource, sh.Identifier), fmt.Errorf("%s: %w", p.Op, err))
	if isMemberOp(p.Op) {
		rec.AddStatistic("memberships.failed", 1)
	} else {
		rec.AddStatistic("accounts.failed", 1)
	}
	if errors.Is(err, connector.ErrUnreachable) {
		x.down[sh.Resource] = err
	}
	if errors.Is(err, connector.ErrNotFound) {
		// The object is gone: the operation cannot succeed. A
		// reconciliation finds the object's situation.
		sh.Pending = sh.Pending[1:]
		sh.Hash = ""
		return
	}
	p.Attempts++
	p.LastError = err.Error()
	backoff := retryBase << min(p.Attempts-1, 6)
	p.NextAttemptAt = now.Add(min(backoff, retryMax))
	rec.AddStatistic("operations.pending", 1)
}

// itemError records a failed operation and counts it against the error
// policy.
func (x *executor) itemError(rec Recorder, item string, err error) {
	rec.AddItemError(item, CategoryResource, err)
	if x.errs == nil {
		return
	}
	if stop := x.errs.add(); stop != nil && x.stop == nil {
		x.stop = stop
	}
}

// mergeOps merges queued operations on one object: later updates fold
// into an earlier create or update; a delete ends everything before it
// (and a create followed by a delete is no operation at all).
func mergeOps(ops []state.PendingOperation) []state.PendingOperation {
	if len(ops) < 2 {
		return ops
	}
	var out []state.PendingOperation
	for _, p := range ops {
		n := len(out)
		switch {
		case n > 0 && p.Op == state.OpDelete && neverCreated(out) >= 0:
			out = out[:neverCreated(out)]
		case n > 0 && p.Op == state.OpDelete:
			out = append(memberRemovals(out), p)
		case n > 0 && (p.Op == state.OpUpdate || p.Op == state.OpDisable) && out[n-1].Op != state.OpDelete && out[n-1].Op != state.OpRename && !isMemberOp(out[n-1].Op):
			last := &out[n-1]
			merged := connector.Attributes(last.Attributes).Clone()
			for k, vs := range p.Attributes {
				merged[k] = vs
			}
			last.Attributes = merged
		default:
			out = append(out, p)
		}
	}
	return out
}

// cancelsOut reports whether a delete queued on sh would cancel its
// queued operations out — a create never tried: the object never
// existed, so nothing is deleted (and no deletion counts against a
// threshold).
func cancelsOut(sh *state.Shadow) bool {
	if sh == nil || len(sh.Pending) == 0 {
		return false
	}
	return len(mergeOps(append(slices.Clone(sh.Pending), state.PendingOperation{Op: state.OpDelete}))) == 0
}

// forgetNeverCreated ends sh when its queued operations cancel out to
// nothing — a create never tried, then a delete — and reports whether it
// did. The object never existed on the resource, so its shadow is dead
// and unlinked at once; left live and linked, a later recompute or
// reconciliation would "delete" an account that never existed.
func forgetNeverCreated(sh *state.Shadow) bool {
	if len(sh.Pending) == 0 || len(mergeOps(sh.Pending)) > 0 {
		return false
	}
	sh.Pending = nil
	sh.Dead, sh.Owner, sh.Situation = true, 0, string(config.SituationDeleted)
	sh.Attributes, sh.Hash = nil, ""
	return true
}

func replaceMods(attrs connector.Attributes) []connector.Modification {
	mods := make([]connector.Modification, 0, len(attrs))
	for _, name := range attrs.Names() {
		mods = append(mods, connector.Replace(name, attrs[name]...))
	}
	return mods
}

// plural is word, with an s unless n is 1.
func plural(n int, word string) string {
	if n == 1 {
		return word
	}
	return word + "s"
}
