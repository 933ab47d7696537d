package synchronization

import (
	"errors"
	"fmt"
	"slices"

	"github.com/syncline/syncline/engine/connector"
	"github.com/syncline/syncline/state"
)

// opLink links an existing object to its user without changing it.
const opLink = "link"

// provision computes, for every object type with outbound mappings, the
// operation that brings u's object of that type in line with the
// mappings: create it, update the attributes that differ, disable or
// delete it, or nothing.
func (d *decider) provision(u *state.User, e *effects) error {
	owned, err := d.ownedShadows(u, e)
	if err != nil {
		return err
	}
	d.cur = e.shadow
	// One evaluation of u serves every type's expressions (u does not
	// change from here on).
	d.ue = d.w.userEval(u)
	defer func() { d.ue = nil }()
	for _, rt := range d.w.types {
		if !rt.provisions() {
			continue
		}
		var linked *state.Shadow
		for _, sh := range owned {
			if sh.Resource == rt.res.Name && sh.Kind == rt.ot.Kind && sh.Intent == rt.ot.Intent {
				linked = sh
				break
			}
		}
		op, err := d.project(rt, u, linked)
		if err == nil {
			var problems []error
			op, problems, err = d.associate(rt, u, e.userBefore, linked, op)
			e.problems = append(e.problems, problems...)
		}
		var oe *objectError
		if errors.As(err, &oe) {
			// One resource's trouble does not hold back the user's other
			// changes: it is recorded as the object's error.
			e.problems = append(e.problems, err)
			continue
		}
		if err != nil {
			return err
		}
		if op != nil {
			e.accounts = append(e.accounts, op)
		}
	}
	return nil
}

// ownedShadows returns u's live shadows, with the object being
// synchronized in its decided form.
func (d *decider) ownedShadows(u *state.User, e *effects) ([]*state.Shadow, error) {
	var stored []*state.Shadow
	if u.ID != 0 {
		var err error
		if stored, err = d.r.ShadowsOfUser(u.ID); err != nil {
			return nil, err
		}
	}
	cur := e.shadow
	var out []*state.Shadow
	for _, sh := range stored {
		if !sh.Dead && (cur == nil || !sameObject(sh, cur)) {
			out = append(out, sh)
		}
	}
	if cur != nil && !cur.Dead && (e.linkOp == "link" || (u.ID != 0 && cur.Owner == u.ID)) {
		out = append(out, cur)
	}
	return out, nil
}

func sameObject(a, b *state.Shadow) bool {
	return a.Resource == b.Resource && a.Kind == b.Kind && a.Intent == b.Intent && a.Key == b.Key
}

// project decides the operation on u's object of type rt; linked is the
// live object linked to u, or nil.
func (d *decider) project(rt *resourceType, u *state.User, linked *state.Shadow) (*accountOp, error) {
	ue := d.userEval(u)
	want, err := ue.wants(rt)
	if err != nil {
		return nil, objErr(CategoryMapping, fmt.Errorf("%s: %w", rt.address(), err))
	}
	if !want {
		if linked == nil {
			return nil, nil
		}
		return d.deprovision(rt, linked), nil
	}
	desired, err := ue.outbound(rt)
	if err != nil {
		return nil, objErr(CategoryMapping, fmt.Errorf("%s: %w", rt.address(), err))
	}
	if act := rt.ot.Activation; act != nil && len(desired[act.Attribute]) == 0 {
		desired[act.Attribute] = []string{act.Enabled}
	}
	id := desired.First(rt.idAttr)
	if id == "" {
		return nil, objErrf(CategoryMapping, "%s: the outbound mappings give no %s, the attribute that identifies objects; add an outbound mapping for it",
			rt.address(), rt.idAttr)
	}
	key := d.w.matchKey(d.ctx, rt, id)
	if linked != nil {
		if key != linked.Key && key != renamingTo(linked) {
			return d.rename(rt, linked, id, key, desired), nil
		}
		return d.update(rt, linked, desired), nil
	}
	return d.create(rt, u, id, key, desired)
}

// rename is the operation that gives sh the identifier id (key key): a
// rename, followed by the update of the other attributes that differ.
// The shadow keeps its identifier until the rename is carried out.
func (d *decider) rename(rt *resourceType, sh *state.Shadow, id, key string, desired connector.Attributes) *accountOp {
	cp := *sh
	op := &accountOp{rt: rt, shadow: &cp, op: state.OpRename, newID: id, newKey: key,
		attrs: connector.Attributes{}, before: connector.Attributes{}}
	if u := d.update(rt, sh, desired); u != nil {
		op.attrs, op.before = u.attrs, u.before
	}
	return op
}

