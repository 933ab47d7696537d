package config

import (
	"slices"

	"github.com/hashicorp/hcl/v2"
	"github.com/hashicorp/hcl/v2/hclsyntax"
)

// shift copies a syntax tree parsed on one line to another line of the
// same text: every position moves by the same lines, columns and bytes
// (the text, and so every column after its start, is the same), and every
// range names filename. It copies the expressions that ordinary argument
// lines hold; for any other it says false, and the line is parsed.
// Values, names and operations are immutable and shared.
type shift struct {
	// firstLine is the line where the copied text starts: only the columns
	// of that line move, the text after its first newline being the same.
	firstLine          int
	filename           string
	line, column, byte int
}

func (s shift) pos(p hcl.Pos) hcl.Pos {
	column := p.Column
	if p.Line == s.firstLine {
		column += s.column
	}
	return hcl.Pos{Line: p.Line + s.line, Column: column, Byte: p.Byte + s.byte}
}

func (s shift) rng(r hcl.Range) hcl.Range {
	return hcl.Range{Filename: s.filename, Start: s.pos(r.Start), End: s.pos(r.End)}
}

// block copies a nested block with its body.
func (s shift) block(b *hclsyntax.Block) (*hclsyntax.Block, bool) {
	c := *b
	c.TypeRange, c.OpenBraceRange, c.CloseBraceRange = s.rng(b.TypeRange), s.rng(b.OpenBraceRange), s.rng(b.CloseBraceRange)
	c.Labels = slices.Clone(b.Labels)
	if b.LabelRanges != nil {
		c.LabelRanges = make([]hcl.Range, len(b.LabelRanges))
		for i, r := range b.LabelRanges {
			c.LabelRanges[i] = s.rng(r)
		}
	}
	body, ok := s.body(b.Body)
	c.Body = body
	return &c, ok
}

func (s shift) body(b *hclsyntax.Body) (*hclsyntax.Body, bool) {
	c := *b
	c.SrcRange, c.EndRange = s.rng(b.SrcRange), s.rng(b.EndRange)
	if b.Attributes != nil {
		c.Attributes = make(hclsyntax.Attributes, len(b.Attributes))
		for name, a := range b.Attributes {
			copied, ok := s.attribute(a)
			if !ok {
				return nil, false
			}
			c.Attributes[name] = copied
		}
	}
	if b.Blocks != nil {
		c.Blocks = make(hclsyntax.Blocks, len(b.Blocks))
		for i, nested := range b.Blocks {
			copied, ok := s.block(nested)
			if !ok {
				return nil, false
			}
			c.Blocks[i] = copied
		}
	}
	return &c, true
}

func (s shift) attribute(a *hclsyntax.Attribute) (*hclsyntax.Attribute, bool) {
	c := *a
	c.SrcRange, c.NameRange, c.EqualsRange = s.rng(a.SrcRange), s.rng(a.NameRange), s.rng(a.EqualsRange)
	var ok bool
	c.Expr, ok = s.expr(a.Expr)
	return &c, ok
}

func (s shift) expr(e hclsyntax.Expression) (hclsyntax.Expression, bool) {
	ok := true
	switch x := e.(type) {
	case *hclsyntax.LiteralValueExpr:
		c := *x
		c.SrcRange = s.rng(x.SrcRange)
		return &c, true
	case *hclsyntax.ScopeTraversalExpr:
		c := *x
		c.SrcRange = s.rng(x.SrcRange)
		c.Traversal, ok = s.traversal(x.Traversal)
		return &c, ok
	case *hclsyntax.RelativeTraversalExpr:
		c := *x
		c.SrcRange = s.rng(x.SrcRange)
		c.Traversal, ok = s.traversal(x.Traversal)
		return &c, s.into(&c.Source, ok)
	case *hclsyntax.FunctionCallExpr:
		c := *x
		c.NameRange, c.OpenParenRange, c.CloseParenRange = s.rng(x.NameRange), s.rng(x.OpenParenRange), s.rng(x.CloseParenRange)
		c.Args, ok = s.exprs(x.Args)
		return &c, ok
	case *hclsyntax.TemplateExpr:
		c := *x
		c.SrcRange = s.rng(x.SrcRange)
		c.Parts, ok = s.exprs(x.Parts)
		return &c, ok
	case *hclsyntax.TemplateWrapExpr:
		c := *x
		c.SrcRange = s.rng(x.SrcRange)
		return &c, s.into(&c.Wrapped, true)
	case *hclsyntax.ParenthesesExpr:
		c := *x
		c.SrcRange = s.rng(x.SrcRange)
		return &c, s.into(&c.Expression, true)
	}
	return s.operation(e)
}

