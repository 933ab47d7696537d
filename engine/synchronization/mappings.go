package synchronization

import (
	"fmt"
	"strings"

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
		return false, diagError(what, diags)
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

// evalInbound evaluates the type's inbound mappings. name and status must
// be valid when given.
func evalInbound(rt *resourceType, ctx *hcl.EvalContext) (inbound, error) {
	out := make(inbound, len(rt.ot.Inbound))
	for _, m := range rt.ot.Inbound {
		v, diags := config.Evaluate(m.Expr, ctx)
		if diags.HasErrors() {
			return nil, diagError("inbound mapping "+m.Target, diags)
		}
		s, ok, err := userString(v)
		if err != nil {
			return nil, fmt.Errorf("inbound mapping %s: %w", m.Target, err)
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
func evalCorrelation(rt *resourceType, ctx *hcl.EvalContext) (map[string]string, error) {
	out := make(map[string]string, len(rt.ot.Correlate))
	for _, m := range rt.ot.Correlate {
		v, diags := config.Evaluate(m.Expr, ctx)
		if diags.HasErrors() {
			return nil, diagError("correlation "+m.Target, diags)
		}
		s, ok, err := userString(v)
		if err != nil {
			return nil, fmt.Errorf("correlation %s: %w", m.Target, err)
		}
		if !ok {
			return nil, fmt.Errorf("correlation %s: the value is empty, so the object cannot be matched to a user", m.Target)
		}
		out[m.Target] = s
	}
	return out, nil
}

// evalOutbound computes the attributes the user's object on rt should
// have.
func (w *world) evalOutbound(rt *resourceType, u *state.User) (connector.Attributes, error) {
	ctx := w.userScope(rt, u)
	out := make(connector.Attributes, len(rt.ot.Outbound))
	for _, m := range rt.ot.Outbound {
		v, diags := config.Evaluate(m.Expr, ctx)
		if diags.HasErrors() {
			return nil, diagError("outbound mapping "+m.Target, diags)
		}
		vs, err := resourceValues(v)
		if err != nil {
			return nil, fmt.Errorf("outbound mapping %s: %w", m.Target, err)
		}
		out[m.Target] = vs
	}
	return out, nil
}

// wants reports whether u should have an object of type rt.
func (w *world) wants(rt *resourceType, u *state.User) (bool, error) {
	if rt.ot.ProvisionWhen == nil {
		return true, nil
	}
	return evalBool("provision_when", rt.ot.ProvisionWhen, w.userScope(rt, u))
}

// diagError turns diagnostics into one error naming where they came from.
func diagError(what string, diags hcl.Diagnostics) error {
	var parts []string
	for _, d := range diags.Errs() {
		msg := d.Error()
		if hd, ok := d.(*hcl.Diagnostic); ok {
			msg = hd.Summary
			if hd.Detail != "" {
				msg += ": " + hd.Detail
			}
			if hd.Subject != nil {
				msg = fmt.Sprintf("%s (%s)", msg, hd.Subject)
			}
		}
		parts = append(parts, msg)
	}
	return fmt.Errorf("%s: %s", what, strings.Join(parts, "; "))
}
