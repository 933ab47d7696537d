package report

import (
	"fmt"
	"slices"

	"github.com/hashicorp/hcl/v2"
	"github.com/syncline/syncline/config"
	"github.com/syncline/syncline/state"
	"github.com/zclconf/go-cty/cty"
)

// filter is an activity's filter with what evaluating it needs: nil
// selects everything.
type filter struct {
	cfg  *config.Config
	expr hcl.Expression
	// names are the attribute names the expression reads under its
	// root: present (null when the object lacks one), so that a missing
	// attribute is null rather than an error, as in synchronization.
	names []string
}

func newFilter(cfg *config.Config, expr hcl.Expression, root string) *filter {
	if expr == nil {
		return nil
	}
	return &filter{cfg: cfg, expr: expr, names: referencedNames(expr, root)}
}

// user reports whether the filter selects u.
func (f *filter) user(u *state.User) (bool, error) {
	if f == nil {
		return true, nil
	}
	m := make(map[string]cty.Value, len(u.Attributes)+2)
	for k, v := range u.Attributes {
		m[k] = cty.StringVal(v)
	}
	f.fillNull(m)
	m["name"], m["status"] = cty.StringVal(u.Name), cty.StringVal(u.Status)
	return f.eval(map[string]cty.Value{config.RootUser: cty.ObjectVal(m)})
}

// shadow reports whether the filter selects sh, whose attributes are
// attrs (write-only ones already left out).
func (f *filter) shadow(sh *state.Shadow, attrs map[string][]string) (bool, error) {
	if f == nil {
		return true, nil
	}
	m := make(map[string]cty.Value, len(attrs))
	for k, vs := range attrs {
		m[k] = config.AttributeValue(vs)
	}
	f.fillNull(m)
	obj := cty.ObjectVal(m)
	situation := cty.NullVal(cty.String)
	if sh.Situation != "" {
		situation = cty.StringVal(sh.Situation)
	}
	return f.eval(map[string]cty.Value{
		config.RootAttributes: obj,
		config.RootShadow: cty.ObjectVal(map[string]cty.Value{
			"identifier": cty.StringVal(sh.Identifier),
			"resource":   cty.StringVal(sh.Resource),
			"kind":       cty.StringVal(sh.Kind),
			"intent":     cty.StringVal(sh.Intent),
			"situation":  situation,
			"attributes": obj,
		}),
	})
}

func (f *filter) fillNull(m map[string]cty.Value) {
	for _, n := range f.names {
		if _, ok := m[n]; !ok {
			m[n] = cty.NullVal(cty.String)
		}
	}
}

// eval evaluates the condition; null counts as false.
func (f *filter) eval(objects map[string]cty.Value) (bool, error) {
	v, diags := config.Evaluate(f.expr, f.cfg.EvalContext(objects))
	if diags.HasErrors() {
		return false, config.DiagnosticsError("filter", diags)
	}
	v, _ = v.UnmarkDeep()
	if v.IsNull() {
		return false, nil
	}
	if !v.Type().Equals(cty.Bool) || !v.IsKnown() {
		return false, fmt.Errorf("filter: must be true or false, not %s", v.Type().FriendlyName())
	}
	return v.True(), nil
}

// referencedNames returns the names expr reads under root
// (`user.email` → "email"), and under shadow.attributes for an object
// filter.
func referencedNames(expr hcl.Expression, root string) []string {
	var names []string
	for _, t := range expr.Variables() {
		steps := t
		if root == config.RootAttributes && t.RootName() == config.RootShadow && len(t) > 2 {
			if a, ok := t[1].(hcl.TraverseAttr); ok && a.Name == "attributes" {
				steps = t[1:]
			}
		} else if t.RootName() != root {
			continue
		}
		if len(steps) < 2 {
			continue
		}
		if name := stepName(steps[1]); name != "" && !slices.Contains(names, name) {
			names = append(names, name)
		}
	}
	return names
}

func stepName(step hcl.Traverser) string {
	switch s := step.(type) {
	case hcl.TraverseAttr:
		return s.Name
	case hcl.TraverseIndex:
		if s.Key.Type() == cty.String && s.Key.IsKnown() && !s.Key.IsNull() {
			return s.Key.AsString()
		}
	}
	return ""
}
