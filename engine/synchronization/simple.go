package synchronization

import (
	"strings"

	"github.com/hashicorp/hcl/v2"
	"github.com/hashicorp/hcl/v2/hclsyntax"
	"github.com/syncline/syncline/config"
	"github.com/syncline/syncline/engine/connector"
	"github.com/syncline/syncline/state"
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
// can be sensitive: an object's attributes, a user's and literals never
// are. The same forms serve outbound mappings and provision_when over a
// user (user_simple.go).

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

// simpleSource is what a simple form reads: an object's attributes (the
// root attributes) or a user (the root user).
type simpleSource struct {
	attrs connector.Attributes
	user  *state.User
}

// simpleExpr evaluates a simple form over its source; known is false when
// hcl must answer.
type simpleExpr func(src *simpleSource) (v simpleValue, known bool)

// simpleCompiler compiles the simple forms of the expressions over one
// root: leaf compiles a traversal, or returns nil when it is not simple.
type simpleCompiler struct {
	leaf func(hcl.Traversal) simpleExpr
}

// objectForms compiles expressions over an object's attributes.
var objectForms = simpleCompiler{leaf: compileAttribute}

// limitFunc is the function config wraps around computed parts of an
// expression to check their size (config's limitFuncName). Should its
// name change, expressions that hold it are no longer simple: slower,
// never wrong.
const limitFunc = "syncline::limit"

// compileSimple returns the simple form of e over an object's
// attributes, or nil when it has none.
func compileSimple(e hcl.Expression) simpleExpr { return objectForms.compile(e) }

// compile returns the simple form of e, or nil when it has none.
func (c simpleCompiler) compile(e hcl.Expression) simpleExpr {
	switch x := e.(type) {
	case *hclsyntax.ScopeTraversalExpr:
		return c.leaf(x.Traversal)
	case *hclsyntax.LiteralValueExpr:
		return compileLiteral(x.Val)
	case *hclsyntax.TemplateExpr:
		return c.compileTemplate(x)
	case *hclsyntax.TemplateWrapExpr:
		return c.compile(x.Wrapped)
	case *hclsyntax.ParenthesesExpr:
		return c.compile(x.Expression)
	case *hclsyntax.FunctionCallExpr:
		return c.compileCall(x)
	case *hclsyntax.BinaryOpExpr:
		return c.compileEquality(x)
	case *hclsyntax.ConditionalExpr:
		return c.compileConditional(x)
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
	return func(src *simpleSource) (simpleValue, bool) {
		switch vs := src.attrs[name]; len(vs) {
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
	return func(*simpleSource) (simpleValue, bool) { return sv, true }
}

// compileTemplate compiles a string template whose parts are all strings.
func (c simpleCompiler) compileTemplate(x *hclsyntax.TemplateExpr) simpleExpr {
	parts := make([]simpleExpr, len(x.Parts))
	for i, p := range x.Parts {
		if parts[i] = c.compile(p); parts[i] == nil {
			return nil
		}
	}
	if len(parts) == 1 {
		return onlyStrings(parts[0])
	}
	return func(src *simpleSource) (simpleValue, bool) {
		var b strings.Builder
		for _, p := range parts {
			v, known := p(src)
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
	return func(src *simpleSource) (simpleValue, bool) {
		v, known := p(src)
		return v, known && v.kind == simpleString
	}
}

// compileCall compiles the limit check, lower and upper of one simple
// argument.
func (c simpleCompiler) compileCall(x *hclsyntax.FunctionCallExpr) simpleExpr {
	if x.ExpandFinal || len(x.Args) == 0 {
		return nil
	}
	arg := c.compile(x.Args[0])
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
	return func(src *simpleSource) (simpleValue, bool) {
		v, known := arg(src)
		if !known || v.kind != simpleString {
			return simpleValue{}, false
		}
		return stringValue(f(v.s))
	}
}

// compileEquality compiles == and != of two strings, either of which may
// be null (a null equals only a null, as in cty).
func (c simpleCompiler) compileEquality(x *hclsyntax.BinaryOpExpr) simpleExpr {
	if x.Op != hclsyntax.OpEqual && x.Op != hclsyntax.OpNotEqual {
		return nil
	}
	lhs, rhs := c.compile(x.LHS), c.compile(x.RHS)
	if lhs == nil || rhs == nil {
		return nil
	}
	equal := x.Op == hclsyntax.OpEqual
	return func(src *simpleSource) (simpleValue, bool) {
		l, lknown := lhs(src)
		r, rknown := rhs(src)
		if !lknown || !rknown || l.kind == simpleBool || r.kind == simpleBool {
			return simpleValue{}, false
		}
		same := l.kind == r.kind && l.s == r.s
		return simpleValue{kind: simpleBool, b: same == equal}, true
	}
}

// compileConditional compiles `cond ? a : b` whose condition is a bool
// and whose results are both strings (or null strings) or both bools.
func (c simpleCompiler) compileConditional(x *hclsyntax.ConditionalExpr) simpleExpr {
	cond, t, f := c.compile(x.Condition), c.compile(x.TrueResult), c.compile(x.FalseResult)
	if cond == nil || t == nil || f == nil {
		return nil
	}
	return func(src *simpleSource) (simpleValue, bool) {
		c, cknown := cond(src)
		tv, tknown := t(src)
		fv, fknown := f(src)
		if !cknown || !tknown || !fknown || c.kind != simpleBool || (tv.kind == simpleBool) != (fv.kind == simpleBool) {
			return simpleValue{}, false
		}
		if c.b {
			return tv, true
		}
		return fv, true
	}
}
