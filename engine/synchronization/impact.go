package synchronization

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"runtime"
	"slices"
	"sync"
	"time"

	"github.com/syncline/syncline/config"
	"github.com/syncline/syncline/engine/connector"
	"github.com/syncline/syncline/planner"
	"github.com/syncline/syncline/state"
	"golang.org/x/sync/errgroup"
)

// ImpactOptions bound an impact evaluation.
type ImpactOptions struct {
	// MaxDuration stops the evaluation (the impact says it was
	// truncated); 0 means DefaultImpactDuration.
	MaxDuration time.Duration
	// MaxObjects bounds the users and shadows looked at, and with them
	// the memory the evaluation holds; 0 means DefaultImpactObjects.
	MaxObjects int
}

// Defaults of ImpactOptions.
const (
	DefaultImpactDuration = 2 * time.Minute
	DefaultImpactObjects  = 5_000_000
)

// Impact evaluates cfg over the repository of st as its synchronization
// would decide, and reports every change to b — never reaching a
// resource and never writing. It is the decisions of a preview run made
// over the shadows' cached attributes instead of a resource's objects:
//
//  1. each live shadow of each object type is decided as a
//     reconciliation deciding its object would (the same decider), with
//     its cached attributes as the object; a shadow that is linked, has
//     nothing pending and was synchronized with the same mappings is
//     unchanged and skipped, as a run skips it;
//  2. when a provisioning type's mappings changed (or it has no shadows
//     yet), every user the first step did not provision is provisioned
//     as a recompute would.
//
// A user provisioned twice (through two changed types) is counted once.
// Hitting a bound ends the evaluation with the impact truncated, not
// with an error.
func Impact(ctx context.Context, st *state.Store, cfg *config.Config, b *planner.ImpactBuilder, opts ImpactOptions) error {
	if opts.MaxDuration <= 0 {
		opts.MaxDuration = DefaultImpactDuration
	}
	if opts.MaxObjects <= 0 {
		opts.MaxObjects = DefaultImpactObjects
	}
	ctx, cancel := context.WithTimeout(ctx, opts.MaxDuration)
	defer cancel()
	job := &Job{Config: cfg, Mode: config.ModePreview, Store: st, Rec: discardRecorder{}, Open: offlineOpener(st)}
	w := newWorld(job)
	defer w.close()
	ev := &impactEval{w: w, b: b, st: st, opts: opts, provisioned: map[int64]struct{}{}, start: time.Now()}
	err := st.RepositoryRead(ctx, func(r *state.RepositoryTx) error {
		ev.tx = r
		recompute := false
		for _, rt := range sourcesFirst(w.types) {
			changed, err := ev.objectType(ctx, rt)
			if err != nil {
				return err
			}
			recompute = recompute || (changed && rt.provisions())
		}
		if recompute {
			return ev.users(ctx)
		}
		// Every user was considered: none needs provisioning again.
		counts, err := st.RepositoryCounts(ctx)
		if err != nil {
			return err
		}
		b.Evaluated(counts.Users, 0)
		return nil
	})
	if errors.Is(err, errImpactBound) || (err != nil && ctx.Err() != nil && errors.Is(ctx.Err(), context.DeadlineExceeded)) {
		b.Truncate(ev.truncation())
		return nil
	}
	return err
}

// sourcesFirst orders the types with inbound mappings before the others,
// each group in resource name order: a user whose source changes and
// whose account's mappings change too is provisioned once, from its new
// attributes, as an import followed by a reconciliation would leave it.
func sourcesFirst(types []*resourceType) []*resourceType {
	out := slices.Clone(types)
	rank := func(rt *resourceType) int {
		if len(rt.ot.Inbound) > 0 {
			return 0
		}
		return 1
	}
	slices.SortStableFunc(out, func(a, b *resourceType) int { return cmp.Compare(rank(a), rank(b)) })
	return out
}

// impactEval is one evaluation's progress.
type impactEval struct {
	w     *world
	b     *planner.ImpactBuilder
	st    *state.Store
	tx    *state.RepositoryTx
	mu    sync.Mutex // guards tx
	opts  ImpactOptions
	start time.Time
	// seen counts users and shadows looked at, against MaxObjects.
	seen int
	// provisioned holds the users step 1 provisioned.
	provisioned map[int64]struct{}
	bound       string
}