// renamingTo is the key the last queued rename of sh gives it, or "": a
// rename queued and not yet carried out is not queued again.
func renamingTo(sh *state.Shadow) string {
	for i := len(sh.Pending) - 1; i >= 0; i-- {
		if sh.Pending[i].Op == state.OpRename {
			return sh.Pending[i].Key
		}
	}
	return ""
}

// create decides the operation for a user who has no object of type rt
// yet: link an unowned object with that identifier, or create one.
func (d *decider) create(rt *resourceType, u *state.User, id, key string, desired connector.Attributes) (*accountOp, error) {
	var existing *state.Shadow
	if !d.keys.absent(rt, key) {
		var err error
		if existing, err = d.r.ShadowByKey(rt.res.Name, rt.ot.Kind, rt.ot.Intent, key); err != nil {
			return nil, err
		}
		if existing == nil {
			d.keys.missed(rt)
		}
	}
	if existing != nil && d.cur != nil && sameObject(existing, d.cur) {
		existing = d.cur // the object being synchronized, as just decided
	}
	if existing != nil && !existing.Dead {
		if existing.Owner != 0 && existing.Owner != u.ID {
			return nil, objErrf(CategoryCorrelation, "%s: object %q already belongs to another user (ID %d)", rt.address(), existing.Identifier, existing.Owner)
		}
		op := d.update(rt, existing, desired)
		if op == nil {
			sh := *existing
			op = &accountOp{rt: rt, shadow: &sh, op: opLink}
		}
		op.newOwner = true
		op.shadow.Situation = "linked"
		return op, nil
	}
	sh := &state.Shadow{Resource: rt.res.Name, Kind: rt.ot.Kind, Intent: rt.ot.Intent}
	if existing != nil {
		cp := *existing // a dead shadow comes back to life
		sh = &cp
	}
	sh.Identifier, sh.Key = id, key
	sh.MappingHash, sh.Situation, sh.Dead = rt.mappingHash, "linked", false
	d.keys.taken(rt, key)
	return &accountOp{rt: rt, shadow: sh, op: state.OpCreate, attrs: desired, newOwner: true}, nil
}

// update returns the update of the attributes of sh that differ from
// desired, or nil when none does.
func (d *decider) update(rt *resourceType, sh *state.Shadow, desired connector.Attributes) *accountOp {
	attrs, before := connector.Attributes{}, connector.Attributes{}
	for name, vs := range desired { // maps both: no order to keep
		if name == rt.idAttr {
			continue
		}
		want := vs
		if rt.writeOnly[name] {
			want = rt.fingerprint(name, want) // what the shadow keeps of it
		}
		if cur := sh.Attributes[name]; !slices.Equal(cur, want) {
			attrs[name], before[name] = vs, cur
		}
	}
	if len(attrs) == 0 {
		return nil
	}
	cp := *sh
	op := state.OpUpdate
	if act := rt.ot.Activation; act != nil && len(attrs) == 1 && attrs.First(act.Attribute) == act.Disabled {
		op = state.OpDisable
	}
	return &accountOp{rt: rt, shadow: &cp, op: op, attrs: attrs, before: before}
}

// deprovision is what happens to sh when its user should no longer have
// it, as the type's deprovision setting says.
func (d *decider) deprovision(rt *resourceType, sh *state.Shadow) *accountOp {
	cp := *sh
	switch rt.ot.Deprovision {
	case "keep":
		return nil
	case "disable":
		return d.disableOp(rt, &cp)
	}
	return &accountOp{rt: rt, shadow: &cp, op: state.OpDelete, before: sh.Attributes}
}

// disableOp sets the activation attribute of sh to its disabled value,
// or returns nil when it already has it (or the type cannot be disabled).
func (d *decider) disableOp(rt *resourceType, sh *state.Shadow) *accountOp {
	act := rt.ot.Activation
	if act == nil || connector.Attributes(sh.Attributes).First(act.Attribute) == act.Disabled {
		return nil
	}
	cp := *sh
	return &accountOp{rt: rt, shadow: &cp, op: state.OpDisable,
		attrs:  connector.Attributes{act.Attribute: {act.Disabled}},
		before: connector.Attributes{act.Attribute: sh.Attributes[act.Attribute]}}
}
