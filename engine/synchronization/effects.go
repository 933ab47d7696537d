package synchronization

import (
	"maps"
	"slices"

	"github.com/syncline/syncline/config"
	"github.com/syncline/syncline/engine/connector"
	"github.com/syncline/syncline/state"
)

// User operations an object's reaction can imply.
const (
	userAdd     = "add"
	userModify  = "modify"
	userDisable = "disable"
	userEnable  = "enable"
	userDelete  = "delete"
)

// effects are everything one object's situation and reaction imply,
// decided before anything is written: preview records them, full mode
// applies them, thresholds count them.
type effects struct {
	item      string // the object's identifier, for errors
	situation config.Situation
	reaction  config.Reaction

	// shadow is the object's shadow as it should be stored; nil stores
	// nothing.
	shadow *state.Shadow
	// user is the user after the reaction (nil: none concerned); userOp
	// says what happens to it, before is how it was (nil for a new one).
	user       *state.User
	userOp     string
	userBefore *state.User
	userDiff   []state.AttributeChange
	// linkOp is "link" or "unlink" when the object's link changes.
	linkOp string

	accounts []*accountOp
	// problems are the object's errors that did not stop its other
	// effects: an object type whose outbound mappings failed for the user.
	problems []error
}

// accountOp is one provisioning operation on a resource object.
type accountOp struct {
	rt     *resourceType
	shadow *state.Shadow // existing (ID > 0) or new; its owner is set
	op     string        // state.OpCreate, OpUpdate, OpDelete or OpDisable
	// attrs: for create, the whole object; for update and disable, the
	// attributes to replace.
	attrs  connector.Attributes
	before connector.Attributes // the replaced attributes' old values
	// newOwner is set when the shadow is (re)linked to the user.
	newOwner bool
	// newID and newKey are a rename's new identifier and key (op
	// OpRename); attrs then holds the other attributes that change.
	newID, newKey string
	// members are the account's membership changes (memberships.go);
	// tolerated the hand-made memberships a tolerant association keeps.
	members, tolerated []memberOp
}

// counts of an object's effects, as thresholds see them.
type counts struct{ creations, deletions, disables, memberRemovals int }

func (e *effects) counts() counts {
	var c counts
	switch e.userOp {
	case userAdd:
		c.creations++
	case userDelete:
		c.deletions++
	case userDisable:
		c.disables++
	}
	for _, a := range e.accounts {
		c.memberRemovals += a.memberRemovals()
		switch a.op {
		case state.OpCreate:
			c.creations++
		case state.OpDelete:
			if !cancelsOut(a.shadow) {
				c.deletions++
			}
		case state.OpDisable:
			c.disables++
		}
	}
	return c
}

// changes returns the run changes e stands for, in the order they
// happen. With written set (full mode) an account operation that writes
// to a resource is left out: the executor records it once it is carried
// out, or failed.
func (e *effects) changes(activity string, written bool) []state.RunChange {
	var out []state.RunChange
	userName := ""
	if e.user != nil {
		userName = e.user.Name
	}
	if e.userOp != "" {
		diff := e.userDiff
		if diff == nil && e.userOp != userDelete {
			diff = userChanges(e.userBefore, e.user)
		}
		c := state.RunChange{Activity: activity, Object: "user", Op: e.userOp, User: userName,
			Situation: string(e.situation), Attributes: diff}
		if e.shadow != nil {
			c.Resource, c.Kind, c.Intent, c.Identifier = e.shadow.Resource, e.shadow.Kind, e.shadow.Intent, e.shadow.Identifier
		}
		out = append(out, c)
	}
	if e.linkOp != "" && e.shadow != nil && e.userOp != userAdd {
		out = append(out, state.RunChange{Activity: activity, Object: "user", Op: e.linkOp, User: userName,
			Resource: e.shadow.Resource, Kind: e.shadow.Kind, Intent: e.shadow.Intent, Identifier: e.shadow.Identifier,
			Situation: string(e.situation)})
	}
	for _, a := range e.accounts {
		if !written || !a.writes() {
			out = append(out, a.changes(activity, userName, e.situation)...)
		}
		out = append(out, a.memberChanges(activity, userName, e.situation, written)...)
	}
	return out
}

