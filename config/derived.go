package config

import (
	"errors"
	"fmt"
	"reflect"
	"strings"
	"sync"
	"sync/atomic"

	"github.com/hashicorp/hcl/v2"
	"github.com/hashicorp/hcl/v2/ext/customdecode"
	"github.com/hashicorp/hcl/v2/hclsyntax"
	"github.com/zclconf/go-cty/cty"
	"github.com/zclconf/go-cty/cty/function"
)

// A value derived from a Sensitive value is Sensitive. hclsyntax and go-cty
// carry marks through operators, comparisons, conditionals, for
// expressions, templates, object keys and function calls; this file closes
// the places where they do not:
//
//   - try() and can() (hcl's ext/tryfunc) return the fallback or a bool
//     without the marks of what they evaluated, so can(regex("^a",
//     env("TOKEN"))) told whether a secret starts with "a";
//   - indexing an object by a computed key, {a = "a"}[substr(var.pw, 0,
//     1)], returns the element without the key's marks;
//   - keys() and lookup() of an unknown sensitive value (env() while
//     validating) return an unknown without the mark;
//   - diagnostics quote values (a for expression's duplicate key).
//
// The rules are conservative: what reads a sensitive value anywhere counts
// as derived from it.

// sensitiveSources are the functions whose results are always Sensitive.
var sensitiveSources = []string{"env", "file"}

// hiddenDetail replaces the detail of a diagnostic about an expression that
// reads a sensitive value: the original may quote it.
const hiddenDetail = "The details are hidden because this expression reads a sensitive value (a sensitive variable, env() or file()), which they could reveal."

// readsSensitive reports whether evaluating expr in ctx reads a sensitive
// value: a variable, local or iteration value with the Sensitive mark
// anywhere inside it, or a call to env() or file().
func readsSensitive(expr hcl.Expression, ctx *hcl.EvalContext) bool {
	if isLiteral(expr) {
		return false // most settings: nothing to read, nothing to call
	}
	for _, t := range expr.Variables() {
		if traversalSensitive(t, ctx) {
			return true
		}
	}
	return callsSensitiveSource(expr)
}

// traversalSensitive reports whether what t refers to in ctx holds a
// Sensitive mark. When t does not resolve (var.m.missing), the longest part
// that does is checked instead.
func traversalSensitive(t hcl.Traversal, ctx *hcl.EvalContext) bool {
	if ctx == nil || len(t) == 0 || t.IsRelative() {
		return false
	}
	for n := len(t); n > 0; n-- {
		v, diags := t[:n].TraverseAbs(ctx)
		if !diags.HasErrors() {
			return v.HasMarkDeep(Sensitive)
		}
	}
	return false
}

// callsSensitiveSource reports whether expr calls env() or file().
func callsSensitiveSource(expr hcl.Expression) bool {
	node, ok := expr.(hclsyntax.Node)
	if !ok {
		return false
	}
	found := false
	hclsyntax.VisitAll(node, func(n hclsyntax.Node) hcl.Diagnostics {
		if call, ok := n.(*hclsyntax.FunctionCallExpr); ok && contains(sensitiveSources, call.Name) {
			found = true
		}
		return nil
	})
	return found
}

// indexesByComputedKey reports whether expr looks an element up by a key
// that is computed rather than written (m[k], not m["k"]).
func indexesByComputedKey(expr hcl.Expression) bool { return computedKeyCache.of(expr) }

var computedKeyCache = exprProperty{max: 4096, other: false, has: func(n hclsyntax.Node) bool {
	_, ok := n.(*hclsyntax.IndexExpr)
	return ok
}}

// exprProperty is whether an expression holds a node that has says yes
// to. Run-time evaluation asks once per mapping per object, so the answer
// is kept per expression (expressions never change once parsed), in a
// bounded map: a server that reloads its configuration again and again
// parses new expressions each time, so when the map is full it starts
// afresh. An expression that is not hclsyntax's is other.
type exprProperty struct {
	has   func(hclsyntax.Node) bool
	other bool
	max   int64

	flags sync.Map // hcl.Expression → bool; read without a lock
	size  atomic.Int64
}

