package synchronization

import (
	"context"
	"fmt"
	"hash"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/hashicorp/hcl/v2"
	"github.com/syncline/syncline/config"
	"github.com/syncline/syncline/engine/connector"
	"github.com/syncline/syncline/state"
)

// Memberships. An account object type's association blocks say which
// groups (of an entitlement object type on the same resource) its owner's
// account should be in. Whenever provisioning decides a user's account
// (project), associate compares those groups with the account's actual
// memberships and queues the difference on the account's shadow as
// pending operations of their own, one member value each:
//
//	member_add     Identifier: the group's name; Key: the entitlement's
//	member_remove  intent; Attributes["member"]: the member value
//
// The executor carries them out through connector.Memberships (an LDAP
// modify adding or deleting one member value), in order with the
// account's own operations: adds after a create, removals before a
// delete or disable, and after a rename the old DN's removal and the new
// DN's add.
//
// The actual memberships are read from the resource, once per job and
// entitlement object type (groupIndex): every group with its members. So
// a membership added or removed by hand is always seen, and nothing about
// memberships is stored in the state beyond the pending operations.

// Pending operations and an account operation of memberships.
const (
	opMemberAdd    = "member_add"
	opMemberRemove = "member_remove"
	// opMembers is an account operation that changes memberships only.
	opMembers = "memberships"
)

// memberAttribute is the attribute of a member operation that holds the
// member value.
const memberAttribute = "member"

func isMemberOp(op string) bool { return op == opMemberAdd || op == opMemberRemove }

// memberOp is one membership change of an account.
type memberOp struct {
	entitlement string // the entitlement object type's intent
	group       string // the group's name
	value       string // the member value (LDAP: the account's DN)
	remove      bool
}

// groupIndex is what one entitlement object type's groups hold on the
// resource: group names and who is in each.
type groupIndex struct {
	class    connector.GroupClass
	declared map[string]bool // lower-case names of the declared groups
	mu       sync.Mutex
	names    map[string]string          // lower-case name → the name as the resource spells it
	memberOf map[string]map[string]bool // member key → lower-case group names
}

// memberships holds a job's group indexes, read on first use.
type memberships struct {
	mu   sync.Mutex
	idx  map[string]*groupIndex
	errs map[string]error
}

// groupClass is where the groups of the entitlement object type et are.
func groupClass(et *config.ObjectType) connector.GroupClass {
	g := et.Group
	if g.Membership == config.MembershipAccount {
		return connector.GroupClass{AccountAttribute: g.AccountAttribute}
	}
	class := et.ObjectClass
	if class == "" {
		class = "groupOfNames"
	}
	return connector.GroupClass{ObjectClass: class, Container: g.Container, NameAttribute: g.NameAttribute, MemberAttribute: g.MemberAttribute,
		MemberIsIdentifier: g.MemberValue == config.MemberValueIdentifier}
}

// groups returns the index of the groups of entitlement intent on res,
// reading them on first use.
func (w *world) groups(ctx context.Context, res *config.Resource, intent string) (*groupIndex, error) {
	key := res.Name + "/" + intent
	w.members.mu.Lock()
	defer w.members.mu.Unlock()
	if idx, ok := w.members.idx[key]; ok {
		return idx, nil
	}
	if err, ok := w.members.errs[key]; ok {
		return nil, err
	}
	idx, err := w.readGroups(ctx, res, intent)
	if w.members.idx == nil {
		w.members.idx, w.members.errs = map[string]*groupIndex{}, map[string]error{}
	}
	if err != nil {
		w.members.errs[key] = err
		return nil, err
	}
	w.members.idx[key] = idx
	return idx, nil
}

func (w *world) readGroups(ctx context.Context, res *config.Resource, intent string) (*groupIndex, error) {
	et := res.ObjectType(config.KindEntitlement, intent)
	if et == nil || et.Group == nil {
		return nil, fmt.Errorf("resource %q has no object_type %q with intent %q and a group block", res.Name, config.KindEntitlement, intent)
	}
	mem, err := w.memberConn(ctx, res.Name)
	if err != nil {
		return nil, err
	}
	idx := &groupIndex{class: groupClass(et), declared: map[string]bool{}, names: map[string]string{}, memberOf: map[string]map[string]bool{}}
	for _, n := range et.Group.Declared {
		idx.declared[strings.ToLower(n)] = true
	}
	for g, err := range mem.Groups(ctx, idx.class) {
		if err != nil {
			return nil, err
		}
		lower := strings.ToLower(g.Name)
		idx.names[lower] = g.Name
		for _, m := range g.Members {
			idx.add(m, lower)
		}
	}
	return idx, nil
}

