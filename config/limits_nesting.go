package config

import (
	"fmt"
	"math/big"
	"strings"

	"github.com/hashicorp/hcl/v2"
	"github.com/hashicorp/hcl/v2/hclsyntax"
)

// CheckNesting reports, without parsing, a file (or, with expression set, a
// lone expression such as a -var value) nested deeper than MaxNestingDepth,
// and number literals too large to write out. hclsyntax's parser recurses
// once per level, so a file of 100,000 parentheses would exhaust the stack;
// call CheckNesting first and do not parse src when it reports an error.
// The lexer it uses does not recurse.
func CheckNesting(src []byte, filename string, expression bool) hcl.Diagnostics {
	if quickNesting(src) {
		return nil
	}
	lex := hclsyntax.LexConfig
	if expression {
		lex = hclsyntax.LexExpression
	}
	tokens, _ := lex(src, filename, hcl.InitialPos)
	return nestingOf(tokens)
}

// nestingFrame is one open bracket, brace, parenthesis, template or
// directive, with the operators and indexes chained inside it since its
// last comma (or newline, in a body): the parser builds a tree one level
// deeper for each, and evaluation recurses on it.
type nestingFrame struct {
	closer  hclsyntax.TokenType
	chained int
}

// nestingCounter follows the nesting of a file token by token.
type nestingCounter struct {
	stack []nestingFrame
	prev  hclsyntax.TokenType // the last token that is not a comment
}

func newNestingCounter() nestingCounter {
	return nestingCounter{stack: []nestingFrame{{}}, prev: hclsyntax.TokenNewline}
}

// step takes the next token's type and returns the depth after it.
func (n *nestingCounter) step(t hclsyntax.TokenType) int {
	top := &n.stack[len(n.stack)-1]
	switch t {
	case hclsyntax.TokenOBrack:
		if postfix(n.prev) {
			top.chained++ // x[a][b][c] is a deep tree too
		}
		n.stack = append(n.stack, nestingFrame{closer: hclsyntax.TokenCBrack})
	case hclsyntax.TokenOBrace, hclsyntax.TokenOParen,
		hclsyntax.TokenTemplateInterp, hclsyntax.TokenTemplateControl,
		hclsyntax.TokenOQuote, hclsyntax.TokenOHeredoc:
		n.stack = append(n.stack, nestingFrame{closer: closerOf(t)})
	case hclsyntax.TokenCBrace, hclsyntax.TokenCBrack, hclsyntax.TokenCParen,
		hclsyntax.TokenTemplateSeqEnd, hclsyntax.TokenCQuote, hclsyntax.TokenCHeredoc:
		if len(n.stack) > 1 {
			n.stack = n.stack[:len(n.stack)-1]
		}
	case hclsyntax.TokenComma:
		top.chained = 0
	case hclsyntax.TokenNewline:
		if top.closer == hclsyntax.TokenCBrace || top.closer == hclsyntax.TokenNil {
			top.chained = 0 // the end of an attribute
		}
	case hclsyntax.TokenBang, hclsyntax.TokenQuestion, hclsyntax.TokenMinus, hclsyntax.TokenPlus,
		hclsyntax.TokenStar, hclsyntax.TokenSlash, hclsyntax.TokenPercent, hclsyntax.TokenAnd, hclsyntax.TokenOr,
		hclsyntax.TokenEqualOp, hclsyntax.TokenNotEqual, hclsyntax.TokenLessThan, hclsyntax.TokenLessThanEq,
		hclsyntax.TokenGreaterThan, hclsyntax.TokenGreaterThanEq:
		top.chained++ // a chain of operators is a deep tree
	}
	if t != hclsyntax.TokenComment {
		n.prev = t
	}
	return nestingDepth(n.stack)
}

func nestingOf(tokens hclsyntax.Tokens) hcl.Diagnostics {
	n := newNestingCounter()
	for i, tok := range tokens {
		switch tok.Type {
		case hclsyntax.TokenIdent:
			n.stack = directive(n.stack, tokens, i)
		case hclsyntax.TokenNumberLit:
			if d := numberLiteral(tok); d != nil {
				return hcl.Diagnostics{d}
			}
		}
		if depth := n.step(tok.Type); depth > MaxNestingDepth {
			return hcl.Diagnostics{{
				Severity: hcl.DiagError,
				Summary:  "Nesting too deep",
				Detail: fmt.Sprintf("This file nests brackets, braces, parentheses, templates, blocks or operators more than %d levels deep (MaxNestingDepth), so Syncline did not read it. "+
					"Flatten the expression, or compute it in several local values.", MaxNestingDepth),
				Subject: tok.Range.Ptr(),
			}}
		}
	}
	return nil
}

func nestingDepth(stack []nestingFrame) int {
	return len(stack) - 1 + stack[len(stack)-1].chained
}

// directive counts %{ if } and %{ for } as one more level until their
// %{ endif } or %{ endfor }: the template parser recurses on them.
func directive(stack []nestingFrame, tokens hclsyntax.Tokens, i int) []nestingFrame {
	if i == 0 || tokens[i-1].Type != hclsyntax.TokenTemplateControl {
		return stack
	}
	switch string(tokens[i].Bytes) {
	case "if", "for":
		// Below the %{ frame, which its "}" closes.
		opened := stack[len(stack)-1]
		stack[len(stack)-1] = nestingFrame{closer: hclsyntax.TokenNil}
		return append(stack, opened)
	case "endif", "endfor":
		if n := len(stack); n > 2 && stack[n-2].closer == hclsyntax.TokenNil {
			stack[n-2] = stack[n-1]
			return stack[:n-1]
		}
	}
	return stack
}

func closerOf(t hclsyntax.TokenType) hclsyntax.TokenType {
	switch t {
	case hclsyntax.TokenOBrace:
		return hclsyntax.TokenCBrace
	case hclsyntax.TokenOBrack:
		return hclsyntax.TokenCBrack
	case hclsyntax.TokenOParen:
		return hclsyntax.TokenCParen
	case hclsyntax.TokenOQuote:
		return hclsyntax.TokenCQuote
	case hclsyntax.TokenOHeredoc:
		return hclsyntax.TokenCHeredoc
	}
	return hclsyntax.TokenTemplateSeqEnd
}

// postfix reports whether a bracket after prev indexes a value.
func postfix(prev hclsyntax.TokenType) bool {
	switch prev {
	case hclsyntax.TokenIdent, hclsyntax.TokenCBrack, hclsyntax.TokenCParen, hclsyntax.TokenCBrace,
		hclsyntax.TokenCQuote, hclsyntax.TokenCHeredoc:
		return true
	}
	return false
}

// numberLiteral refuses a literal such as 1e999999999, cheap to hold but a
// gigabyte of digits when converted to a string.
func numberLiteral(tok hclsyntax.Token) *hcl.Diagnostic {
	text := string(tok.Bytes)
	if !strings.ContainsAny(text, "eE") {
		return nil // its digits are in the file already
	}
	f, _, err := big.ParseFloat(text, 10, 512, big.ToNearestEven)
	if err == nil && !f.IsInf() && numberDigits(f) <= MaxValueBytes {
		return nil
	}
	return &hcl.Diagnostic{
		Severity: hcl.DiagError,
		Summary:  "Number too large",
		Detail:   fmt.Sprintf("Written out, this number would have more than %d digits (MaxValueBytes, 1 MiB). Use a smaller exponent.", MaxValueBytes),
		Subject:  tok.Range.Ptr(),
	}
}