var errImpactBound = errors.New("impact evaluation bound reached")

// step counts one object against the bounds.
func (ev *impactEval) step(ctx context.Context) error {
	ev.seen++
	if ev.seen > ev.opts.MaxObjects {
		ev.bound = fmt.Sprintf("it looked at %d users and shadows, the limit", ev.opts.MaxObjects)
		return errImpactBound
	}
	if ev.seen%1024 == 0 && ctx.Err() != nil {
		ev.bound = fmt.Sprintf("it ran for %s, the limit", ev.opts.MaxDuration)
		return errImpactBound
	}
	return nil
}

func (ev *impactEval) truncation() string {
	if ev.bound == "" {
		ev.bound = fmt.Sprintf("it ran for %s, the limit", ev.opts.MaxDuration)
	}
	return "impact truncated: " + ev.bound + "; the counts cover only what was evaluated"
}

// objectType decides every live shadow of rt (step 1), a chunk at a
// time, reading and prefetching the next chunk while the workers decide
// the last; changed reports whether any shadow was synchronized with
// other mappings than rt's now, or rt has none.
func (ev *impactEval) objectType(ctx context.Context, rt *resourceType) (changed bool, err error) {
	src := planner.ImpactSource{Resource: rt.res.Name, Kind: rt.ot.Kind, Intent: rt.ot.Intent}
	om := newObjectMappings(ev.w, rt)
	n := 0
	chunk := make([]*state.Shadow, 0, impactChunk)
	var wait func() error // records the chunk being decided
	flush := func() error {
		next, err := ev.decideChunk(ctx, rt, om, src, chunk)
		chunk = make([]*state.Shadow, 0, impactChunk)
		if wait != nil {
			werr := wait()
			err = cmp.Or(err, werr)
		}
		wait = next
		return err
	}
	err = ev.st.ShadowsEach(ctx, rt.res.Name, rt.ot.Kind, rt.ot.Intent, func(sh *state.Shadow) error {
		if err := ev.step(ctx); err != nil {
			return err
		}
		n++
		ev.b.Evaluated(0, 1)
		if sh.Dead {
			return nil
		}
		if sh.MappingHash != rt.mappingHash {
			changed = true
		}
		if sh.Owner != 0 && len(sh.Pending) == 0 && len(sh.Hash) == 32 && sh.MappingHash == rt.mappingHash {
			return nil // unchanged: a run skips it
		}
		if chunk = append(chunk, sh); len(chunk) == impactChunk {
			return flush()
		}
		return nil
	})
	if err == nil {
		err = flush()
	}
	if wait != nil {
		err = cmp.Or(err, wait())
	}
	return changed || n == 0, err
}

// impactChunk is how many objects are decided together: their owners and
// the owners' shadows are read in one statement each.
const impactChunk = 1024

// decided is one object's decision, made by a worker, recorded in order.
type decided struct {
	e   *effects
	err error // an object error (a mapping, a taken name)
}

// decideChunk reads the owners of chunk's shadows and their other
// shadows, starts deciding the chunk on the workers, and returns the
// function that waits for them and records the decisions in chunk order
// (nil for an empty chunk).
func (ev *impactEval) decideChunk(ctx context.Context, rt *resourceType, om *objectMappings, src planner.ImpactSource, chunk []*state.Shadow) (func() error, error) {
	if len(chunk) == 0 {
		return nil, nil
	}
	owners := make([]int64, 0, len(chunk))
	held := make([]int64, 0, len(chunk))
	for _, sh := range chunk {
		if sh.Owner != 0 {
			owners = append(owners, sh.Owner)
			held = append(held, sh.ID)
		}
	}
	cache, err := ev.prefetch(ctx, owners, held)
	if err != nil {
		return nil, err
	}
	cache.add(chunk)
	out := make([]decided, len(chunk))
	done := make(chan error, 1)
	go func() {
		done <- ev.parallel(len(chunk), func(r *impactReader, i int) error {
			d := &decider{w: ev.w, rt: rt, r: r, ctx: ctx}
			e, err := decideCached(d, om, r, chunk[i])
			var oe *objectError
			if errors.As(err, &oe) {
				out[i] = decided{err: err}
				return nil
			}
			out[i] = decided{e: e}
			return err
		}, cache)
	}()
	return func() error {
		if err := <-done; err != nil {
			return err
		}
		for i, sh := range chunk {
			if out[i].err != nil {
				ev.b.Error(src, sh.Identifier, "", out[i].err.Error())
				continue
			}
			ev.recordShadow(src, sh, out[i].e)
		}
		return nil
	}, nil
}