// statistics returns the names of the statistics e counts: users.OP and
// accounts.OP, as its changes would say. With written set (full mode) an
// account operation that writes to a resource is left out: the executor
// counts it once it is carried out.
func (e *effects) statistics(written bool) []string {
	var out []string
	if e.userOp != "" {
		out = append(out, "users."+e.userOp)
	}
	if e.linkOp != "" && e.shadow != nil && e.userOp != userAdd {
		out = append(out, "users."+e.linkOp)
	}
	for _, a := range e.accounts {
		out = append(out, a.memberStatistics(written)...)
		if (written && a.writes()) || a.op == opMembers {
			continue
		}
		out = append(out, "accounts."+opName(a.op))
		if a.op == state.OpRename && len(a.attrs) > 0 {
			out = append(out, "accounts.modify") // as the executor carries it out
		}
	}
	return out
}

// writes reports whether a is an operation on the resource (not a link
// of an existing object).
func (a *accountOp) writes() bool { return a.op != opLink }

// opName is the name of a resource operation in statistics and run
// changes: "modify" for an update.
func opName(op string) string {
	if op == state.OpUpdate {
		return "modify"
	}
	return op
}

// changes are a's run changes: one, or for a rename that also changes
// other attributes, the rename and the update under the new identifier,
// as the executor carries them out.
func (a *accountOp) changes(activity, user string, sit config.Situation) []state.RunChange {
	if a.op == opMembers {
		return nil
	}
	c := a.change(activity, user, sit)
	if a.op != state.OpRename {
		return []state.RunChange{c}
	}
	c.Attributes = nil
	if len(a.attrs) == 0 {
		return []state.RunChange{c}
	}
	m := c
	m.Op, m.Identifier, m.NewIdentifier = "modify", a.newID, ""
	m.Attributes = a.rt.mask(attributeChanges(a.before, a.attrs))
	return []state.RunChange{c, m}
}

func (a *accountOp) change(activity, user string, sit config.Situation) state.RunChange {
	op := opName(a.op)
	c := state.RunChange{Activity: activity, Object: "account", Op: op, User: user,
		Resource: a.rt.res.Name, Kind: a.rt.ot.Kind, Intent: a.rt.ot.Intent, Identifier: a.shadow.Identifier,
		Situation: string(sit), NewIdentifier: a.newID}
	if op != state.OpDelete {
		c.Attributes = a.rt.mask(attributeChanges(a.before, a.attrs))
	}
	return c
}

// attributeChanges lists the attributes of after whose values differ from
// before, by name.
func attributeChanges(before, after connector.Attributes) []state.AttributeChange {
	var out []state.AttributeChange
	for _, name := range after.Names() {
		if !slices.Equal(before[name], after[name]) {
			out = append(out, state.AttributeChange{Name: name, Before: before[name], After: after[name]})
		}
	}
	return out
}

// userChanges lists what differs between two users: name, status and
// attributes.
func userChanges(before, after *state.User) []state.AttributeChange {
	var out []state.AttributeChange
	one := func(s string) []string {
		if s == "" {
			return nil
		}
		return []string{s}
	}
	if before != nil && before.Name == after.Name && before.Status == after.Status && maps.Equal(before.Attributes, after.Attributes) {
		return nil // the common case of a decision: nothing to sort through
	}
	var b state.User
	if before != nil {
		b = *before
	}
	if b.Name != after.Name {
		out = append(out, state.AttributeChange{Name: "name", Before: one(b.Name), After: one(after.Name)})
	}
	if b.Status != after.Status {
		out = append(out, state.AttributeChange{Name: "status", Before: one(b.Status), After: one(after.Status)})
	}
	names := make([]string, 0, len(after.Attributes)+len(b.Attributes))
	for k := range after.Attributes {
		names = append(names, k)
	}
	for k := range b.Attributes {
		if _, ok := after.Attributes[k]; !ok {
			names = append(names, k)
		}
	}
	slices.Sort(names)
	for _, k := range names {
		if b.Attributes[k] != after.Attributes[k] {
			out = append(out, state.AttributeChange{Name: k, Before: one(b.Attributes[k]), After: one(after.Attributes[k])})
		}
	}
	return out
}
