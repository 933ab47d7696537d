package synchronization

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"sync"
	"sync/atomic"

	"github.com/syncline/syncline/config"
	"github.com/syncline/syncline/engine/connector"
	"github.com/syncline/syncline/state"
	"golang.org/x/sync/errgroup"
)

// pass synchronizes the objects of one object type of one resource. Its
// stages share what the first one learned: which shadows it saw, and
// whether the search saw every object.
type pass struct {
	job    *Job
	w      *world
	rt     *resourceType
	conn   connector.Connector
	idx    *shadowIndex
	safety *safety
	errs   *errorCounter
	x      *executor // performs the operations the pass queues
	// committing, when set, runs in each batch's transaction after its
	// items, told whether a policy stop ended the batch early: live
	// synchronization moves its token there.
	committing func(r *state.RepositoryTx, stopped bool) error

	// stop holds the first policy stop met while reading or preparing:
	// reading stops, and what was prepared before it is still committed.
	stopOnce sync.Once
	stopErr  error
	stopped  atomic.Bool
	halt     func()
	// complete is set when resource_objects read every object without a
	// filter, a limit or an unreadable object: a shadow it did not see
	// is then certainly gone.
	complete bool
	// streamed counts what the search streamed: objects and unreadable
	// ones.
	streamed atomic.Int64
	// members, on an account type with associations, puts the account's
	// memberships in its hash (memberships.go).
	members *memberHash
	// bucket, when set, is the one bucket of a bucketed activity this
	// pass synchronizes: it keeps only the objects whose identifiers hash
	// into it (buckets.go).
	bucket *bucketOf
	// bucketed is set when resource_objects ran in buckets: nothing was
	// seen by this pass, so remaining_shadows reads the identifiers first.
	bucketed bool
	// keys, in full mode from resource_objects on, answers for the types
	// the pass provisions which keys no shadow has (absent_keys.go).
	keys *absentKeys
}

func newPass(ctx context.Context, job *Job, w *world) (*pass, error) {
	a := job.Activity
	if a.Resource == nil {
		return nil, fmt.Errorf("the %s activity names no resource", a.Type)
	}
	rt, err := w.resourceType(a.Resource.Name, a.Kind, a.Intent)
	if err != nil {
		return nil, err
	}
	conn, err := w.conn(ctx, rt.res.Name)
	if err != nil {
		return nil, err
	}
	if conn, err = objectsOf(conn, rt); err != nil { // an entitlement's groups
		return nil, err
	}
	return newPassFor(job, w, rt, conn), nil
}

func newPassFor(job *Job, w *world, rt *resourceType, conn connector.Connector) *pass {
	s := newSafety(job.Activity)
	errs := &errorCounter{s: s}
	return &pass{job: job, w: w, rt: rt, conn: conn, safety: s, errs: errs, x: newExecutor(w, errs)}
}

// itemError records an object's error and says whether to stop.
func (p *pass) itemError(rec Recorder, id string, err error) error {
	cat := CategoryObject
	var oe *objectError
	if errors.As(err, &oe) {
		cat = oe.category
	}
	rec.AddItemError(id, cat, err)
	return p.errs.add()
}

// resourceObjects reads every object of the type (or the filtered,
// limited subset) and synchronizes each one that changed.
func (p *pass) resourceObjects(ctx context.Context, rec Recorder) error {
	var err error
	if p.idx, err = loadIndexOf(ctx, p.job.Store, p.rt, p.bucket.keeps); err != nil {
		return err
	}
	if err := p.loadMemberships(ctx); err != nil {
		return err
	}
	if p.job.Mode == config.ModeFull {
		p.keys = newAbsentKeys()
		p.x.keys = p.keys
	}
	est := p.estimate(ctx, rec)
	a := p.job.Activity
	g, gctx := errgroup.WithContext(ctx)
	readCtx, stopReading := context.WithCancel(gctx)
	defer stopReading()
	p.halt = stopReading
	objs := make(chan connector.Object, 512)
	items := make(chan *item, 512)
	var unreadable atomic.Int64
	g.Go(func() error {
		defer close(objs)
		return p.read(readCtx, rec, objs, &unreadable)
	})
	var workers sync.WaitGroup
	var taken atomic.Int64
	om := newObjectMappings(p.w, p.rt)
	for range max(a.Threads, 1) {
		workers.Add(1)
		g.Go(func() error {
			defer workers.Done()
			return p.work(gctx, rec, om, objs, items, &taken, stopReading)
		})
	}
	go func() { workers.Wait(); close(items) }()
	g.Go(func() error { return p.commitAll(gctx, rec, items) })
	err = g.Wait()
	if ferr := p.x.flush(ctx, p.job.now()); err == nil {
		err = ferr
	}
	est.settle(rec, err == nil && ctx.Err() == nil && p.stopErr == nil && a.MaxItems == 0, p.streamed.Load())
	if err != nil {
		return err
	}
	if p.stopErr != nil {
		return p.stopErr
	}
	p.complete = a.Filter == nil && a.MaxItems == 0 && unreadable.Load() == 0
	return nil
}