// memberConn is resource name's connector as connector.Memberships.
func (w *world) memberConn(ctx context.Context, name string) (connector.Memberships, error) {
	conn, err := w.conn(ctx, name)
	if err != nil {
		return nil, err
	}
	mem, ok := conn.(connector.Memberships)
	if !ok {
		return nil, fmt.Errorf("the %s connector of resource %q keeps no group memberships", w.cfg.Resources[name].Connector, name)
	}
	return mem, nil
}

func (idx *groupIndex) add(member, lower string) {
	set := idx.memberOf[member]
	if set == nil {
		set = map[string]bool{}
		idx.memberOf[member] = set
	}
	set[lower] = true
}

// of returns the lower-case names of the groups member is in.
func (idx *groupIndex) of(member string) map[string]bool {
	idx.mu.Lock()
	defer idx.mu.Unlock()
	out := map[string]bool{}
	for g := range idx.memberOf[member] {
		out[g] = true
	}
	return out
}

// record makes the index say what ops will have done, so that the
// job's later decisions start from there.
func (idx *groupIndex) record(key func(string) string, ops []memberOp) {
	idx.mu.Lock()
	defer idx.mu.Unlock()
	for _, op := range ops {
		lower := strings.ToLower(op.group)
		k := key(op.value)
		if op.remove {
			delete(idx.memberOf[k], lower)
			continue
		}
		if _, ok := idx.names[lower]; !ok {
			idx.names[lower] = op.group
		}
		idx.add(k, lower)
	}
}

// name returns the name of the group lower as the resource spells it,
// or "" when there is no such group.
func (idx *groupIndex) name(lower string) string {
	idx.mu.Lock()
	defer idx.mu.Unlock()
	return idx.names[lower]
}

// associate adds to op (the account operation project decided for u's
// object of type rt, possibly nil; linked is u's linked object or nil) the
// membership changes its associations call for, and returns it — a new
// membership-only operation when op was nil and memberships change.
// before is u as it was before this decision changed it (nil: new, or
// unchanged): the groups it gave are the ones Syncline gave the account
// until now, which a tolerant association removes when they are no
// longer given, as midPoint's relative mappings do.
func (d *decider) associate(rt *resourceType, u, before *state.User, linked *state.Shadow, op *accountOp) (*accountOp, []error, error) {
	if len(rt.ot.Associations) == 0 || (op == nil && linked == nil) {
		return op, nil, nil
	}
	removeAll := op != nil && (op.op == state.OpDelete || op.op == state.OpDisable)
	if !removeAll {
		want, err := d.userEval(u).wants(rt)
		if err != nil || !want {
			return op, nil, nil // project reported the error; not wanted and kept: left alone
		}
	}
	curID, newID := accountIdentifiers(linked, op)
	if newID == "" {
		return op, nil, nil
	}
	mem, err := d.w.memberConn(d.ctx, rt.res.Name)
	if err != nil {
		return op, nil, objErr(CategoryResource, fmt.Errorf("%s: %w", rt.address(), err))
	}
	var changes, tolerated []memberOp
	var problems []error
	for _, a := range rt.ot.Associations {
		idx, err := d.w.groups(d.ctx, rt.res, a.Entitlement)
		if err != nil {
			return op, nil, objErr(CategoryResource, fmt.Errorf("%s: the groups of entitlement %q: %w", rt.address(), a.Entitlement, err))
		}
		oldV, newV, err := memberValues(d.ctx, mem, idx.class, curID, newID)
		if err != nil {
			if op != nil && op.op == state.OpCreate {
				return op, nil, nil // not there yet: its memberships follow once it is
			}
			return op, nil, objErr(CategoryResource, fmt.Errorf("%s: the member value: %w", rt.address(), err))
		}
		var desired, given map[string]string
		if !removeAll {
			if desired, problems, err = d.desiredGroups(rt, a, idx, u, problems); err != nil {
				return op, nil, err
			}
		}
		if before != nil && a.Tolerant {
			given, _, _ = d.desiredGroups(rt, a, idx, before, nil) // its errors were the last decision's
		}
		actual := idx.of(mem.MemberKey(oldV))
		if idx.class.OnAccount() && oldV != newV {
			// The values live on the entry, which the rename moves: the
			// renamed entry has them, and only the difference is changed,
			// on the new DN.
			idx.move(mem.MemberKey(oldV), mem.MemberKey(newV))
			oldV = newV
		}
		ch, tol := membershipDiff(a, idx, desired, given, actual, oldV, newV, removeAll)
		idx.record(mem.MemberKey, ch)
		changes, tolerated = append(changes, ch...), append(tolerated, tol...)
	}
	if len(changes) == 0 && len(tolerated) == 0 {
		return op, problems, nil
	}
	if op == nil {
		sh := *linked
		op = &accountOp{rt: rt, shadow: &sh, op: opMembers}
	}
	op.members, op.tolerated = changes, tolerated
	return op, problems, nil
}

