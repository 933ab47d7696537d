package connector

import (
	"maps"
	"slices"
)

// Object is one object on a resource: its identifier and its attributes.
// The identifier is also an attribute (the identifier column of a csv file,
// the key column of a table), so mappings can read it like any other.
type Object struct {
	ID         string
	Attributes Attributes
}

// Attributes maps an attribute name to its values. A single-valued
// attribute has at most one value; an attribute with no values is empty
// (an empty csv field, a SQL NULL). The empty string is never a value.
type Attributes map[string][]string

// First returns the first value of name, or "" when it has none.
func (a Attributes) First(name string) string {
	if vs := a[name]; len(vs) > 0 {
		return vs[0]
	}
	return ""
}

// Clone returns a deep copy of a.
func (a Attributes) Clone() Attributes {
	out := make(Attributes, len(a))
	for k, vs := range a {
		out[k] = slices.Clone(vs)
	}
	return out
}

// Equal reports whether a and b hold the same values, in the same order,
// for every attribute; an attribute with no values equals a missing one.
func (a Attributes) Equal(b Attributes) bool {
	for k, vs := range a {
		if !slices.Equal(vs, b[k]) {
			return false
		}
	}
	for k, vs := range b {
		if _, ok := a[k]; !ok && len(vs) > 0 {
			return false
		}
	}
	return true
}

// Names returns the attribute names in sorted order.
func (a Attributes) Names() []string {
	return slices.Sorted(maps.Keys(a))
}

// Values returns vs without empty strings, the form every connector stores:
// "" is not a value.
func Values(vs ...string) []string {
	if !slices.Contains(vs, "") {
		return vs
	}
	out := make([]string, 0, len(vs))
	for _, v := range vs {
		if v != "" {
			out = append(out, v)
		}
	}
	return out
}
