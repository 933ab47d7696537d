package config

import (
	"github.com/hashicorp/hcl/v2"
	"github.com/hashicorp/hcl/v2/hclsyntax"
)

// templateParts is how many computed parts a template may have before each
// part is checked on its own: a few parts of at most MaxValueBytes each
// make a string the caller checks; a hundred thousand would not.
const templateParts = 4

// limitExpressions wraps, in place, the parts of every expression in node
// that can multiply work — the key, value and condition of a for
// expression, the parts of a long template, the computed elements of tuple
// and object constructors, operands of operators, and computed attribute
// values — in a call to limitFuncName, which checks each value against the
// limits and spends it from the evaluation's budget. hclsyntax offers no
// hook into evaluation; a function call is the one node a caller can add.
//
// Traversals, literals and constructors are left unwrapped where they stand
// on their own, so references (resource = resource.hr, after = [task.a])
// keep the shape static analysis reads. The type of a variable block is a
// type constraint, not an expression, and is left alone.
func limitExpressions(body *hclsyntax.Body, blockType string) {
	for name, attr := range body.Attributes {
		if blockType == "variable" && name == "type" {
			continue
		}
		limitExpression(attr)
	}
	for _, b := range body.Blocks {
		limitExpressions(b.Body, b.Type)
	}
}

// limitExpression wraps the parts of one attribute or expression.
func limitExpression(node hclsyntax.Node) {
	hclsyntax.VisitAll(node, func(n hclsyntax.Node) hcl.Diagnostics {
		switch e := n.(type) {
		case *hclsyntax.Attribute:
			e.Expr = wrapIfComputed(e.Expr)
		case *hclsyntax.ForExpr:
			e.ValExpr = wrapLimit(e.ValExpr)
			if e.KeyExpr != nil {
				e.KeyExpr = wrapLimit(e.KeyExpr)
			}
			if e.CondExpr != nil {
				e.CondExpr = wrapLimit(e.CondExpr)
			}
		case *hclsyntax.TemplateExpr:
			limitTemplate(e)
		case *hclsyntax.TupleConsExpr:
			for i, x := range e.Exprs {
				e.Exprs[i] = wrapIfComputed(x)
			}
		case *hclsyntax.ObjectConsExpr:
			for i := range e.Items {
				e.Items[i].ValueExpr = wrapIfComputed(e.Items[i].ValueExpr)
			}
		case *hclsyntax.BinaryOpExpr:
			e.LHS, e.RHS = wrapIfComputed(e.LHS), wrapIfComputed(e.RHS)
		}
		return nil
	})
}

func limitTemplate(e *hclsyntax.TemplateExpr) {
	computed := 0
	for _, p := range e.Parts {
		if _, lit := p.(*hclsyntax.LiteralValueExpr); !lit {
			computed++
		}
	}
	if computed <= templateParts {
		return
	}
	for i, p := range e.Parts {
		if _, lit := p.(*hclsyntax.LiteralValueExpr); !lit {
			e.Parts[i] = wrapLimit(p)
		}
	}
}

// wrapIfComputed wraps x unless it is a literal, a reference, a
// constructor (whose elements are wrapped themselves) or already wrapped.
func wrapIfComputed(x hclsyntax.Expression) hclsyntax.Expression {
	switch e := x.(type) {
	case *hclsyntax.LiteralValueExpr, *hclsyntax.ScopeTraversalExpr, *hclsyntax.RelativeTraversalExpr,
		*hclsyntax.TupleConsExpr, *hclsyntax.ObjectConsExpr:
		return x
	case *hclsyntax.TemplateExpr:
		if e.IsStringLiteral() {
			return x
		}
	case *hclsyntax.TemplateWrapExpr:
		return x // "${x}" is x; what x computes is wrapped where it is
	case *hclsyntax.FunctionCallExpr:
		if e.Name == limitFuncName {
			return x
		}
	}
	return wrapLimit(x)
}

func wrapLimit(x hclsyntax.Expression) hclsyntax.Expression {
	if call, ok := x.(*hclsyntax.FunctionCallExpr); ok && call.Name == limitFuncName {
		return x
	}
	rng := x.Range()
	return &hclsyntax.FunctionCallExpr{
		Name:            limitFuncName,
		Args:            []hclsyntax.Expression{x, &hclsyntax.LiteralValueExpr{Val: rangeVal(rng), SrcRange: rng}},
		NameRange:       rng,
		OpenParenRange:  rng,
		CloseParenRange: rng,
	}
}