// memberValues are the values that record the account as a member of
// class's groups now (identifier curID; "" when it does not exist yet)
// and once its operation is done (newID): its identifier itself
// (posixGroup's memberUid), or the connector's member value (its DN).
func memberValues(ctx context.Context, mem connector.Memberships, class connector.GroupClass, curID, newID string) (oldV, newV string, err error) {
	value := func(id string) (string, error) {
		if class.MemberIsIdentifier {
			return id, nil
		}
		return mem.MemberValue(ctx, id)
	}
	if newV, err = value(newID); err != nil {
		return "", "", fmt.Errorf("of %q: %w", newID, err)
	}
	oldV = newV
	if curID != "" && curID != newID {
		if oldV, err = value(curID); err != nil {
			return "", "", fmt.Errorf("of %q: %w", curID, err)
		}
	}
	return oldV, newV, nil
}

// accountIdentifiers are the identifier of op's object as it is on the
// resource now ("" when it does not exist yet) and once op is done.
func accountIdentifiers(linked *state.Shadow, op *accountOp) (cur, next string) {
	switch {
	case linked != nil:
		cur = linked.Identifier
	case op != nil && op.op != state.OpCreate:
		cur = op.shadow.Identifier
	}
	next = cur
	if op != nil {
		switch op.op {
		case state.OpCreate:
			next = op.shadow.Identifier
		case state.OpRename:
			next = op.newID
		}
	}
	return cur, next
}

// desiredGroups evaluates a's groups for u: lower-case name → name. A
// group that is neither on the resource nor declared is left out and
// reported among problems — unless memberships are stored on the
// account, where a group is only a name.
func (d *decider) desiredGroups(rt *resourceType, a *config.Association, idx *groupIndex, u *state.User, problems []error) (map[string]string, []error, error) {
	v, diags := config.Evaluate(a.Groups, d.userEval(u).ctx(rt))
	if diags.HasErrors() {
		return nil, problems, objErr(CategoryMapping, fmt.Errorf("%s: association %q: %w", rt.address(), a.Name, config.DiagnosticsError("groups", diags)))
	}
	names, err := resourceValues(v)
	if err != nil {
		return nil, problems, objErr(CategoryMapping, fmt.Errorf("%s: association %q: groups: %w", rt.address(), a.Name, err))
	}
	out := map[string]string{}
	for _, n := range names {
		if strings.TrimSpace(n) == "" {
			continue // no group
		}
		lower := strings.ToLower(n)
		if existing := idx.name(lower); existing != "" {
			out[lower] = existing
			continue
		}
		if !idx.declared[lower] && !idx.class.OnAccount() { // on the account any name is a group
			problems = append(problems, objErr(CategoryMapping, fmt.Errorf(
				"%s: association %q: the group %q does not exist on the resource and is not declared; create it, or list it in the group block's declared = [...] of entitlement %q for Syncline to create it",
				rt.address(), a.Name, n, a.Entitlement)))
			continue
		}
		out[lower] = n
	}
	return out, problems, nil
}