// stop records a policy stop met before committing and stops reading.
func (p *pass) stop(err error) {
	p.stopOnce.Do(func() {
		p.stopErr = err
		p.stopped.Store(true)
	})
	p.halt()
}

// read streams the resource's objects to objs. An unreadable object is
// that object's error; anything else ends the pass.
func (p *pass) read(ctx context.Context, rec Recorder, objs chan<- connector.Object, unreadable *atomic.Int64) error {
	for obj, err := range p.conn.Search(ctx, connector.Query{ObjectClass: p.rt.ot.ObjectClass}) {
		if !p.inBucket(obj, err) {
			continue
		}
		p.streamed.Add(1)
		if err != nil {
			if ctx.Err() != nil {
				return nil // stopped: max_items reached, or another goroutine failed
			}
			if !connector.IsObjectError(err) {
				return err
			}
			unreadable.Add(1)
			if stop := p.itemError(rec, objectName(err), objErr(CategoryObject, err)); stop != nil {
				p.stop(stop)
				return nil
			}
			continue
		}
		select {
		case objs <- obj:
		case <-ctx.Done():
			return nil
		}
	}
	return nil
}

func objectName(err error) string {
	var ce *connector.Error
	if errors.As(err, &ce) {
		switch {
		case ce.Object != "":
			return ce.Object
		case ce.Line > 0:
			return fmt.Sprintf("line %d", ce.Line)
		}
	}
	return ""
}

// work prepares objects: filter, hash, and the inbound and correlation
// values of objects that changed.
func (p *pass) work(ctx context.Context, rec Recorder, om *objectMappings, objs <-chan connector.Object, items chan<- *item,
	taken *atomic.Int64, stopReading func()) error {
	var t tally
	defer t.flush(rec)
	maxItems := int64(p.job.Activity.MaxItems)
	for obj := range objs {
		if p.stopped.Load() {
			continue // drain: the reader is stopping
		}
		it, err := p.prepare(om, obj, &t)
		if err != nil {
			if stop := p.itemError(rec, obj.ID, err); stop != nil {
				p.stop(stop)
				continue
			}
			t.tick(rec)
			continue
		}
		if it == nil {
			t.tick(rec)
			continue
		}
		if maxItems > 0 && taken.Add(1) > maxItems {
			stopReading()
			continue
		}
		if it.unchanged {
			t.success++
			t.stat("unchanged")
			t.stat("situation." + string(config.SituationLinked))
			t.tick(rec)
			continue
		}
		select {
		case items <- it:
		case <-ctx.Done():
			return nil
		}
	}
	return nil
}

// prepare returns nil for an object the filter leaves out.
func (p *pass) prepare(om *objectMappings, obj connector.Object, t *tally) (*item, error) {
	key := connector.MatchKey(p.conn, obj.ID)
	hash := p.objectHash(obj)
	e := p.idx.see(key)
	o := om.object(obj, p.idx.situation(e))
	if f := p.job.Activity.Filter; f != nil {
		ok, err := evalBool("filter", f, o.ctx())
		if err != nil {
			return nil, objErr(CategoryMapping, err)
		}
		if !ok {
			t.skipped++
			return nil, nil
		}
	}
	it := &item{obj: obj, key: key, known: e != nil}
	if p.idx.unchanged(e, hash, p.rt.mappingHash) {
		it.unchanged = true
		return it, nil
	}
	it.hash = hashText(hash)
	var err error
	if it.corr, err = evalCorrelation(o); err != nil {
		return nil, objErr(CategoryCorrelation, err)
	}
	if p.job.Mode == config.ModeDryRun {
		return it, nil
	}
	if it.in, err = evalInbound(o); err != nil {
		return nil, objErr(CategoryMapping, err)
	}
	if p.job.Mode == config.ModeFull {
		p.encode(it)
	}
	return it, nil
}

