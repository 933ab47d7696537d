package synchronization

import (
	"fmt"
	"slices"
	"strconv"

	"github.com/hashicorp/hcl/v2"
	"github.com/syncline/syncline/config"
	"github.com/syncline/syncline/engine/connector"
	"github.com/syncline/syncline/state"
	"github.com/zclconf/go-cty/cty"
)

// Expressions over a user. Outbound mappings and provision_when are
// evaluated for every user and every object type a decision provisions:
// their simple forms (simple.go) read the user directly, and the hcl scope
// of the user (userValue, a cty object of every attribute) is built at most
// once per user and decision, for the first expression that needs it.

// userForms compiles expressions over a user whose scope presents every
// name in referenced (see userValue).
func userForms(referenced []string) simpleCompiler {
	return simpleCompiler{leaf: func(t hcl.Traversal) simpleExpr { return compileUserAttribute(t, referenced) }}
}

// compileUserAttribute compiles `user.NAME`: the user's name or status,
// or an attribute, null when the user has none. A name the scope would
// not present (hcl's error) has no simple form.
func compileUserAttribute(t hcl.Traversal, referenced []string) simpleExpr {
	if len(t) != 2 || t.RootName() != config.RootUser {
		return nil
	}
	step, ok := t[1].(hcl.TraverseAttr)
	if !ok {
		return nil
	}
	switch name := step.Name; {
	case name == "name":
		return func(src *simpleSource) (simpleValue, bool) { return stringValue(src.user.Name) }
	case name == "status":
		return func(src *simpleSource) (simpleValue, bool) { return stringValue(src.user.Status) }
	case slices.Contains(referenced, name):
		return func(src *simpleSource) (simpleValue, bool) {
			v, ok := src.user.Attributes[name]
			if !ok {
				return simpleValue{kind: simpleNull}, true
			}
			return stringValue(v)
		}
	}
	return nil
}

// compileUserForms compiles the simple forms of rt's outbound mappings and
// provision_when (nil where there is none).
func (rt *resourceType) compileUserForms() {
	c := userForms(rt.userNames)
	rt.outboundForms = make([]simpleExpr, len(rt.ot.Outbound))
	for i, m := range rt.ot.Outbound {
		rt.outboundForms[i] = c.compile(m.Expr)
	}
	if rt.ot.ProvisionWhen != nil {
		rt.whenForm = c.compile(rt.ot.ProvisionWhen)
	}
}

// outboundForm is the simple form of outbound mapping i, or nil.
func (rt *resourceType) outboundForm(i int) simpleExpr {
	if i >= len(rt.outboundForms) {
		return nil
	}
	return rt.outboundForms[i]
}

// resourceValues is what resourceValues gives for the value.
func (v simpleValue) resourceValues() []string {
	switch v.kind {
	case simpleString:
		return connector.Values(v.s)
	case simpleBool:
		return connector.Values(strconv.FormatBool(v.b))
	}
	return nil
}

// userEval evaluates expressions over one user, which must not change
// while it is in use.
type userEval struct {
	w   *world
	src simpleSource
	// scope is the user's hcl scope presenting the names scopeNames.
	scope      *hcl.EvalContext
	scopeNames []string
}

func (w *world) userEval(u *state.User) *userEval {
	return &userEval{w: w, src: simpleSource{user: u}}
}

// ctx is the user's hcl scope for rt's expressions, built on first use.
// Every type presents the same names (the world's userNames), so one
// scope serves them all.
func (ue *userEval) ctx(rt *resourceType) *hcl.EvalContext {
	if ue.scope == nil || !slices.Equal(ue.scopeNames, rt.userNames) {
		ue.scope, ue.scopeNames = ue.w.userScope(rt, ue.src.user), rt.userNames
	}
	return ue.scope
}

// outbound computes the attributes the user's object on rt should have.
func (ue *userEval) outbound(rt *resourceType) (connector.Attributes, error) {
	out := make(connector.Attributes, len(rt.ot.Outbound))
	for i, m := range rt.ot.Outbound {
		if f := rt.outboundForm(i); f != nil {
			if v, known := f(&ue.src); known {
				out[m.Target] = v.resourceValues()
				continue
			}
		}
		v, diags := config.Evaluate(m.Expr, ue.ctx(rt))
		if diags.HasErrors() {
			return nil, config.DiagnosticsError("outbound mapping "+m.Target, diags)
		}
		vs, err := resourceValues(v)
		if err != nil {
			return nil, fmt.Errorf("outbound mapping %s: %w", m.Target, err)
		}
		out[m.Target] = vs
	}
	return out, nil
}

// wants reports whether the user should have an object of type rt.
func (ue *userEval) wants(rt *resourceType) (bool, error) {
	if rt.ot.ProvisionWhen == nil {
		return true, nil
	}
	if b, ok := simpleCondition(rt.whenForm, &ue.src); ok {
		return b, nil
	}
	return evalBool("provision_when", rt.ot.ProvisionWhen, ue.ctx(rt))
}

// simpleCondition is evalBool's answer from a condition's simple form:
// a bool, or false for null; ok is false when hcl must answer (no form,
// no answer, or a value evalBool refuses).
func simpleCondition(form simpleExpr, src *simpleSource) (b, ok bool) {
	if form == nil {
		return false, false
	}
	v, known := form(src)
	switch {
	case known && v.kind == simpleBool:
		return v.b, true
	case known && v.kind == simpleNull:
		return false, true
	}
	return false, false
}

// userCondition compiles a condition over a user (what names it in
// errors): its simple form answers when it can, else hcl over the user's
// scope.
func (w *world) userCondition(what string, e hcl.Expression) func(*state.User) (bool, error) {
	form := userForms(w.userNames).compile(e)
	return func(u *state.User) (bool, error) {
		if b, ok := simpleCondition(form, &simpleSource{user: u}); ok {
			return b, nil
		}
		scope := w.base.NewChild()
		scope.Variables = map[string]cty.Value{config.RootUser: userValue(u, w.userNames)}
		return evalBool(what, e, scope)
	}
}

// userEval returns the evaluation of u for the decision: the one the
// provisioning under way keeps for its user, or a new one for another
// user (a user before the decision changed it).
func (d *decider) userEval(u *state.User) *userEval {
	if d.ue != nil && d.ue.src.user == u {
		return d.ue
	}
	return d.w.userEval(u)
}
