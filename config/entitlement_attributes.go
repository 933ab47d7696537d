package config

import (
	"fmt"
	"slices"
	"strings"

	"github.com/hashicorp/hcl/v2"
	"github.com/zclconf/go-cty/cty"
	"github.com/zclconf/go-cty/cty/convert"
)

// A group block's attributes: what a declared group Syncline creates gets
// besides its object class, its name and its first member — a posixGroup
// needs a gidNumber. It is an expression over group.name, var and local,
// so its value for every declared group is known when the configuration
// loads: each is evaluated then (an error is a diagnostic naming the
// group), and again when the group is created.

// RootGroup is the root of the group a group block's attributes
// expression is evaluated for; its one field is name.
const RootGroup = "group"

// GroupFields are the fields of the group object in expressions.
var GroupFields = []string{"name"}

// placeGroupAttributes is where a group block's attributes expression
// appears.
var placeGroupAttributes = exprPlace{"group attributes expression", []string{RootGroup, RootVar, RootLocal}}

// checkGroupAttributes checks g's attributes expression once the group
// block is decoded: where it may be, its references, and its value for
// every declared group.
func (c *Config) checkGroupAttributes(g *Group, attr *hcl.Attribute) hcl.Diagnostics {
	fail := func(summary, detail string) hcl.Diagnostics {
		return hcl.Diagnostics{{Severity: hcl.DiagError, Summary: summary, Detail: detail, Subject: attr.Expr.Range().Ptr()}}
	}
	if len(g.Declared) == 0 {
		return fail("Group attributes without declared groups",
			"attributes are what a declared group gets when Syncline creates it; with no declared groups nothing is created. List the groups in declared = [...], or remove attributes.")
	}
	if diags := c.checkExpr(attr.Expr, placeGroupAttributes); diags.HasErrors() {
		return diags
	}
	for _, name := range g.Declared {
		if _, err := c.GroupAttributes(g, name); err != nil {
			return fail("Invalid group attributes", fmt.Sprintf("For the declared group %q: %v.", name, err))
		}
	}
	return nil
}

// GroupAttributes evaluates g's attributes expression for the group
// name: attribute name → values, sorted by name; nil when g has none. The
// value must be an object (or map) of attribute names to a string, number
// or bool, or a list of them (several values); null leaves an attribute
// out. objectClass, the name attribute and the member attribute are
// Syncline's to set, and nothing may be sensitive.
func (c *Config) GroupAttributes(g *Group, name string) (map[string][]string, error) {
	if g.Attributes == nil {
		return nil, nil
	}
	ctx := c.EvalContext(map[string]cty.Value{RootGroup: cty.ObjectVal(map[string]cty.Value{"name": cty.StringVal(name)})})
	v, diags := Evaluate(g.Attributes, ctx)
	if diags.HasErrors() {
		return nil, DiagnosticsError("attributes", diags)
	}
	if v.IsMarked() || !v.IsWhollyKnown() || v.ContainsMarked() {
		return nil, fmt.Errorf("the attributes are sensitive or not known; a group's attributes are written to the resource in the clear and must come from plain values")
	}
	if v.IsNull() || !(v.Type().IsObjectType() || v.Type().IsMapType()) {
		return nil, fmt.Errorf("the attributes are %s; write an object of attribute names to values, as { gidNumber = 5001 }", v.Type().FriendlyName())
	}
	out := map[string][]string{}
	for k, item := range v.AsValueMap() {
		if err := checkGroupAttributeName(g, k); err != nil {
			return nil, err
		}
		vs, err := groupAttributeValues(item)
		if err != nil {
			return nil, fmt.Errorf("attribute %q: %w", k, err)
		}
		if len(vs) > 0 {
			out[k] = vs
		}
	}
	return out, nil
}

func checkGroupAttributeName(g *Group, k string) error {
	switch {
	case strings.TrimSpace(k) == "":
		return fmt.Errorf("an attribute name is empty")
	case strings.EqualFold(k, "objectClass"), strings.EqualFold(k, g.NameAttribute), strings.EqualFold(k, g.MemberAttribute):
		return fmt.Errorf("attribute %q is set by Syncline (the object class, the group's name and its first member); leave it out", k)
	}
	return nil
}

// groupAttributeValues are an attribute's values: one for a string,
// number or bool, one per element of a list; none for null.
func groupAttributeValues(v cty.Value) ([]string, error) {
	if v.IsNull() {
		return nil, nil
	}
	t := v.Type()
	if !(t.IsListType() || t.IsTupleType() || t.IsSetType()) {
		s, err := groupAttributeValue(v)
		if err != nil {
			return nil, err
		}
		return []string{s}, nil
	}
	var out []string
	for _, e := range v.AsValueSlice() {
		if e.IsNull() {
			continue
		}
		s, err := groupAttributeValue(e)
		if err != nil {
			return nil, err
		}
		if !slices.Contains(out, s) {
			out = append(out, s)
		}
	}
	return out, nil
}

func groupAttributeValue(v cty.Value) (string, error) {
	switch v.Type() {
	case cty.String, cty.Number, cty.Bool:
		s, _ := convert.Convert(v, cty.String)
		if s.AsString() == "" {
			return "", fmt.Errorf("a value is empty; leave the attribute out (null) instead")
		}
		return s.AsString(), nil
	}
	return "", fmt.Errorf("a value is %s; give a string, a number, a bool or a list of them", v.Type().FriendlyName())
}