// encode does here, on a worker, what storing the object's shadow and a
// new user would do in the batch's transaction, on the committer that
// bounds a pass: encode their attributes. An object without a shadow
// may be correlated to a user yet; its user is made in case it is not.
func (p *pass) encode(it *item) {
	it.encoded = state.EncodeShadowAttributes(it.obj.Attributes)
	if it.known || p.rt.reaction(config.SituationUnmatched) != config.ReactionAddFocus || it.in["name"] == nil {
		return
	}
	it.newUser = newFocus(it.in)
	it.newUser.Encoded = state.EncodeUserAttributes(it.newUser.Attributes)
}

// commitAll decides and applies items in batches, one repository
// transaction per batch, all in one repository session (the log is
// checkpointed beside the batches, not in their commits).
func (p *pass) commitAll(ctx context.Context, rec Recorder, items <-chan *item) (err error) {
	// The session's commits do not wait for the disk: the executor makes
	// them durable before it sends what they queued (executor.durable),
	// and Close before the pass goes on.
	session, err := p.job.Store.RepositorySession(ctx, state.DeferSync)
	if err != nil {
		return err
	}
	defer func() {
		if cerr := session.Close(); err == nil {
			err = cerr
		}
	}()
	// Set while no flight is under way (the pass lands them all before it
	// ends); a flight that calls it after Close finds nothing to flush.
	p.x.durable = session.Sync
	if hook := p.job.syncHook; hook != nil {
		p.x.durable = func() error { return hook(session.Sync) }
	}
	// Write batches fly beside the commits in full mode (flight.go); the
	// pass flushes, and so lands them, when it ends.
	p.x.async = p.job.Mode == config.ModeFull
	defer func() { p.x.async = false }()
	batch := make([]*item, 0, p.job.batchSize())
	for it := range items {
		batch = append(batch, it)
		if len(batch) < cap(batch) {
			continue
		}
		if err := p.commit(ctx, session.RepositoryWrite, rec, batch); err != nil {
			return err
		}
		batch = batch[:0]
	}
	if ctx.Err() != nil {
		return nil // another goroutine failed: its error is the pass's
	}
	return p.commit(ctx, session.RepositoryWrite, rec, batch)
}

// repoFunc runs a repository transaction: Store.RepositoryWrite, or a session's.
type repoFunc func(context.Context, func(*state.RepositoryTx) error) error

// commit decides every item of batch and, in full mode, applies the
// effects; the provisioning operations they queue are executed after the
// transaction commits. A threshold or the error policy stops the pass
// after the items before the one that tripped it.
func (p *pass) commit(ctx context.Context, repo repoFunc, rec Recorder, batch []*item) error {
	if len(batch) == 0 {
		return nil
	}
	return p.writeBatch(ctx, repo, rec, func(r *state.RepositoryTx, emit emitFunc) (error, error) {
		d := &decider{w: p.w, rt: p.rt, r: p.x.reader(r), ctx: ctx, dry: p.job.Mode == config.ModeDryRun, full: p.job.Mode == config.ModeFull, keys: p.keys}
		if err := p.prefetch(r, batch); err != nil {
			return nil, err
		}
		p.settleKnown(r, batch)
		var err error
		if d.pre, err = p.precorrelate(r, batch); err != nil {
			return nil, err
		}
		for _, it := range batch {
			due, ch, stop, err := p.one(d, r, rec, it)
			if err != nil {
				return nil, err
			}
			emit(due, ch)
			if stop != nil {
				return stop, nil
			}
		}
		return nil, nil
	})
}

// settleKnown decides, in the transaction (again on each attempt), which
// unindexed objects of batch have a shadow: those the prefetch found none
// for are decided — and correlated all at once — as new objects; the
// others, and any whose key the batch holds twice, read their shadow.
func (p *pass) settleKnown(r *state.RepositoryTx, batch []*item) {
	var times map[string]int
	for _, it := range batch {
		if !it.unindexed {
			continue
		}
		if times == nil {
			times = make(map[string]int, len(batch))
			for _, o := range batch {
				times[o.key]++
			}
		}
		it.known = times[it.key] > 1 || !r.PrefetchedNone(p.rt.res.Name, p.rt.ot.Kind, p.rt.ot.Intent, it.key)
	}
}

// prefetch reads at once the shadows the batch's decisions will read,
// with their owners and the owners' other shadows (state.Prefetch).
func (p *pass) prefetch(r *state.RepositoryTx, batch []*item) error {
	keys := make([]string, 0, len(batch))
	for _, it := range batch {
		if it.known || it.unindexed || it.deleted != nil || p.rt.provisions() {
			keys = append(keys, it.key)
		}
	}
	if len(keys) < 2 {
		return nil // one read is one read
	}
	for chunk := range slices.Chunk(keys, state.MaxPrefetch) {
		if err := r.Prefetch(p.rt.res.Name, p.rt.ot.Kind, p.rt.ot.Intent, chunk); err != nil {
			return err
		}
	}
	return nil
}

