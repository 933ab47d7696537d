package synchronization

import (
	"errors"
	"fmt"
	"slices"

	"github.com/hashicorp/hcl/v2"
	"github.com/syncline/syncline/config"
	"github.com/syncline/syncline/engine/connector"
	"github.com/syncline/syncline/state"
	"github.com/zclconf/go-cty/cty"
	"github.com/zclconf/go-cty/cty/convert"
)

// How values cross between resources, users and expressions:
//
//   - a resource attribute with no values is null, with one value a
//     string, with several a list of strings;
//   - a user attribute is a string, or null when the user has none;
//   - an attribute an expression names that the object lacks is null, so
//     that `try()` and `== null` work and a missing column is not an
//     error.

// objectValue is a resource object's attributes as an object, with every
// name in referenced present (null when the object lacks it).
func objectValue(attrs connector.Attributes, referenced []string) cty.Value {
	m := make(map[string]cty.Value, len(attrs)+len(referenced))
	for k, vs := range attrs {
		m[k] = config.AttributeValue(vs)
	}
	for _, k := range referenced {
		if _, ok := m[k]; !ok {
			m[k] = cty.NullVal(cty.String)
		}
	}
	return cty.ObjectVal(m)
}

// userValue is a user as expressions see it: name, status and every
// attribute, with every name in referenced present.
func userValue(u *state.User, referenced []string) cty.Value {
	m := make(map[string]cty.Value, len(u.Attributes)+len(referenced)+2)
	for k, v := range u.Attributes {
		m[k] = cty.StringVal(v)
	}
	for _, k := range referenced {
		if _, ok := m[k]; !ok {
			m[k] = cty.NullVal(cty.String)
		}
	}
	m["name"] = cty.StringVal(u.Name)
	m["status"] = cty.StringVal(u.Status)
	return cty.ObjectVal(m)
}

// shadowValue is the shadow root of inbound mappings and filters.
func shadowValue(rt *resourceType, id, situation string, attrs cty.Value) cty.Value {
	sit := cty.NullVal(cty.String)
	if situation != "" {
		sit = cty.StringVal(situation)
	}
	return cty.ObjectVal(map[string]cty.Value{
		"identifier": cty.StringVal(id),
		"resource":   cty.StringVal(rt.res.Name),
		"kind":       cty.StringVal(rt.ot.Kind),
		"intent":     cty.StringVal(rt.ot.Intent),
		"situation":  sit,
		"attributes": attrs,
	})
}

// userString converts an inbound mapping's result to a user attribute:
// ok is false for null (the attribute is removed).
func userString(v cty.Value) (s string, ok bool, err error) {
	if v.HasMarkDeep(config.Sensitive) {
		return "", false, errSensitive
	}
	if v.IsNull() {
		return "", false, nil
	}
	if !v.IsWhollyKnown() {
		return "", false, fmt.Errorf("the value is not known")
	}
	if !v.Type().IsPrimitiveType() {
		return "", false, fmt.Errorf("a user attribute holds one string, not a %s", v.Type().FriendlyName())
	}
	sv, err := convert.Convert(v, cty.String)
	if err != nil {
		return "", false, err
	}
	if sv.AsString() == "" {
		return "", false, nil
	}
	return sv.AsString(), true, nil
}

// resourceValues converts an outbound mapping's result to attribute
// values: null clears the attribute, a list or set gives several values.
func resourceValues(v cty.Value) ([]string, error) {
	if v.HasMarkDeep(config.Sensitive) {
		return nil, errSensitive
	}
	if v.IsNull() {
		return nil, nil
	}
	if !v.IsWhollyKnown() {
		return nil, fmt.Errorf("the value is not known")
	}
	if v.Type().IsPrimitiveType() {
		sv, err := convert.Convert(v, cty.String)
		if err != nil {
			return nil, err
		}
		return connector.Values(sv.AsString()), nil
	}
	if !v.CanIterateElements() || v.Type().IsMapType() || v.Type().IsObjectType() {
		return nil, fmt.Errorf("a resource attribute takes a string or a list of strings, not a %s", v.Type().FriendlyName())
	}
	var out []string
	for _, e := range v.AsValueSlice() {
		s, ok, err := userString(e)
		if err != nil {
			return nil, fmt.Errorf("element: %w", err)
		}
		if ok && !slices.Contains(out, s) {
			out = append(out, s)
		}
	}
	return out, nil
}

// errSensitive refuses a sensitive value (a sensitive variable, env(),
// file()) as a mapping's result: it would be stored in plain text in the
// repository, the shadows and the run's changes.
var errSensitive = errors.New("the value is sensitive (it comes from a sensitive variable, env() or file()); syncline does not synchronize secrets in this version, because users, shadows and run changes would hold it in plain text")

// referencedNames returns the names expressions use under root
// (`attributes.mail` → "mail"), sorted and without duplicates.
func referencedNames(root string, exprs ...hcl.Expression) []string {
	var names []string
	for _, e := range exprs {
		if e == nil {
			continue
		}
		for _, t := range e.Variables() {
			if t.RootName() != root || len(t) < 2 {
				continue
			}
			name := ""
			switch step := t[1].(type) {
			case hcl.TraverseAttr:
				name = step.Name
			case hcl.TraverseIndex:
				if step.Key.Type() == cty.String && step.Key.IsKnown() && !step.Key.IsNull() {
					name = step.Key.AsString()
				}
			}
			if name != "" && !slices.Contains(names, name) {
				names = append(names, name)
			}
		}
	}
	slices.Sort(names)
	return names
}

func mappingExprs(ms []*config.Mapping) []hcl.Expression {
	out := make([]hcl.Expression, len(ms))
	for i, m := range ms {
		out[i] = m.Expr
	}
	return out
}
