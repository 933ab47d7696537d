package synchronization

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/syncline/syncline/config"
	"github.com/syncline/syncline/engine/connector"
	"github.com/syncline/syncline/planner"
	"github.com/syncline/syncline/state"
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
		ev.r = &impactReader{RepositoryTx: r}
		recompute := false
		for _, rt := range w.types {
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

// impactEval is one evaluation's progress.
type impactEval struct {
	w     *world
	b     *planner.ImpactBuilder
	st    *state.Store
	r     *impactReader
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

// objectType decides every live shadow of rt (step 1); changed reports
// whether any was synchronized with other mappings than rt's now, or rt
// has none.
func (ev *impactEval) objectType(ctx context.Context, rt *resourceType) (changed bool, err error) {
	src := planner.ImpactSource{Resource: rt.res.Name, Kind: rt.ot.Kind, Intent: rt.ot.Intent}
	om := newObjectMappings(ev.w, rt)
	d := &decider{w: ev.w, rt: rt, r: ev.r, ctx: ctx}
	n := 0
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
		return ev.decideShadow(d, om, src, sh)
	})
	return changed || n == 0, err
}

// decideShadow decides sh's object as its cached attributes have it.
func (ev *impactEval) decideShadow(d *decider, om *objectMappings, src planner.ImpactSource, sh *state.Shadow) error {
	rt := d.rt
	obj := connector.Object{ID: sh.Identifier, Attributes: rt.readable(sh.Attributes)}
	it := &item{obj: obj, key: sh.Key, hash: sh.Hash, known: true}
	o := om.object(obj, sh.Situation)
	var err error
	if it.corr, err = evalCorrelation(o); err != nil {
		ev.b.Error(src, sh.Identifier, "", err.Error())
		return nil
	}
	if it.in, err = evalInbound(o); err != nil {
		ev.b.Error(src, sh.Identifier, "", err.Error())
		return nil
	}
	ev.r.current = sh
	e, err := d.decide(it)
	ev.r.current = nil
	var oe *objectError
	if errors.As(err, &oe) {
		ev.b.Error(src, sh.Identifier, "", err.Error())
		return nil
	}
	if err != nil {
		return err
	}
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
	return nil
}

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

// users provisions every user step 1 did not (step 2), as a recompute.
func (ev *impactEval) users(ctx context.Context) error {
	d := &decider{w: ev.w, r: ev.r, ctx: ctx}
	return ev.st.UsersEach(ctx, func(u *state.User) error {
		if err := ev.step(ctx); err != nil {
			return err
		}
		ev.b.Evaluated(1, 0)
		if _, done := ev.provisioned[u.ID]; done {
			return nil
		}
		e := &effects{item: u.Name, user: u}
		if err := d.provision(u, e); err != nil {
			return err
		}
		for _, c := range e.changes("", false) {
			ev.b.Change(planner.ImpactSource{}, c)
		}
		for _, p := range e.problems {
			ev.b.Error(planner.ImpactSource{}, u.Name, u.Name, p.Error())
		}
		return nil
	})
}

// impactReader reads the repository for the decider in one read-only
// transaction; the shadow being decided is answered without a query.
type impactReader struct {
	*state.RepositoryTx
	current *state.Shadow
}

func (r *impactReader) ShadowByKey(resource, kind, intent, key string) (*state.Shadow, error) {
	if c := r.current; c != nil && c.Resource == resource && c.Kind == kind && c.Intent == intent && c.Key == key {
		cp := *c
		return &cp, nil
	}
	return r.RepositoryTx.ShadowByKey(resource, kind, intent, key)
}

// discardRecorder records nothing: the impact reports to its builder.
type discardRecorder struct{}

func (discardRecorder) SetTotal(int64)                     {}
func (discardRecorder) AddSuccess(int64)                   {}
func (discardRecorder) AddSkipped(int64)                   {}
func (discardRecorder) AddItemError(string, string, error) {}
func (discardRecorder) AddStatistic(string, int64)         {}
func (discardRecorder) SetOutput(string, string)           {}