// emitFunc hands writeBatch what one item did: the shadows it stored,
// among them those with operations to execute once the transaction
// commits, and the run's change records.
type emitFunc func(stored []storedShadow, changes []state.RunChange)

// writeBatch runs work in one repository transaction (again from the
// start when the transaction is retried), stores the run changes it
// emitted in the same transaction, and after the commit hands the
// executor the provisioning operations it queued, to be carried out in
// write batches (hold; the pass flushes what is held when it ends). It
// returns the stop (a threshold, the error policy) with which work ended
// the batch after the items before the one that tripped it.
func (p *pass) writeBatch(ctx context.Context, repo repoFunc, rec Recorder, work func(*state.RepositoryTx, emitFunc) (stop, err error)) error {
	var (
		stored []storedShadow
		stop   error
	)
	err := repo(ctx, func(r *state.RepositoryTx) error {
		stored, stop = nil, nil
		if err := p.keys.check(r); err != nil {
			return err
		}
		if err := p.x.settleIn(r, false); err != nil { // what flights did
			return err
		}
		var changes []state.RunChange
		s, err := work(r, func(shs []storedShadow, ch []state.RunChange) {
			stored, changes = append(stored, shs...), append(changes, ch...)
		})
		if err != nil {
			return err
		}
		if id := p.x.unsettledIn(stored); id != 0 {
			return errWrittenInFlight(id)
		}
		stop = s
		if len(changes) > 0 && p.job.RunID != 0 {
			if err := r.AddRunChanges(p.job.RunID, changes); err != nil {
				return err
			}
		}
		if p.committing != nil {
			return p.committing(r, s != nil)
		}
		return nil
	})
	p.x.committed(err == nil)
	if err != nil {
		return err
	}
	p.keys.stored(stored)
	if err := p.x.hold(ctx, rec, stored, p.job.now()); err != nil {
		return err
	}
	if err := p.keys.load(ctx, p.job.Store); err != nil {
		return err
	}
	if stop != nil {
		// What was decided before the stop is carried out now.
		if err := p.x.flush(ctx, p.job.now()); err != nil {
			return err
		}
	}
	return stop
}

// one handles one item inside a batch's transaction: it returns the
// shadows with operations due, the changes to keep, a policy stop, or an
// error that ends the pass.
func (p *pass) one(d *decider, r *state.RepositoryTx, rec Recorder, it *item) (due []storedShadow, changes []state.RunChange, stop, err error) {
	e, err := d.decide(it)
	var oe *objectError
	if errors.As(err, &oe) {
		return nil, nil, p.itemError(rec, it.obj.ID, err), nil
	}
	if err != nil {
		return nil, nil, nil, err
	}
	rec.AddStatistic("situation."+string(e.situation), 1)
	if d.dry {
		rec.AddSuccess(1)
		return nil, nil, nil, nil
	}
	rec.AddStatistic("reaction."+string(e.reaction), 1)
	return p.applyEffects(r, rec, e, d.pre)
}

// applyEffects checks e against the thresholds, applies it in full mode,
// and returns the changes to keep.
func (p *pass) applyEffects(r *state.RepositoryTx, rec Recorder, e *effects, pre *precorrelation) (due []storedShadow, changes []state.RunChange, stop, err error) {
	if err := p.safety.admit(e.item, e.counts()); err != nil {
		return nil, nil, err, nil
	}
	written := p.job.Mode == config.ModeFull
	if written {
		pre.touched(e.userBefore, e.user)
		due, err = apply(r, e)
		var oe *objectError
		if errors.As(err, &oe) {
			return nil, nil, p.itemError(rec, e.item, err), nil
		}
		if err != nil {
			return nil, nil, nil, err
		}
		p.x.expect(e, due)
		if queued := e.queued(); queued > 0 {
			rec.AddStatistic("operations.queued", queued)
		}
	}
	stats := e.statistics(written) // one per change, as the changes are
	for _, name := range stats {
		rec.AddStatistic(name, 1)
	}
	changes = p.w.keep(rec, len(stats), func() []state.RunChange { return e.changes(p.job.Activity.Name, written) })
	for _, problem := range e.problems {
		if stop := p.itemError(rec, e.item, problem); stop != nil {
			return due, changes, stop, nil
		}
	}
	if len(e.problems) == 0 {
		rec.AddSuccess(1)
	}
	return due, changes, nil, nil
}
