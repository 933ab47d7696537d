package config

import (
	"fmt"
	"strings"

	"github.com/hashicorp/hcl/v2"
	"github.com/hashicorp/hcl/v2/hclsyntax"
	"github.com/zclconf/go-cty/cty"
)

// Roots that per-object expressions may reference.
const (
	RootAttributes = "attributes" // the resource object's attributes
	RootUser       = "user"       // the focus object
	RootShadow     = "shadow"     // syncline's record of the resource object
	RootVar        = "var"
	RootLocal      = "local"
)

// ShadowFields are the attributes of the shadow object in expressions.
var ShadowFields = []string{"identifier", "resource", "kind", "intent", "situation", "attributes"}

// Places where per-object expressions appear, with the roots each may use.
var (
	placeCorrelate     = exprPlace{"correlation", []string{RootAttributes, RootVar, RootLocal}}
	placeInbound       = exprPlace{"inbound mapping", []string{RootAttributes, RootShadow, RootVar, RootLocal}}
	placeOutbound      = exprPlace{"outbound mapping", []string{RootUser, RootShadow, RootVar, RootLocal}}
	placeProvisionWhen = exprPlace{"provision_when condition", []string{RootUser, RootVar, RootLocal}}
	placeObjectFilter  = exprPlace{"filter", []string{RootAttributes, RootShadow, RootVar, RootLocal}}
	placeUserFilter    = exprPlace{"filter", []string{RootUser, RootVar, RootLocal}}
)

type exprPlace struct {
	name  string
	roots []string
}

// checkExpr checks a kept expression without evaluating it per object: it
// may reference only the roots its place allows, only declared variables
// and locals, only known shadow fields, and call only known functions. It
// then evaluates the expression once with unknown objects, which catches
// wrong argument counts and types that do not depend on the data.
func (c *Config) checkExpr(expr hcl.Expression, place exprPlace) hcl.Diagnostics {
	_, diags := c.checkExprValue(expr, place)
	return diags
}

// checkExprValue is checkExpr returning the value the expression has with
// unknown objects, cty.NilVal when it was not evaluated.
func (c *Config) checkExprValue(expr hcl.Expression, place exprPlace) (cty.Value, hcl.Diagnostics) {
	var diags hcl.Diagnostics
	for _, t := range expr.Variables() {
		diags = append(diags, c.checkTraversal(t, place)...)
	}
	diags = append(diags, c.checkFunctionCalls(expr)...)
	if diags.HasErrors() {
		return cty.NilVal, diags
	}
	v, evalDiags := evaluate(expr, c.unknownObjectContext(place))
	return v, append(diags, evalDiags...)
}

func (c *Config) checkTraversal(t hcl.Traversal, place exprPlace) hcl.Diagnostics {
	root := t.RootName()
	rng := t.SourceRange()
	if !contains(place.roots, root) {
		detail := fmt.Sprintf("A %s can use only %s; %q is not available here.", place.name, strings.Join(place.roots, ", "), root)
		if s := suggest(root, place.roots); s != "" {
			detail += fmt.Sprintf(" Did you mean %q?", s)
		}
		return hcl.Diagnostics{{Severity: hcl.DiagError, Summary: "Invalid reference", Detail: detail, Subject: &rng}}
	}
	switch root {
	case RootVar:
		return c.checkNamed(t, "input variable", SortedNames(c.Variables))
	case RootLocal:
		return c.checkNamed(t, "local value", SortedNames(c.Locals))
	case RootShadow:
		return c.checkNamed(t, "shadow field", ShadowFields)
	case RootGroup:
		return c.checkNamed(t, "group field", GroupFields)
	}
	return nil
}

// checkNamed checks that root.NAME names one of names.
func (c *Config) checkNamed(t hcl.Traversal, what string, names []string) hcl.Diagnostics {
	rng := t.SourceRange()
	if len(t) < 2 {
		return hcl.Diagnostics{{
			Severity: hcl.DiagError,
			Summary:  "Invalid reference",
			Detail:   fmt.Sprintf("%q cannot be used on its own; name the %s, as in %s.NAME.", t.RootName(), what, t.RootName()),
			Subject:  &rng,
		}}
	}
	step, ok := t[1].(hcl.TraverseAttr)
	if !ok {
		return hcl.Diagnostics{{
			Severity: hcl.DiagError,
			Summary:  "Invalid reference",
			Detail:   fmt.Sprintf("Name the %s with a dot, as in %s.NAME.", what, t.RootName()),
			Subject:  &rng,
		}}
	}
	if contains(names, step.Name) {
		return nil
	}
	detail := fmt.Sprintf("There is no %s named %q.", what, step.Name)
	if s := suggest(step.Name, names); s != "" {
		detail += fmt.Sprintf(" Did you mean %q?", s)
	} else if what != "shadow field" && what != "group field" {
		detail += fmt.Sprintf(" Declare it before referring to it as %s.%s.", t.RootName(), step.Name)
	}
	return hcl.Diagnostics{{Severity: hcl.DiagError, Summary: "Reference to undeclared " + what, Detail: detail, Subject: &rng}}
}

// checkFunctionCalls reports calls to functions that do not exist.
func (c *Config) checkFunctionCalls(expr hcl.Expression) hcl.Diagnostics {
	node, ok := expr.(hclsyntax.Node)
	if !ok {
		return nil
	}
	var diags hcl.Diagnostics
	hclsyntax.VisitAll(node, func(n hclsyntax.Node) hcl.Diagnostics {
		call, ok := n.(*hclsyntax.FunctionCallExpr)
		if !ok {
			return nil
		}
		if _, known := c.Functions[call.Name]; known {
			return nil
		}
		detail := fmt.Sprintf("There is no function named %q.", call.Name)
		if s := suggest(call.Name, c.Functions.Names()); s != "" {
			detail += fmt.Sprintf(" Did you mean %q?", s)
		} else {
			detail += " See docs/language.md for the functions Syncline provides."
		}
		diags = append(diags, &hcl.Diagnostic{
			Severity: hcl.DiagError,
			Summary:  "Call to unknown function",
			Detail:   detail,
			Subject:  call.NameRange.Ptr(),
		})
		return nil
	})
	return diags
}

// EvalContext returns the context for evaluating expressions: functions,
// var and local, plus the given per-object values (attributes, user,
// shadow). The engine uses it at run time.
func (c *Config) EvalContext(objects map[string]cty.Value) *hcl.EvalContext {
	vars := map[string]cty.Value{
		RootVar:   c.variableValues(),
		RootLocal: c.localValues(),
	}
	for k, v := range objects {
		vars[k] = v
	}
	return &hcl.EvalContext{Variables: vars, Functions: c.Functions}
}

func (c *Config) unknownObjectContext(place exprPlace) *hcl.EvalContext {
	objects := map[string]cty.Value{}
	for _, r := range place.roots {
		if r != RootVar && r != RootLocal {
			objects[r] = cty.DynamicVal
		}
	}
	return c.EvalContext(objects)
}

func (c *Config) variableValues() cty.Value {
	m := make(map[string]cty.Value, len(c.Variables))
	for name, v := range c.Variables {
		m[name] = v.Value
	}
	return cty.ObjectVal(m)
}

func (c *Config) localValues() cty.Value {
	m := make(map[string]cty.Value, len(c.Locals))
	for name, l := range c.Locals {
		m[name] = l.Value
	}
	return cty.ObjectVal(m)
}
