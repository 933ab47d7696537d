package synchronization

import (
	"context"
	"fmt"
	"maps"

	"github.com/syncline/syncline/config"
	"github.com/syncline/syncline/engine/connector"
	"github.com/syncline/syncline/state"
)

// item is one resource object on its way through a pass.
type item struct {
	obj  connector.Object
	key  string
	hash string
	// in and corr are the inbound and correlation values (prepared by a
	// worker; nil when the type has none).
	in   inbound
	corr map[string]string
	// deleted marks a shadow whose object is gone (remaining shadows).
	deleted *state.Shadow
	// unchanged marks an object that needs no work.
	unchanged bool
	// known is set when the object had a shadow when the pass began.
	known bool
	// unindexed marks an object of a pass without an index of the type's
	// shadows (live sync, async update): known is then decided at each
	// commit, from what the batch's prefetch read.
	unindexed bool
	// encoded are obj's attributes encoded by the worker for the shadow,
	// and newUser the user add_focus would create, its attributes
	// encoded: the transaction then only binds them (full mode; zero and
	// nil otherwise).
	encoded state.ShadowAttributes
	newUser *state.User
}

// objectError is an error about one object, with its category.
type objectError struct {
	category string
	err      error
}

func (e *objectError) Error() string { return e.err.Error() }
func (e *objectError) Unwrap() error { return e.err }

func objErr(category string, err error) error { return &objectError{category: category, err: err} }

func objErrf(category, format string, args ...any) error {
	return objErr(category, fmt.Errorf(format, args...))
}

// decider decides one object's effects, reading the repository through
// r and writing nothing.
type decider struct {
	w    *world
	rt   *resourceType
	r    repositoryReader
	ctx  context.Context
	dry  bool // dry_run: the situation only
	full bool // full mode: writes follow the decision in the same transaction
	// cur is the shadow of the object being decided, as decided so far.
	cur *state.Shadow
	// pre is the batch's correlation found at once, or nil.
	pre *precorrelation
	// ue is the evaluation of the user being provisioned, or nil.
	ue *userEval
	// keys, when set, knows of keys no shadow has (absent_keys.go).
	keys *absentKeys
}

// decide finds it's situation and the effects of its reaction.
func (d *decider) decide(it *item) (*effects, error) {
	e := &effects{item: it.obj.ID}
	if it.deleted != nil {
		return d.decideDeleted(it, e)
	}
	var sh *state.Shadow
	// An object without a shadow when the pass began has none now, unless
	// provisioning to this same type created one during the pass.
	if it.known || d.rt.provisions() {
		var err error
		if sh, err = d.r.ShadowByKey(d.rt.res.Name, d.rt.ot.Kind, d.rt.ot.Intent, it.key); err != nil {
			return nil, err
		}
	}
	var owner *state.User
	if sh != nil && sh.Owner != 0 {
		var err error
		if owner, err = d.r.UserByID(sh.Owner); err != nil {
			return nil, err
		}
	}
	var candidate *state.User
	var err error
	e.situation, candidate, err = d.situation(it, owner)
	if err != nil || d.dry {
		return e, err
	}
	e.reaction = d.rt.reaction(e.situation)
	e.shadow = d.observedShadow(sh, it, e.situation)
	switch e.reaction {
	case config.ReactionNone:
		if sh != nil && unchangedShadow(sh, e.shadow) {
			e.shadow = nil // nothing to write: same object, same situation
		}
	case config.ReactionAddFocus:
		err = d.addFocus(it, e)
	case config.ReactionLink:
		e.linkOp, e.shadow.Owner = "link", candidate.ID
		err = d.synchronize(it, candidate, e)
	case config.ReactionSynchronize:
		err = d.synchronize(it, owner, e)
	case config.ReactionUnlink:
		e.linkOp, e.user, e.shadow.Owner = "unlink", owner, 0
		e.shadow.Situation = string(config.SituationUnlinked)
	case config.ReactionDeleteFocus:
		err = d.deleteFocus(owner, e)
	case config.ReactionInactivateFocus:
		err = d.inactivateFocus(owner, e)
	case config.ReactionDeleteResourceObject, config.ReactionInactivateResourceObject:
		err = d.objectReaction(e, owner)
	default:
		err = fmt.Errorf("unknown reaction %q", e.reaction)
	}
	return e, err
}