func (p *exprProperty) of(expr hcl.Expression) bool {
	node, ok := expr.(hclsyntax.Node)
	if !ok {
		return p.other
	}
	switch node.(type) {
	case *hclsyntax.LiteralValueExpr, *hclsyntax.ScopeTraversalExpr:
		return p.has(node) // a leaf: its walk is itself, cheaper than the map
	}
	if reflect.TypeOf(expr).Kind() != reflect.Pointer {
		return p.walk(node) // not usable as a map key (hclsyntax's are pointers)
	}
	if v, known := p.flags.Load(expr); known {
		return v.(bool)
	}
	v := p.walk(node)
	if p.size.Add(1) > p.max {
		p.flags.Clear()
		p.size.Store(1)
	}
	p.flags.Store(expr, v)
	return v
}

func (p *exprProperty) walk(node hclsyntax.Node) bool {
	found := false
	hclsyntax.VisitAll(node, func(n hclsyntax.Node) hcl.Diagnostics {
		found = found || p.has(n)
		return nil
	})
	return found
}

// keysReadSensitive reports whether an object constructor computes one of
// its keys from a sensitive value. hcl marks such an object as a whole; this
// also catches keys whose marks hcl dropped.
func keysReadSensitive(expr hcl.Expression, ctx *hcl.EvalContext) bool {
	obj, ok := expr.(*hclsyntax.ObjectConsExpr)
	if !ok {
		return false
	}
	for _, item := range obj.Items {
		if k, ok := item.KeyExpr.(*hclsyntax.ObjectConsKeyExpr); ok && !k.ForceNonLiteral && hcl.ExprAsKeyword(k.Wrapped) != "" {
			continue // a bare name, FOO = ...
		}
		if readsSensitive(item.KeyExpr, ctx) {
			return true
		}
	}
	return false
}

// evaluate is expr.Value(ctx) for configuration values. A value that reads
// a sensitive value where hcl or a function may have dropped its marks is
// marked (see markDerived); a diagnostic about an expression that reads a
// sensitive value keeps only its summary and location.
func evaluate(expr hcl.Expression, ctx *hcl.EvalContext) (cty.Value, hcl.Diagnostics) {
	v, diags := expr.Value(ctx)
	diags = hideSensitiveDetails(diags)
	if diags.HasErrors() || v == cty.NilVal {
		return v, diags
	}
	return markDerived(expr, ctx, v), diags
}

// markDerived marks v, the value of expr, when expr reads a sensitive value
// and v may have lost its marks on the way: expr indexes by a computed key,
// or v is not wholly known and carries no mark (keys() and lookup() drop
// the marks of unknown arguments). In an object constructor with plain
// keys, { OUT = m[k], B = "b" }, only the items that need it are marked, so
// that the names stay usable where they must be plain.
func markDerived(expr hcl.Expression, ctx *hcl.EvalContext, v cty.Value) cty.Value {
	if !mayHaveLostMarks(expr, v) || !readsSensitive(expr, ctx) {
		return v
	}
	obj, ok := expr.(*hclsyntax.ObjectConsExpr)
	if !ok || v.IsMarked() || !v.IsKnown() || v.IsNull() || !v.Type().IsObjectType() || keysReadSensitive(expr, ctx) {
		return v.Mark(Sensitive)
	}
	attrs := v.AsValueMap()
	for _, item := range obj.Items {
		k, diags := item.KeyExpr.Value(ctx)
		if diags.HasErrors() || !k.IsKnown() || k.IsMarked() || k.Type() != cty.String {
			return v.Mark(Sensitive)
		}
		if name := k.AsString(); attrs[name] != cty.NilVal {
			attrs[name] = markDerived(item.ValueExpr, ctx, attrs[name])
		}
	}
	return cty.ObjectVal(attrs)
}

// mayHaveLostMarks reports whether v, the value of expr, may lack the marks
// of what expr read.
func mayHaveLostMarks(expr hcl.Expression, v cty.Value) bool {
	return indexesByComputedKey(expr) || !v.IsWhollyKnown() && !v.HasMarkDeep(Sensitive)
}