// prefetch reads the given users (unless held is nil: a recompute has
// them) and their shadows but those with the IDs in held.
func (ev *impactEval) prefetch(ctx context.Context, ids, held []int64) (*impactCache, error) {
	c := &impactCache{}
	var err error
	if held != nil {
		if c.users, err = ev.st.UsersByID(ctx, ids); err != nil {
			return nil, err
		}
	}
	c.shadows, err = ev.st.ShadowsOfUsers(ctx, ids, held)
	return c, err
}

// parallel runs fn for 0..n-1 on as many workers as there are
// processors, each with its own reader over cache.
func (ev *impactEval) parallel(n int, fn func(r *impactReader, i int) error, cache *impactCache) error {
	workers := min(runtime.GOMAXPROCS(0), n)
	var g errgroup.Group
	for w := range workers {
		r := &impactReader{tx: ev.tx, mu: &ev.mu, cache: cache}
		g.Go(func() error {
			for i := w; i < n; i += workers {
				if err := fn(r, i); err != nil {
					return err
				}
			}
			return nil
		})
	}
	return g.Wait()
}

// decideCached decides sh's object as its cached attributes have it;
// an error of the object's own is an *objectError.
func decideCached(d *decider, om *objectMappings, r *impactReader, sh *state.Shadow) (*effects, error) {
	rt := d.rt
	obj := connector.Object{ID: sh.Identifier, Attributes: rt.readable(sh.Attributes)}
	it := &item{obj: obj, key: sh.Key, hash: sh.Hash, known: true}
	o := om.object(obj, sh.Situation)
	var err error
	if it.corr, err = evalCorrelation(o); err != nil {
		return nil, objErr(CategoryCorrelation, err)
	}
	if it.in, err = evalInbound(o); err != nil {
		return nil, objErr(CategoryMapping, err)
	}
	r.current = sh
	defer func() { r.current = nil }()
	return d.decide(it)
}

// recordShadow records the decision on sh's object.
func (ev *impactEval) recordShadow(src planner.ImpactSource, sh *state.Shadow, e *effects) {
	after := string(e.situation)
	if e.shadow != nil {
		after = e.shadow.Situation
	}
	if after != sh.Situation {
		user := ""
		if e.user != nil {
			user = e.user.Name
		}
		ev.b.Situation(src, sh.Identifier, user, sh.Situation, after)
	}
	ev.record(src, e)
}

// provisioned reports whether deciding e provisioned its user (see
// decide and decideDeleted).
func provisioned(e *effects) bool {
	switch e.reaction {
	case config.ReactionLink, config.ReactionSynchronize, config.ReactionInactivateFocus:
		return true
	case config.ReactionUnlink:
		return e.situation == config.SituationDeleted
	}
	return false
}

// users provisions every user step 1 did not (step 2), as a recompute,
// a chunk at a time; the users provisioned already are never read.
func (ev *impactEval) users(ctx context.Context) error {
	ids, err := ev.st.UserIDs(ctx)
	if err != nil {
		return err
	}
	var todo []int64
	for _, id := range ids {
		if err := ev.step(ctx); err != nil {
			return err
		}
		ev.b.Evaluated(1, 0)
		if _, done := ev.provisioned[id]; !done {
			todo = append(todo, id)
		}
	}
	for chunk := range slices.Chunk(todo, impactChunk) {
		users, err := ev.st.UsersByID(ctx, chunk)
		if err != nil {
			return err
		}
		list := make([]*state.User, 0, len(chunk))
		for _, id := range chunk {
			if u := users[id]; u != nil { // nil: deleted meanwhile
				list = append(list, u)
			}
		}
		if err := ev.provisionChunk(ctx, list); err != nil {
			return err
		}
	}
	return nil
}