// membershipDiff returns the changes that take an account from the groups
// actual (member value oldV) to the groups desired (member value newV),
// and the memberships a tolerant association keeps: those not desired and
// not given until now (given), which someone else made. removeAll removes
// every membership, tolerated or not.
func membershipDiff(a *config.Association, idx *groupIndex, desired, given map[string]string, actual map[string]bool, oldV, newV string, removeAll bool) (changes, tolerated []memberOp) {
	keep := map[string]string{}
	for g, n := range desired {
		keep[g] = n
	}
	for _, g := range sortedKeys(actual) {
		if _, ok := desired[g]; ok || removeAll {
			continue
		}
		if _, ok := given[g]; ok {
			continue // Syncline's own, no longer given: removed
		}
		n := idx.name(g)
		if a.Tolerant {
			tolerated = append(tolerated, memberOp{entitlement: a.Entitlement, group: n, value: oldV})
			keep[g] = n
		}
	}
	// Adds come first: someone moving between groups is never in none,
	// and a renamed account's new DN joins a group before its old DN
	// leaves it, so a group of one member never has to lose its last.
	renamed := oldV != newV
	for _, g := range sortedKeys(keep) {
		if !actual[g] || renamed {
			changes = append(changes, memberOp{entitlement: a.Entitlement, group: keep[g], value: newV})
		}
	}
	for _, g := range sortedKeys(actual) {
		if _, ok := keep[g]; !ok || renamed {
			changes = append(changes, memberOp{entitlement: a.Entitlement, group: idx.name(g), value: oldV, remove: true})
		}
	}
	return changes, tolerated
}

func sortedKeys[V any](m map[string]V) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	slices.Sort(out)
	return out
}

// queueAll queues a's operations on sh: its memberships' removals before
// a delete or disable (a leaving account loses its memberships first),
// otherwise after the account's own operation.
func queueAll(sh *state.Shadow, a *accountOp, now time.Time) {
	base := state.PendingOperation{QueuedAt: now}
	if gi := a.rt.res.GroupingInterval; gi > 0 {
		base.NextAttemptAt = now.Add(gi)
	}
	switch a.op {
	case opMembers, opLink:
		queueMembers(sh, a, base)
	case state.OpDelete, state.OpDisable:
		queueMembers(sh, a, base)
		queue(sh, a, now)
	default:
		queue(sh, a, now)
		queueMembers(sh, a, base)
	}
}

// queues reports whether a puts operations in its shadow's queue: an
// operation on the resource, or membership changes.
func (a *accountOp) queues() bool { return a.writes() || len(a.members) > 0 }

// queueMembers appends a's membership changes to sh's pending
// operations; base holds their queue time and first attempt.
func queueMembers(sh *state.Shadow, a *accountOp, base state.PendingOperation) {
	if len(a.members) == 0 {
		return
	}
	sh.Pending = slices.Clone(sh.Pending)
	for _, m := range a.members {
		p := base
		p.Op, p.Identifier, p.Key = opMemberAdd, m.group, m.entitlement
		if m.remove {
			p.Op = opMemberRemove
		}
		p.Attributes = map[string][]string{memberAttribute: {m.value}}
		sh.Pending = append(sh.Pending, p)
	}
}

// memberRemovals counts the membership removals of a's changes, as the
// max_membership_removals threshold sees them.
func (a *accountOp) memberRemovals() int {
	n := 0
	for _, m := range a.members {
		if m.remove {
			n++
		}
	}
	return n
}

// memberChanges are the run changes of a's memberships: with written set
// (full mode) only the tolerated ones, which nothing writes; the executor
// records the others once carried out.
func (a *accountOp) memberChanges(activity, user string, sit config.Situation, written bool) []state.RunChange {
	var out []state.RunChange
	if !written {
		for _, m := range a.members {
			out = append(out, a.memberChange(activity, user, sit, m, memberOpName(m.remove)))
		}
	}
	for _, m := range a.tolerated {
		out = append(out, a.memberChange(activity, user, sit, m, "tolerate"))
	}
	return out
}

// memberStatistics are the statistics of memberChanges, one per change.
func (a *accountOp) memberStatistics(written bool) []string {
	var out []string
	if !written {
		for _, m := range a.members {
			out = append(out, "memberships."+memberOpName(m.remove))
		}
	}
	for range a.tolerated {
		out = append(out, "memberships.tolerate")
	}
	return out
}

func memberOpName(remove bool) string {
	if remove {
		return "remove"
	}
	return "add"
}