// hideSensitiveDetails replaces the detail of every diagnostic whose
// expression reads a sensitive value.
func hideSensitiveDetails(diags hcl.Diagnostics) hcl.Diagnostics {
	for i, d := range diags {
		if d.Expression == nil || d.EvalContext == nil || !readsSensitive(d.Expression, d.EvalContext) {
			continue
		}
		hidden := *d
		hidden.Detail = hiddenDetail
		hidden.EvalContext = nil
		diags[i] = &hidden
	}
	return diags
}

// markIf adds the Sensitive mark to v when sensitive is true.
func markIf(v cty.Value, sensitive bool) cty.Value {
	if sensitive {
		return v.Mark(Sensitive)
	}
	return v
}

// tryFunc is hcl's try: the value of the first argument that evaluates
// without an error. The result is Sensitive when any argument it evaluated
// reads a sensitive value, since which one succeeded may depend on it.
var tryFunc = function.New(&function.Spec{
	Description: "Returns the value of the first argument that evaluates without an error.",
	VarParam:    &function.Parameter{Name: "expressions", Type: customdecode.ExpressionClosureType},
	Type: func(args []cty.Value) (cty.Type, error) {
		v, err := try(args)
		if err != nil {
			return cty.NilType, err
		}
		return v.Type(), nil
	},
	Impl: func(args []cty.Value, _ cty.Type) (cty.Value, error) { return try(args) },
})

// canFunc is hcl's can: whether its argument evaluates without an error.
// The result is Sensitive when the argument reads a sensitive value.
var canFunc = function.New(&function.Spec{
	Description: "Reports whether the expression evaluates without an error.",
	Params:      []function.Parameter{{Name: "expression", Type: customdecode.ExpressionClosureType}},
	Type:        function.StaticReturnType(cty.Bool),
	Impl: func(args []cty.Value, _ cty.Type) (cty.Value, error) {
		closure := customdecode.ExpressionClosureFromVal(args[0])
		sensitive := readsSensitive(closure.Expression, closure.EvalContext)
		v, diags := closure.Value()
		switch {
		case diags.HasErrors():
			return markIf(cty.False, sensitive), nil
		case !v.IsWhollyKnown():
			// an index may still fail once the value is known
			return markIf(cty.UnknownVal(cty.Bool), sensitive), nil
		}
		return markIf(cty.True, sensitive || v.HasMarkDeep(Sensitive)), nil
	},
})

func try(args []cty.Value) (cty.Value, error) {
	if len(args) == 0 {
		return cty.NilVal, errors.New("at least one argument is required")
	}
	var diags hcl.Diagnostics
	sensitive := false
	for _, arg := range args {
		closure := customdecode.ExpressionClosureFromVal(arg)
		sensitive = sensitive || readsSensitive(closure.Expression, closure.EvalContext)
		v, moreDiags := closure.Value()
		diags = append(diags, moreDiags...)
		switch {
		case moreDiags.HasErrors():
			continue
		case !v.IsWhollyKnown():
			// which argument succeeds may change once v is known
			return markIf(cty.DynamicVal, sensitive), nil
		}
		return markIf(v, sensitive), nil
	}
	if sensitive {
		return cty.NilVal, errors.New("no expression succeeded; " + redactedError)
	}
	return cty.NilVal, noneSucceeded(diags)
}

// noneSucceeded lists why each argument of try failed.
func noneSucceeded(diags hcl.Diagnostics) error {
	var b strings.Builder
	b.WriteString("no expression succeeded:\n")
	for _, d := range diags {
		if d.Subject != nil {
			fmt.Fprintf(&b, "- %s (at %s)\n  %s\n", d.Summary, d.Subject, d.Detail)
		} else {
			fmt.Fprintf(&b, "- %s\n  %s\n", d.Summary, d.Detail)
		}
	}
	b.WriteString("\nAt least one expression must produce a successful result")
	return errors.New(b.String())
}

// isLiteral reports whether expr is a literal value or a string without
// interpolations: it reads no variable and calls no function.
func isLiteral(expr hcl.Expression) bool {
	switch e := expr.(type) {
	case *hclsyntax.LiteralValueExpr:
		return true
	case *hclsyntax.TemplateExpr:
		return e.IsStringLiteral()
	}
	return false
}
