package synchronization

import (
	"fmt"

	"github.com/hashicorp/hcl/v2"
	"github.com/syncline/syncline/config"
	"github.com/syncline/syncline/engine/connector"
	"github.com/syncline/syncline/state"
	"github.com/zclconf/go-cty/cty"
)

// objectScope is the evaluation context of expressions over a resource
// object: attributes and shadow.
func (w *world) objectScope(rt *resourceType, obj connector.Object, situation string) *hcl.EvalContext {
	attrs := objectValue(obj.Attributes, rt.attrNames)
	ctx := w.base.NewChild()
	ctx.Variables = map[string]cty.Value{
		config.RootAttributes: attrs,
		config.RootShadow:     shadowValue(rt, obj.ID, situation, attrs),
	}
	return ctx
}

// userScope is the evaluation context of expressions over a user.
func (w *world) userScope(rt *resourceType, u *state.User) *hcl.EvalContext {
	ctx := w.base.NewChild()
	ctx.Variables = map[string]cty.Value{config.RootUser: userValue(u, rt.userNames)}
	return ctx
}

// evalBool evaluates a condition; null counts as false.
func evalBool(what string, e hcl.Expression, ctx *hcl.EvalContext) (bool, error) {
	v, diags := config.Evaluate(e, ctx)
	if diags.HasErrors() {
		return false, config.DiagnosticsError(what, diags)
	}
	v, _ = v.UnmarkDeep()
	if v.IsNull() {
		return false, nil
	}
	if !v.Type().Equals(cty.Bool) || !v.IsKnown() {
		return false, fmt.Errorf("%s: must be true or false, not %s", what, v.Type().FriendlyName())
	}
	return v.True(), nil
}

// inbound is what the inbound mappings say about a user: a value for
// each target, or absent (nil) for a target whose mapping gave null.
type inbound map[string]*string

// objectMappings are the correlation and inbound mappings of a type, each
// with its simple form (see simple.go) when it has one.
type objectMappings struct {
	w         *world
	rt        *resourceType
	correlate []simpleExpr // by mapping; nil: evaluated by hcl
	inbound   []simpleExpr
}

func newObjectMappings(w *world, rt *resourceType) *objectMappings {
	om := &objectMappings{w: w, rt: rt}
	for _, m := range rt.ot.Correlate {
		om.correlate = append(om.correlate, compileSimple(m.Expr))
	}
	for _, m := range rt.ot.Inbound {
		om.inbound = append(om.inbound, compileSimple(m.Expr))
	}
	return om
}

// objectEval evaluates expressions over one object. The hcl scope is
// built only for an expression that needs it: most mappings are simple.
type objectEval struct {
	*objectMappings
	obj       connector.Object
	situation string
	scope     *hcl.EvalContext
	src       simpleSource // the object's attributes, for the simple forms
}

func (om *objectMappings) object(obj connector.Object, situation string) *objectEval {
	return &objectEval{objectMappings: om, obj: obj, situation: situation, src: simpleSource{attrs: obj.Attributes}}
}

// ctx is the object's hcl scope.
func (o *objectEval) ctx() *hcl.EvalContext {
	if o.scope == nil {
		o.scope = o.w.objectScope(o.rt, o.obj, o.situation)
	}
	return o.scope
}

// userString evaluates a mapping as a user attribute (see userString):
// its simple form when it has one and that form answers, else by hcl.
func (o *objectEval) userString(what string, e hcl.Expression, simple simpleExpr) (s string, ok bool, err error) {
	if simple != nil {
		if v, known := simple(&o.src); known && v.kind == simpleString {
			return v.s, v.s != "", nil
		} else if known && v.kind == simpleNull {
			return "", false, nil
		}
	}
	v, diags := config.Evaluate(e, o.ctx())
	if diags.HasErrors() {
		return "", false, config.DiagnosticsError(what, diags)
	}
	s, ok, err = userString(v)
	if err != nil {
		return "", false, fmt.Errorf("%s: %w", what, err)
	}
	return s, ok, nil
}

// evalInbound evaluates the type's inbound mappings. name and status must
// be valid when given.
func evalInbound(o *objectEval) (inbound, error) {
	out := make(inbound, len(o.rt.ot.Inbound))
	for i, m := range o.rt.ot.Inbound {
		s, ok, err := o.userString("inbound mapping "+m.Target, m.Expr, o.inbound[i])
		if err != nil {
			return nil, err
		}
		if !ok {
			out[m.Target] = nil
			continue
		}
		out[m.Target] = &s
	}
	if st, ok := out["status"]; ok && st != nil && *st != state.UserActive && *st != state.UserDisabled {
		return nil, fmt.Errorf("inbound mapping status: %q is not a status; use %q or %q", *st, state.UserActive, state.UserDisabled)
	}
	if n, ok := out["name"]; ok && n == nil {
		return nil, fmt.Errorf("inbound mapping name: the name is empty; every user needs one")
	}
	return out, nil
}

// evalCorrelation evaluates the correlation rule. A rule whose value is
// empty cannot match safely (it would match every user without the
// attribute), so it is the object's error.
func evalCorrelation(o *objectEval) (map[string]string, error) {
	out := make(map[string]string, len(o.rt.ot.Correlate))
	for i, m := range o.rt.ot.Correlate {
		s, ok, err := o.userString("correlation "+m.Target, m.Expr, o.correlate[i])
		if err != nil {
			return nil, err
		}
		if !ok {
			return nil, fmt.Errorf("correlation %s: the value is empty, so the object cannot be matched to a user", m.Target)
		}
		out[m.Target] = s
	}
	return out, nil
}