// into replaces *e by its copy; false when ok is or the copy fails.
func (s shift) into(e *hclsyntax.Expression, ok bool) bool {
	c, copied := s.expr(*e)
	*e = c
	return ok && copied
}

// operation copies the operators, conditionals, constructors and index
// expressions; expr the rest.
func (s shift) operation(e hclsyntax.Expression) (hclsyntax.Expression, bool) {
	ok := true
	switch x := e.(type) {
	case *hclsyntax.BinaryOpExpr:
		c := *x
		c.SrcRange = s.rng(x.SrcRange)
		return &c, s.into(&c.LHS, s.into(&c.RHS, true))
	case *hclsyntax.UnaryOpExpr:
		c := *x
		c.SrcRange, c.SymbolRange = s.rng(x.SrcRange), s.rng(x.SymbolRange)
		return &c, s.into(&c.Val, true)
	case *hclsyntax.ConditionalExpr:
		c := *x
		c.SrcRange = s.rng(x.SrcRange)
		return &c, s.into(&c.Condition, s.into(&c.TrueResult, s.into(&c.FalseResult, true)))
	case *hclsyntax.IndexExpr:
		c := *x
		c.SrcRange, c.OpenRange, c.BracketRange = s.rng(x.SrcRange), s.rng(x.OpenRange), s.rng(x.BracketRange)
		return &c, s.into(&c.Collection, s.into(&c.Key, true))
	case *hclsyntax.TupleConsExpr:
		c := *x
		c.SrcRange, c.OpenRange = s.rng(x.SrcRange), s.rng(x.OpenRange)
		c.Exprs, ok = s.exprs(x.Exprs)
		return &c, ok
	case *hclsyntax.ObjectConsExpr:
		return s.object(x)
	}
	return nil, false
}

func (s shift) object(x *hclsyntax.ObjectConsExpr) (hclsyntax.Expression, bool) {
	c := *x
	c.SrcRange, c.OpenRange = s.rng(x.SrcRange), s.rng(x.OpenRange)
	if x.Items != nil {
		c.Items = make([]hclsyntax.ObjectConsItem, len(x.Items))
	}
	for i, item := range x.Items {
		key, ok := item.KeyExpr.(*hclsyntax.ObjectConsKeyExpr)
		if !ok {
			return nil, false
		}
		k := *key
		if !s.into(&k.Wrapped, true) || !s.into(&item.ValueExpr, true) {
			return nil, false
		}
		item.KeyExpr = &k
		c.Items[i] = item
	}
	return &c, true
}

func (s shift) exprs(es []hclsyntax.Expression) ([]hclsyntax.Expression, bool) {
	if es == nil {
		return nil, true
	}
	out := make([]hclsyntax.Expression, len(es))
	for i, e := range es {
		c, ok := s.expr(e)
		if !ok {
			return nil, false
		}
		out[i] = c
	}
	return out, true
}

func (s shift) traversal(t hcl.Traversal) (hcl.Traversal, bool) {
	if t == nil {
		return nil, true
	}
	out := make(hcl.Traversal, len(t))
	for i, step := range t {
		switch x := step.(type) {
		case hcl.TraverseRoot:
			x.SrcRange = s.rng(x.SrcRange)
			out[i] = x
		case hcl.TraverseAttr:
			x.SrcRange = s.rng(x.SrcRange)
			out[i] = x
		case hcl.TraverseIndex:
			x.SrcRange = s.rng(x.SrcRange)
			out[i] = x
		default:
			return nil, false
		}
	}
	return out, true
}
