package connector

import (
	"fmt"
	"slices"
)

// ModOp says how a Modification changes an attribute's values.
type ModOp string

// The modification operations, as in LDAP and midPoint deltas.
const (
	// ModAdd adds values the attribute does not hold yet.
	ModAdd ModOp = "add"
	// ModReplace replaces every value; no values clears the attribute.
	ModReplace ModOp = "replace"
	// ModRemove removes the values given; values it does not hold are
	// ignored.
	ModRemove ModOp = "remove"
)

// Modification is one change to one attribute of an object.
type Modification struct {
	Op        ModOp
	Attribute string
	Values    []string
}

// Add returns a modification adding values to attribute.
func Add(attribute string, values ...string) Modification {
	return Modification{Op: ModAdd, Attribute: attribute, Values: values}
}

// Replace returns a modification replacing the values of attribute.
func Replace(attribute string, values ...string) Modification {
	return Modification{Op: ModReplace, Attribute: attribute, Values: values}
}

// Remove returns a modification removing values from attribute.
func Remove(attribute string, values ...string) Modification {
	return Modification{Op: ModRemove, Attribute: attribute, Values: values}
}

// Apply returns attrs with mods applied, leaving attrs untouched. Unless
// multiValued is set, an attribute that would hold two values is an error;
// so is an unknown operation.
func (a Attributes) Apply(mods []Modification, multiValued bool) (Attributes, error) {
	out := a.Clone()
	for _, m := range mods {
		vs, err := m.apply(out[m.Attribute])
		if err != nil {
			return nil, err
		}
		if len(vs) > 1 && !multiValued {
			return nil, fmt.Errorf("attribute %q is single-valued and cannot hold %d values", m.Attribute, len(vs))
		}
		out[m.Attribute] = vs
	}
	return out, nil
}

func (m Modification) apply(current []string) ([]string, error) {
	values := Values(m.Values...)
	switch m.Op {
	case ModReplace:
		return Union(nil, values), nil
	case ModAdd:
		return Union(current, values), nil
	case ModRemove:
		return slices.DeleteFunc(slices.Clone(current), func(v string) bool { return slices.Contains(values, v) }), nil
	}
	return nil, fmt.Errorf("unknown modification %q of attribute %q; use add, replace or remove", m.Op, m.Attribute)
}

// Union returns current followed by the values not in it yet, once each:
// what adding values to an attribute gives.
func Union(current, values []string) []string {
	out := slices.Clone(current)
	for _, v := range values {
		if !slices.Contains(out, v) {
			out = append(out, v)
		}
	}
	return out
}