// situation correlates the object: linked when its shadow has an owner,
// otherwise by how many users the correlation rule matches.
func (d *decider) situation(it *item, owner *state.User) (config.Situation, *state.User, error) {
	if owner != nil {
		return config.SituationLinked, nil, nil
	}
	if len(it.corr) == 0 {
		return config.SituationUnmatched, nil, nil
	}
	ids, ok := d.pre.lookup(it)
	var err error
	if !ok {
		ids, err = d.r.FindUsers(it.corr, 2)
	}
	switch {
	case err != nil:
		return "", nil, err
	case len(ids) == 0:
		return config.SituationUnmatched, nil, nil
	case len(ids) > 1:
		return config.SituationDisputed, nil, nil
	}
	u, err := d.r.UserByID(ids[0])
	if err != nil || u == nil {
		return "", nil, err
	}
	// A user already linked to another object of this type cannot take a
	// second one: that is a dispute for a person to settle.
	other, err := d.linkedShadow(u.ID, d.rt, it.key)
	if err != nil {
		return "", nil, err
	}
	if other != nil {
		return config.SituationDisputed, nil, nil
	}
	return config.SituationUnlinked, u, nil
}

// linkedShadow returns the live shadow of type rt that user id owns,
// other than the one with key except.
func (d *decider) linkedShadow(id int64, rt *resourceType, except string) (*state.Shadow, error) {
	shs, err := d.r.ShadowsOfUser(id)
	if err != nil {
		return nil, err
	}
	for _, sh := range shs {
		if sh.Resource == rt.res.Name && sh.Kind == rt.ot.Kind && sh.Intent == rt.ot.Intent && !sh.Dead && sh.Key != except {
			return sh, nil
		}
	}
	return nil, nil
}

// observedShadow is the object's shadow as just seen on the resource.
func (d *decider) observedShadow(sh *state.Shadow, it *item, sit config.Situation) *state.Shadow {
	if sh == nil {
		sh = &state.Shadow{Resource: d.rt.res.Name, Kind: d.rt.ot.Kind, Intent: d.rt.ot.Intent}
	} else {
		cp := *sh
		sh = &cp
	}
	prev := sh
	if prev.ID == 0 {
		prev = nil
	}
	sh.Identifier, sh.Key = it.obj.ID, it.key
	sh.Attributes = d.rt.keepWriteOnly(it.obj.Attributes, prev)
	sh.Encoded = it.encoded // used only if Attributes are still obj's
	sh.Hash, sh.MappingHash = it.hash, d.rt.mappingHash
	sh.Situation, sh.Dead = string(sit), false
	sh.SyncedAt = d.r.Now()
	return sh
}

// addFocus creates a user from the inbound mappings and links the
// object to it.
func (d *decider) addFocus(it *item, e *effects) error {
	name := it.in["name"]
	if name == nil {
		return objErrf(CategoryMapping, "the reaction add_focus needs a user name; add an inbound mapping for name to %s", d.rt.address())
	}
	// In full mode the insert finds a taken name; a preview must look.
	if !d.full {
		taken, err := d.r.UserByName(*name)
		if err != nil {
			return err
		}
		if taken != nil {
			return objErr(CategoryRepository, takenName(*name))
		}
	}
	var u *state.User
	if it.newUser != nil {
		cp := *it.newUser // a transaction tried again decides again
		u = &cp
	} else {
		u = newFocus(it.in)
	}
	e.user, e.userOp, e.linkOp = u, userAdd, "link"
	// userDiff is worked out only if the change is recorded (changes).
	return d.provision(u, e)
}

// synchronize applies the inbound mappings to the linked user and
// provisions it.
func (d *decider) synchronize(it *item, u *state.User, e *effects) error {
	after := cloneUser(u)
	applyInbound(after, it.in)
	e.user = after
	if diff := userChanges(u, after); len(diff) > 0 {
		e.userOp, e.userBefore, e.userDiff = userModify, u, diff
		if name := it.in["name"]; name != nil && *name != u.Name {
			taken, err := d.r.UserByName(*name)
			if err != nil {
				return err
			}
			if taken != nil {
				return objErrf(CategoryRepository, "user %q cannot be renamed to %q: a user with that name already exists", u.Name, *name)
			}
		}
		switch {
		case u.Status == state.UserActive && after.Status == state.UserDisabled:
			e.userOp = userDisable
		case u.Status == state.UserDisabled && after.Status == state.UserActive:
			e.userOp = userEnable
		}
	}
	return d.provision(after, e)
}

