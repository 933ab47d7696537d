package synchronization

import (
	"strings"

	"github.com/hashicorp/hcl/v2"
	"github.com/hashicorp/hcl/v2/hclsyntax"
	"github.com/syncline/syncline/config"
	"github.com/syncline/syncline/engine/connector"
	"github.com/zclconf/go-cty/cty"
)

// Simple mappings. Most correlation and inbound mappings read an attribute
// (`attributes.mail`), perhaps lowercase it or join a few, or choose
// between two strings on a comparison. Through hcl each costs a scope of
// cty values built for the object and the function-call machinery; their
// simple form reads the object's attributes directly.
//
// A simple form answers exactly what hcl would (strings normalized to NFC
// as cty's are), or says it does not know — a list, a null where hcl
// would fail or convert, a value over the limits — and the mapping is then
// evaluated by hcl, which gives the value or the error. Nothing it reads
// can be sensitive: an object's attributes and literals never are.

type simpleKind uint8

const (
	simpleNull simpleKind = iota // a null string
	simpleString
	simpleBool
)

type simpleValue struct {
	kind simpleKind
	s    string
	b    bool
}

// simpleExpr evaluates a simple form over an object's attributes; known
// is false when hcl must answer.
type simpleExpr func(attrs connector.Attributes) (v simpleValue, known bool)

// limitFunc is the function config wraps around computed parts of an
// expression to check their size (config's limitFuncName). Should its
// name change, expressions that hold it are no longer simple: slower,
// never wrong.
const limitFunc = "syncline::limit"

// compileSimple returns the simple form of e, or nil when it has none.
func compileSimple(e hcl.Expression) simpleExpr {
	switch x := e.(type) {
	case *hclsyntax.ScopeTraversalExpr:
		return compileAttribute(x.Traversal)
	case *hclsyntax.LiteralValueExpr:
		return compileLiteral(x.Val)
	case *hclsyntax.TemplateExpr:
		return compileTemplate(x)
	case *hclsyntax.TemplateWrapExpr:
		return compileSimple(x.Wrapped)
	case *hclsyntax.ParenthesesExpr:
		return compileSimple(x.Expression)
	case *hclsyntax.FunctionCallExpr:
		return compileCall(x)
	case *hclsyntax.BinaryOpExpr:
		return compileEquality(x)
	case *hclsyntax.ConditionalExpr:
		return compileConditional(x)
	}
	return nil
}

// compileAttribute compiles `attributes.NAME`: null without values, the
// value itself with one, and hcl's answer (a list) with several.
func compileAttribute(t hcl.Traversal) simpleExpr {
	if len(t) != 2 || t.RootName() != config.RootAttributes {
		return nil
	}
	step, ok := t[1].(hcl.TraverseAttr)
	if !ok {
		return nil
	}
	name := step.Name
	return func(attrs connector.Attributes) (simpleValue, bool) {
		switch vs := attrs[name]; len(vs) {
		case 0:
			return simpleValue{kind: simpleNull}, true
		case 1:
			return stringValue(vs[0])
		}
		return simpleValue{}, false
	}
}

// stringValue is s as cty holds it, unknown when over the value limits.
func stringValue(s string) (simpleValue, bool) {
	if len(s) > config.MaxValueBytes {
		return simpleValue{}, false
	}
	return simpleValue{kind: simpleString, s: cty.NormalizeString(s)}, true
}

func compileLiteral(v cty.Value) simpleExpr {
	if v.IsMarked() || !v.IsKnown() || v.IsNull() {
		return nil
	}
	var sv simpleValue
	switch v.Type() {
	case cty.String:
		sv = simpleValue{kind: simpleString, s: v.AsString()}
	case cty.Bool:
		sv = simpleValue{kind: simpleBool, b: v.True()}
	default:
		return nil
	}
	return func(connector.Attributes) (simpleValue, bool) { return sv, true }
}

// compileTemplate compiles a string template whose parts are all strings.
func compileTemplate(x *hclsyntax.TemplateExpr) simpleExpr {
	parts := make([]simpleExpr, len(x.Parts))
	for i, p := range x.Parts {
		if parts[i] = compileSimple(p); parts[i] == nil {
			return nil
		}
	}
	if len(parts) == 1 {
		return onlyStrings(parts[0])
	}
	return func(attrs connector.Attributes) (simpleValue, bool) {
		var b strings.Builder
		for _, p := range parts {
			v, known := p(attrs)
			if !known || v.kind != simpleString {
				return simpleValue{}, false
			}
			b.WriteString(v.s)
		}
		return stringValue(b.String())
	}
}

// onlyStrings leaves a one-part template's value to hcl unless it is a
// string (hcl converts or refuses the others).
func onlyStrings(p simpleExpr) simpleExpr {
	return func(attrs connector.Attributes) (simpleValue, bool) {
		v, known := p(attrs)
		return v, known && v.kind == simpleString
	}
}

// compileCall compiles the limit check, lower and upper of one simple
// argument.
func compileCall(x *hclsyntax.FunctionCallExpr) simpleExpr {
	if x.ExpandFinal || len(x.Args) == 0 {
		return nil
	}
	arg := compileSimple(x.Args[0])
	if arg == nil {
		return nil
	}
	switch {
	case x.Name == limitFunc && len(x.Args) == 2:
		return arg // every simple value was checked against the limits
	case x.Name == "lower" && len(x.Args) == 1:
		return mapString(arg, strings.ToLower)
	case x.Name == "upper" && len(x.Args) == 1:
		return mapString(arg, strings.ToUpper)
	}
	return nil
}

func mapString(arg simpleExpr, f func(string) string) simpleExpr {
	return func(attrs connector.Attributes) (simpleValue, bool) {
		v, known := arg(attrs)
		if !known || v.kind != simpleString {
			return simpleValue{}, false
		}
		return stringValue(f(v.s))
	}
}

// compileEquality compiles == and != of two strings.
func compileEquality(x *hclsyntax.BinaryOpExpr) simpleExpr {
	if x.Op != hclsyntax.OpEqual && x.Op != hclsyntax.OpNotEqual {
		return nil
	}
	lhs, rhs := compileSimple(x.LHS), compileSimple(x.RHS)
	if lhs == nil || rhs == nil {
		return nil
	}
	equal := x.Op == hclsyntax.OpEqual
	return func(attrs connector.Attributes) (simpleValue, bool) {
		l, lknown := lhs(attrs)
		r, rknown := rhs(attrs)
		if !lknown || !rknown || l.kind != simpleString || r.kind != simpleString {
			return simpleValue{}, false
		}
		return simpleValue{kind: simpleBool, b: (l.s == r.s) == equal}, true
	}
}

// compileConditional compiles `cond ? a : b` whose condition is a bool
// and whose results are both strings (or null strings) or both bools.
func compileConditional(x *hclsyntax.ConditionalExpr) simpleExpr {
	cond, t, f := compileSimple(x.Condition), compileSimple(x.TrueResult), compileSimple(x.FalseResult)
	if cond == nil || t == nil || f == nil {
		return nil
	}
	return func(attrs connector.Attributes) (simpleValue, bool) {
		c, cknown := cond(attrs)
		tv, tknown := t(attrs)
		fv, fknown := f(attrs)
		if !cknown || !tknown || !fknown || c.kind != simpleBool || (tv.kind == simpleBool) != (fv.kind == simpleBool) {
			return simpleValue{}, false
		}
		if c.b {
			return tv, true
		}
		return fv, true
	}
}