func (a *accountOp) memberChange(activity, user string, sit config.Situation, m memberOp, op string) state.RunChange {
	return state.RunChange{Activity: activity, Object: "membership", Op: op, User: user,
		Resource: a.rt.res.Name, Kind: config.KindEntitlement, Intent: m.entitlement, Identifier: m.group,
		Situation: string(sit), Attributes: []state.AttributeChange{memberValueChange(m.value, m.remove)}}
}

// memberValueChange is the member value a membership change adds or
// removes, as the change's one attribute.
func memberValueChange(value string, remove bool) state.AttributeChange {
	if remove {
		return state.AttributeChange{Name: memberAttribute, Before: []string{value}}
	}
	return state.AttributeChange{Name: memberAttribute, After: []string{value}}
}

// memberCarriedOut is the run change of a carried-out (or failed)
// membership operation p on sh.
func memberCarriedOut(sh *state.Shadow, p *state.PendingOperation, it intent, err error) state.RunChange {
	remove := p.Op == opMemberRemove
	value := ""
	if vs := p.Attributes[memberAttribute]; len(vs) > 0 {
		value = vs[0]
	}
	c := state.RunChange{Activity: it.activity, Object: "membership", Op: memberOpName(remove), User: it.user,
		Resource: sh.Resource, Kind: config.KindEntitlement, Intent: p.Key, Identifier: p.Identifier,
		Situation: string(it.situation), Attributes: []state.AttributeChange{memberValueChange(value, remove)}}
	if err != nil {
		c.Error = err.Error()
	}
	return c
}

// changeMembers carries out the membership operations of batch at the
// indexes at, on the resource name, filling in their errors.
func (x *executor) changeMembers(ctx context.Context, conn connector.Connector, name string, batch []*step, at []int, errs []error) {
	if len(at) == 0 {
		return
	}
	mem, ok := conn.(connector.Memberships)
	res := x.w.cfg.Resources[name]
	byClass := map[string][]int{} // entitlement intent → indexes into batch
	var order []string
	for _, i := range at {
		intent := batch[i].op.Key
		if _, seen := byClass[intent]; !seen {
			order = append(order, intent)
		}
		byClass[intent] = append(byClass[intent], i)
	}
	for _, intent := range order {
		idxs := byClass[intent]
		var et *config.ObjectType
		if res != nil {
			et = res.ObjectType(config.KindEntitlement, intent)
		}
		if !ok || et == nil || et.Group == nil {
			for _, i := range idxs {
				errs[i] = fmt.Errorf("resource %q has no entitlement %q with a group block, or its connector keeps no memberships: the membership change cannot be carried out", name, intent)
			}
			continue
		}
		declared := map[string]string{} // lower-case name → the name as declared
		for _, n := range et.Group.Declared {
			declared[strings.ToLower(n)] = n
		}
		changes := make([]connector.MemberChange, 0, len(idxs))
		sent := make([]int, 0, len(idxs))    // indexes into batch of changes
		created := map[string]createdGroup{} // the attributes of each declared group, evaluated once
		for _, i := range idxs {
			ch, err := x.memberChange(et, batch[i].op, declared, created)
			if err != nil {
				errs[i] = err
				continue
			}
			changes, sent = append(changes, ch), append(sent, i)
		}
		for k, err := range mem.ChangeMembers(ctx, groupClass(et), changes) {
			errs[sent[k]] = err
		}
	}
}

// memberChange is the connector's change of the membership operation p
// on a group of the entitlement et: an add to a declared group may
// create it, with the attributes its group block gives for the name as
// declared (evaluated now; an error fails this change only, and nothing
// is sent for it).
func (x *executor) memberChange(et *config.ObjectType, p *state.PendingOperation, declared map[string]string, created map[string]createdGroup) (connector.MemberChange, error) {
	value := ""
	if vs := p.Attributes[memberAttribute]; len(vs) > 0 {
		value = vs[0]
	}
	name, isDeclared := declared[strings.ToLower(p.Identifier)]
	ch := connector.MemberChange{Group: p.Identifier, Member: value, Remove: p.Op == opMemberRemove, Create: isDeclared}
	if ch.Create && !ch.Remove {
		c, ok := created[name]
		if !ok {
			c.attrs, c.err = x.w.cfg.GroupAttributes(et.Group, name)
			created[name] = c
		}
		if c.err != nil {
			return ch, objErr(CategoryMapping, fmt.Errorf("the attributes of the declared group %q: %w", name, c.err))
		}
		ch.Attributes = c.attrs
	}
	return ch, nil
}

