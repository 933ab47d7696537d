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
	// Applied are the stored resource definitions by address, when the
	// caller read them already (a plan's snapshot holds them): the
	// evaluation then does not read and decode them again. Nil reads
	// them from the store. Their specs are only read.
	Applied map[string]*state.Definition
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
// Memberships are decided against the groups the applied definitions'
// associations give the stored users (impact_memberships.go).
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
	// The applied definitions give the memberships the resources are
	// taken to hold; they are read before the evaluation's clock starts.
	applied := opts.Applied
	if applied == nil {
		var err error
		if applied, err = st.DefinitionsOfKind(ctx, config.KindResource); err != nil {
			return err
		}
	}
	withShadows, err := st.ShadowResources(ctx)
	if err != nil {
		return err
	}
	ctx, cancel := context.WithTimeout(ctx, opts.MaxDuration)
	defer cancel()
	job := &Job{Config: cfg, Mode: config.ModePreview, Store: st, Rec: discardRecorder{}, Open: offlineOpener(st)}
	w := newWorld(job)
	defer w.close()
	ev := &impactEval{w: w, b: b, st: st, opts: opts, provisioned: map[int64]struct{}{}, start: time.Now(),
		withShadows: withShadows}
	err = st.RepositoryRead(ctx, func(r *state.RepositoryTx) error {
		ev.tx = r
		if err := ev.seedMemberships(ctx, appliedAssociations(applied)); err != nil {
			return err
		}
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
	// withShadows names the resources with any shadow (dead ones
	// included); the types of the others have none to read.
	withShadows map[string]bool
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

// objectType decides every live shadow of rt (step 1) in an
// impactPipeline: this goroutine reads the shadows with their owners in
// key order, workers decide them, a recorder reports the decisions in
// that order; changed reports whether any shadow was synchronized with
// other mappings than rt's now, or rt has none.
func (ev *impactEval) objectType(ctx context.Context, rt *resourceType) (changed bool, err error) {
	if ev.withShadows != nil && !ev.withShadows[rt.res.Name] {
		ev.b.Evaluated(0, 0)
		return true, nil // as for a type whose query finds no shadow
	}
	src := planner.ImpactSource{Resource: rt.res.Name, Kind: rt.ot.Kind, Intent: rt.ot.Intent}
	p := ev.startPipeline(ctx, rt, newObjectMappings(ev.w, rt), src)
	n := 0
	// The batch is made when the first shadow needs deciding: most types
	// of a repository have none to decide, and a batch is 96 KiB.
	var batch []state.ImpactShadow
	q := state.ImpactShadowsQuery{Resource: rt.res.Name, Kind: rt.ot.Kind, Intent: rt.ot.Intent, MappingHash: rt.mappingHash}
	err = ev.st.ImpactShadowsEach(ctx, q, func(is state.ImpactShadow) error {
		if err := ev.step(ctx); err != nil {
			return err
		}
		n++
		sh := is.Shadow
		if sh.Dead {
			return nil
		}
		if sh.MappingHash != rt.mappingHash {
			changed = true
		}
		if sh.Owner != 0 && len(sh.Pending) == 0 && len(sh.Hash) == 32 && sh.MappingHash == rt.mappingHash {
			return nil // unchanged: a run skips it
		}
		if batch == nil {
			batch = make([]state.ImpactShadow, 0, impactBatchSize)
		}
		if batch = append(batch, is); len(batch) == impactBatchSize {
			err := p.send(batch)
			batch = nil
			return err
		}
		return nil
	})
	if err == nil {
		err = p.send(batch)
	}
	// The recorder is done once wait returns: the builder is this
	// goroutine's again.
	err = cmp.Or(err, p.wait())
	ev.b.Evaluated(0, n)
	return changed || n == 0, err
}

// impactBatchSize is how many objects a worker decides at a time.
const impactBatchSize = 1024

// decided is one object's decision, made by a worker, recorded in order.
type decided struct {
	e   *effects
	err error // an object error (a mapping, a taken name)
}

// prefetch reads the shadows of the given users, whose decisions a
// recompute makes together.
func (ev *impactEval) prefetch(ctx context.Context, ids []int64) (*impactCache, error) {
	shadows, err := ev.st.ShadowsOfUsers(ctx, ids)
	return &impactCache{shadows: shadows}, err
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

// decideCached decides the object of is (decoded first) as its shadow's
// cached attributes have it; an error of the object's own is an
// *objectError.
func decideCached(d *decider, om *objectMappings, r *impactReader, is *state.ImpactShadow) (*effects, error) {
	if err := is.Decode(); err != nil {
		return nil, err
	}
	rt, sh := d.rt, is.Shadow
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
	r.item = is
	defer func() { r.item = nil }()
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
	for chunk := range slices.Chunk(todo, impactBatchSize) {
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
	cache, err := ev.prefetch(ctx, ids)
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
// object being decided (item: its shadow, owner and the owner's shadows,
// read with it) and a recompute's batch (cache) without a query, the rest
// from the evaluation's read-only transaction, one worker at a time.
type impactReader struct {
	tx    *state.RepositoryTx
	mu    *sync.Mutex
	cache *impactCache
	item  *state.ImpactShadow
}

// impactCache holds a recompute batch's users' shadows, by user ID; the
// decider only reads what it is given (it copies before changing).
type impactCache struct {
	shadows map[int64][]*state.Shadow
}

func (r *impactReader) ShadowByKey(resource, kind, intent, key string) (*state.Shadow, error) {
	if it := r.item; it != nil {
		if c := it.Shadow; c.Resource == resource && c.Kind == kind && c.Intent == intent && c.Key == key {
			cp := *c
			return &cp, nil
		}
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.tx.ShadowByKey(resource, kind, intent, key)
}

func (r *impactReader) ShadowsOfUser(id int64) ([]*state.Shadow, error) {
	if it := r.item; it != nil && it.Joined && it.Shadow.Owner == id {
		return it.Owned, nil
	}
	if r.cache != nil {
		if shs, ok := r.cache.shadows[id]; ok {
			return shs, nil
		}
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.tx.ShadowsOfUser(id)
}

func (r *impactReader) UserByID(id int64) (*state.User, error) {
	if it := r.item; it != nil && it.Joined && it.Shadow.Owner == id {
		return it.Owner, nil
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

// record reports e's changes; the account and membership changes of a
// user provisioned already are not reported again.
func (ev *impactEval) record(src planner.ImpactSource, e *effects) {
	again := false
	if e.user != nil && e.user.ID != 0 && provisioned(e) {
		_, again = ev.provisioned[e.user.ID]
		ev.provisioned[e.user.ID] = struct{}{}
	}
	for _, c := range e.changes("", false) {
		if again && c.Object != "user" {
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