func (ev *impactEval) provisionChunk(ctx context.Context, chunk []*state.User) error {
	if len(chunk) == 0 {
		return nil
	}
	ids := make([]int64, len(chunk))
	for i, u := range chunk {
		ids[i] = u.ID
	}
	cache, err := ev.prefetch(ctx, ids, nil)
	if err != nil {
		return err
	}
	out := make([]*effects, len(chunk))
	err = ev.parallel(len(chunk), func(r *impactReader, i int) error {
		d := &decider{w: ev.w, r: r, ctx: ctx}
		e := &effects{item: chunk[i].Name, user: chunk[i]}
		out[i] = e
		return d.provision(chunk[i], e)
	}, cache)
	if err != nil {
		return err
	}
	for i, u := range chunk {
		for _, c := range out[i].changes("", false) {
			ev.b.Change(planner.ImpactSource{}, c)
		}
		for _, p := range out[i].problems {
			ev.b.Error(planner.ImpactSource{}, u.Name, u.Name, p.Error())
		}
	}
	return nil
}

// impactReader reads the repository for one worker's decider: the
// chunk's prefetched owners and their shadows from cache, the rest from
// the evaluation's read-only transaction, one worker at a time; the
// shadow being decided is answered without a query.
type impactReader struct {
	tx      *state.RepositoryTx
	mu      *sync.Mutex
	cache   *impactCache
	current *state.Shadow
}

// impactCache holds a chunk's users and their shadows, by user ID; the
// decider only reads what it is given (it copies before changing).
type impactCache struct {
	users   map[int64]*state.User
	shadows map[int64][]*state.Shadow
}

// add puts the chunk's linked shadows, read already, into their owners'
// lists, in ShadowsOfUser's order.
func (c *impactCache) add(chunk []*state.Shadow) {
	touched := map[int64]bool{}
	for _, sh := range chunk {
		if sh.Owner != 0 {
			c.shadows[sh.Owner] = append(c.shadows[sh.Owner], sh)
			touched[sh.Owner] = true
		}
	}
	for id := range touched {
		slices.SortFunc(c.shadows[id], func(a, b *state.Shadow) int {
			return cmp.Or(cmp.Compare(a.Resource, b.Resource), cmp.Compare(a.Kind, b.Kind),
				cmp.Compare(a.Intent, b.Intent), cmp.Compare(a.Key, b.Key))
		})
	}
}

func (r *impactReader) ShadowByKey(resource, kind, intent, key string) (*state.Shadow, error) {
	if c := r.current; c != nil && c.Resource == resource && c.Kind == kind && c.Intent == intent && c.Key == key {
		cp := *c
		return &cp, nil
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.tx.ShadowByKey(resource, kind, intent, key)
}

func (r *impactReader) ShadowsOfUser(id int64) ([]*state.Shadow, error) {
	if shs, ok := r.cache.shadows[id]; ok {
		return shs, nil
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.tx.ShadowsOfUser(id)
}

func (r *impactReader) UserByID(id int64) (*state.User, error) {
	if u, ok := r.cache.users[id]; ok {
		return u, nil
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.tx.UserByID(id)
}

func (r *impactReader) UserByName(name string) (*state.User, error) {
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.tx.UserByName(name)
}

func (r *impactReader) FindUsers(match map[string]string, limit int) ([]int64, error) {
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.tx.FindUsers(match, limit)
}

func (r *impactReader) Now() time.Time { return r.tx.Now() }

// discardRecorder records nothing: the impact reports to its builder.
type discardRecorder struct{}

func (discardRecorder) SetTotal(int64)                     {}
func (discardRecorder) AddSuccess(int64)                   {}
func (discardRecorder) AddSkipped(int64)                   {}
func (discardRecorder) AddItemError(string, string, error) {}
func (discardRecorder) AddStatistic(string, int64)         {}
func (discardRecorder) SetOutput(string, string)           {}

// record reports e's changes; the account changes of a user provisioned
// already are not reported again.
func (ev *impactEval) record(src planner.ImpactSource, e *effects) {
	again := false
	if e.user != nil && e.user.ID != 0 && provisioned(e) {
		_, again = ev.provisioned[e.user.ID]
		ev.provisioned[e.user.ID] = struct{}{}
	}
	for _, c := range e.changes("", false) {
		if again && c.Object == "account" {
			continue
		}
		ev.b.Change(src, c)
	}
	if again {
		return
	}
	user := ""
	if e.user != nil {
		user = e.user.Name
	}
	for _, p := range e.problems {
		ev.b.Error(src, e.item, user, p.Error())
	}
}