// decideDeleted decides for a shadow whose object is gone.
func (d *decider) decideDeleted(it *item, e *effects) (*effects, error) {
	sh := *it.deleted
	e.situation = config.SituationDeleted
	if d.dry {
		return e, nil
	}
	e.reaction = d.rt.reaction(e.situation)
	sh.Situation, sh.Dead, sh.SyncedAt = string(config.SituationDeleted), true, d.r.Now()
	e.shadow = &sh
	var owner *state.User
	if sh.Owner != 0 {
		var err error
		if owner, err = d.r.UserByID(sh.Owner); err != nil {
			return nil, err
		}
	}
	if owner == nil {
		return e, nil // nothing is linked: the shadow only records the object is gone
	}
	switch e.reaction {
	case config.ReactionUnlink:
		e.linkOp, e.user, sh.Owner = "unlink", owner, 0
		// The user may still need an object of this type: provisioning
		// creates it again, as the mappings say it should exist.
		return e, d.provision(owner, e)
	case config.ReactionDeleteFocus:
		return e, d.deleteFocus(owner, e)
	case config.ReactionInactivateFocus:
		sh.Owner = 0
		e.linkOp = "unlink"
		return e, d.inactivateFocus(owner, e)
	}
	return e, nil
}

// deleteFocus deletes the user and deprovisions its other objects.
func (d *decider) deleteFocus(u *state.User, e *effects) error {
	if u == nil {
		return nil
	}
	e.user, e.userOp, e.userBefore = u, userDelete, u
	e.shadow.Owner = 0
	if !e.shadow.Dead {
		e.shadow.Situation = string(config.SituationUnmatched)
	}
	shs, err := d.r.ShadowsOfUser(u.ID)
	if err != nil {
		return err
	}
	for _, sh := range shs {
		if sh.Dead || sh.ID == e.shadow.ID {
			continue
		}
		rt := d.typeOf(sh)
		if rt == nil || !rt.provisions() {
			continue
		}
		if op := d.deprovision(rt, sh); op != nil {
			e.accounts = append(e.accounts, op)
		}
	}
	return nil
}

// inactivateFocus disables the user and provisions it (its objects follow
// provision_when).
func (d *decider) inactivateFocus(u *state.User, e *effects) error {
	if u == nil {
		return nil
	}
	after := cloneUser(u)
	after.Status = state.UserDisabled
	e.user = after
	if u.Status != state.UserDisabled {
		e.userOp, e.userBefore = userDisable, u
	}
	return d.provision(after, e)
}

// objectReaction deletes or disables the object itself.
func (d *decider) objectReaction(e *effects, owner *state.User) error {
	e.user = owner
	sh := e.shadow
	if e.reaction == config.ReactionDeleteResourceObject {
		e.accounts = append(e.accounts, &accountOp{rt: d.rt, shadow: sh, op: state.OpDelete, before: sh.Attributes})
		return nil
	}
	op := d.disableOp(d.rt, sh)
	if op != nil {
		e.accounts = append(e.accounts, op)
	}
	return nil
}

func (d *decider) typeOf(sh *state.Shadow) *resourceType {
	rt, _ := d.w.resourceType(sh.Resource, sh.Kind, sh.Intent)
	return rt
}

// newFocus is the user add_focus creates from the inbound values in.
func newFocus(in inbound) *state.User {
	u := &state.User{Status: state.UserActive, Attributes: map[string]string{}}
	applyInbound(u, in)
	return u
}

func applyInbound(u *state.User, in inbound) {
	for target, v := range in {
		switch {
		case target == "name":
			u.Name = *v
		case target == "status" && v != nil:
			u.Status = *v
		case target == "status":
		case v == nil:
			delete(u.Attributes, target)
		default:
			u.Attributes[target] = *v
		}
	}
}

func cloneUser(u *state.User) *state.User {
	cp := *u
	cp.Attributes = maps.Clone(u.Attributes)
	if cp.Attributes == nil {
		cp.Attributes = map[string]string{}
	}
	return &cp
}

// unchangedShadow reports whether storing after instead of before would
// change nothing a later run looks at.
func unchangedShadow(before, after *state.Shadow) bool {
	return before.Hash == after.Hash && before.MappingHash == after.MappingHash && before.Situation == after.Situation &&
		before.Owner == after.Owner && before.Dead == after.Dead && before.Identifier == after.Identifier
}

// taken is the error of a user name that belongs to a user the object
// did not correlate to.
func takenName(name string) error {
	return fmt.Errorf("a user named %q already exists but the object does not correlate to it; correct the data or the correlation rule", name)
}