// createdGroup is what a declared group is created with, or why not.
type createdGroup struct {
	attrs map[string][]string
	err   error
}

// memberDone records a carried-out membership operation.
func memberDone(rec Recorder, p *state.PendingOperation) {
	rec.AddStatistic("memberships."+memberOpName(p.Op == opMemberRemove), 1)
}

// writeAssociations adds rt's associations and groups to a mapping hash:
// when they change, accounts are synchronized again.
func writeAssociations(h hash.Hash, cfg *config.Config, ot *config.ObjectType) {
	for _, a := range ot.Associations {
		fmt.Fprintf(h, "association=%s/%s/%t/%s\x00", a.Name, a.Entitlement, a.Tolerant, exprSource(cfg, a.Groups))
	}
}

// associationExprs are the groups expressions of ot's associations.
func associationExprs(ot *config.ObjectType) []hcl.Expression {
	out := make([]hcl.Expression, 0, len(ot.Associations))
	for _, a := range ot.Associations {
		out = append(out, a.Groups)
	}
	return out
}

// neverCreated returns the index of the create never tried that ops end
// with (only membership operations after it), or -1: a delete then
// cancels the create and the memberships queued after it.
func neverCreated(ops []state.PendingOperation) int {
	for i := len(ops) - 1; i >= 0; i-- {
		switch {
		case ops[i].Op == state.OpCreate && ops[i].Attempts == 0:
			return i
		case !isMemberOp(ops[i].Op):
			return -1
		}
	}
	return -1
}

// memberRemovals are the membership removals of ops, which a delete
// queued after them keeps: a leaving account loses its memberships
// before it goes.
func memberRemovals(ops []state.PendingOperation) []state.PendingOperation {
	var out []state.PendingOperation
	for _, p := range ops {
		if p.Op == opMemberRemove {
			out = append(out, p)
		}
	}
	return out
}

// memberHash makes the memberships of an account part of the hash a
// pass tells unchanged objects by: a membership added or removed by hand
// on a group changes no attribute of the account's entry, yet the next
// reconciliation must decide the account again (and report or remove
// it).
type memberHash struct {
	mem     connector.Memberships
	intents []string
	idxs    []*groupIndex
}

// loadMemberships reads the groups of the pass's account type's
// associations, for objectHash; a type without associations needs none.
func (p *pass) loadMemberships(ctx context.Context) error {
	if len(p.rt.ot.Associations) == 0 {
		return nil
	}
	mem, err := p.w.memberConn(ctx, p.rt.res.Name)
	if err != nil {
		return err
	}
	mh := &memberHash{mem: mem}
	for _, a := range p.rt.ot.Associations {
		idx, err := p.w.groups(ctx, p.rt.res, a.Entitlement)
		if err != nil {
			return fmt.Errorf("%s: the groups of entitlement %q: %w", p.rt.address(), a.Entitlement, err)
		}
		mh.intents, mh.idxs = append(mh.intents, a.Entitlement), append(mh.idxs, idx)
	}
	p.members = mh
	return nil
}

// objectHash is the hash of obj's attributes and, on an account type with
// associations, of the groups it is in.
func (p *pass) objectHash(obj connector.Object) [16]byte {
	mh := p.members
	if mh == nil {
		return attributesHash(obj.Attributes)
	}
	var groups []string
	for i, idx := range mh.idxs {
		v, ok := obj.ID, idx.class.MemberIsIdentifier
		if !ok {
			// A member value that takes a read (an LDAP identifier other
			// than the naming attribute) is not worth one per object read:
			// such an account's groups are checked when it is decided.
			if v, ok = mh.mem.MemberValueKnown(obj.ID); !ok {
				continue
			}
		}
		for _, g := range sortedKeys(idx.of(mh.mem.MemberKey(v))) {
			groups = append(groups, mh.intents[i]+"/"+g)
		}
	}
	attrs := make(connector.Attributes, len(obj.Attributes)+1)
	for k, vs := range obj.Attributes {
		attrs[k] = vs
	}
	attrs["\x00memberships"] = groups
	return attributesHash(attrs)
}
