package config

import (
	"fmt"
	"strings"

	"github.com/hashicorp/hcl/v2"
	"github.com/zclconf/go-cty/cty"
)

var placeLocal = exprPlace{"local value", []string{RootVar, RootLocal}}

// decodeLocals collects the locals blocks and evaluates each value after the
// values it refers to; a cycle between locals is reported by name.
func (l *loader) decodeLocals(blocks []*hcl.Block) hcl.Diagnostics {
	var diags hcl.Diagnostics
	for _, b := range blocks {
		attrs, attrDiags := b.Body.JustAttributes()
		diags = append(diags, attrDiags...)
		for _, name := range SortedNames(attrs) {
			attr := attrs[name]
			if prev, dup := l.cfg.Locals[name]; dup {
				diags = append(diags, duplicate("Duplicate local value definition",
					fmt.Sprintf("The local value %q", name), prev.DeclRange, attr.Range))
				continue
			}
			l.cfg.Locals[name] = &Local{Name: name, Expr: attr.Expr, Value: cty.DynamicVal, DeclRange: attr.Range}
		}
	}
	for _, name := range SortedNames(l.cfg.Locals) {
		diags = append(diags, l.cfg.checkReferencesOnly(l.cfg.Locals[name].Expr, placeLocal)...)
	}
	if diags.HasErrors() {
		return diags
	}
	return append(diags, l.evaluateLocals()...)
}

// checkReferencesOnly is checkExpr without the trial evaluation.
func (c *Config) checkReferencesOnly(expr hcl.Expression, place exprPlace) hcl.Diagnostics {
	var diags hcl.Diagnostics
	for _, t := range expr.Variables() {
		diags = append(diags, c.checkTraversal(t, place)...)
	}
	return append(diags, c.checkFunctionCalls(expr)...)
}

// evaluateLocals evaluates every local after the locals it refers to
// (Kahn's algorithm, in name order among the ready ones), each in a context
// that holds only those locals, so that many locals load in linear time.
func (l *loader) evaluateLocals() hcl.Diagnostics {
	deps := map[string][]string{}
	waiting := map[string]int{}
	usedBy := map[string][]string{}
	for name, local := range l.cfg.Locals {
		deps[name] = localDependencies(local.Expr)
		for _, dep := range deps[name] {
			if _, ok := l.cfg.Locals[dep]; ok {
				waiting[name]++
				usedBy[dep] = append(usedBy[dep], name)
			}
		}
	}
	var ready []string
	for _, name := range SortedNames(l.cfg.Locals) {
		if waiting[name] == 0 {
			ready = append(ready, name)
		}
	}
	vars := l.cfg.variableValues()
	var diags hcl.Diagnostics
	for len(ready) > 0 {
		name := ready[0]
		ready = ready[1:]
		diags = append(diags, l.evaluateLocal(l.cfg.Locals[name], deps[name], vars)...)
		for _, next := range usedBy[name] {
			if waiting[next]--; waiting[next] == 0 {
				ready = append(ready, next)
			}
		}
		delete(deps, name)
	}
	if len(deps) > 0 {
		return append(diags, localCycle(l.cfg, deps))
	}
	return diags
}

// evaluateLocal evaluates one local in a context holding the locals it
// refers to.
func (l *loader) evaluateLocal(local *Local, deps []string, vars cty.Value) hcl.Diagnostics {
	values := make(map[string]cty.Value, len(deps))
	for _, dep := range deps {
		if d, ok := l.cfg.Locals[dep]; ok {
			values[dep] = d.Value
		}
	}
	ctx := &hcl.EvalContext{
		Variables: map[string]cty.Value{RootVar: vars, RootLocal: cty.ObjectVal(values)},
		Functions: l.cfg.Functions,
	}
	v, diags := evaluate(local.Expr, ctx)
	diags = append(diags, checkValue(v, local.Expr.Range())...)
	if !diags.HasErrors() {
		local.Value = v
	}
	return diags
}

func localDependencies(expr hcl.Expression) []string {
	var deps []string
	for _, t := range expr.Variables() {
		if t.RootName() != RootLocal || len(t) < 2 {
			continue
		}
		if step, ok := t[1].(hcl.TraverseAttr); ok {
			deps = append(deps, step.Name)
		}
	}
	return deps
}

// localCycle names one cycle among the locals that cannot be evaluated.
func localCycle(c *Config, pending map[string][]string) *hcl.Diagnostic {
	start := SortedNames(pending)[0]
	path := []string{start}
	seen := map[string]int{start: 0}
	cur := start
	for {
		next := ""
		for _, dep := range pending[cur] {
			if _, p := pending[dep]; p {
				next = dep
				break
			}
		}
		if i, again := seen[next]; again {
			path = append(path[i:], next)
			break
		}
		seen[next] = len(path)
		path = append(path, next)
		cur = next
	}
	names := make([]string, len(path))
	for i, n := range path {
		names[i] = "local." + n
	}
	return &hcl.Diagnostic{
		Severity: hcl.DiagError,
		Summary:  "Cycle in local values",
		Detail:   fmt.Sprintf("These local values refer to each other in a circle: %s. Break the cycle by computing one of them from other values.", strings.Join(names, " → ")),
		Subject:  c.Locals[path[0]].DeclRange.Ptr(),
	}
}
