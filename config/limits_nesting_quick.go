package config

import (
	"bytes"

	"github.com/hashicorp/hcl/v2/hclsyntax"
)

// quickNesting reports whether src certainly passes CheckNesting: it splits
// the bytes the way hclsyntax's lexer splits them into tokens (its
// scan_tokens.rl), one token at a time and without keeping any, and feeds
// their types to the same nestingCounter. Lexing a file builds a slice of
// every token, which costs as much as the parse that follows, so CheckNesting
// asks this first and lexes only when it says no.
//
// It follows only what ordinary configurations hold: ASCII outside strings
// and comments, quoted strings with ${ } interpolations, comments, the
// operators. For anything else — a heredoc, a %{ } directive, a ~ strip
// marker, a byte-order mark, a number with an exponent, any byte it does not
// expect — it answers false without deciding, and the lexer decides.
func quickNesting(src []byte) bool {
	_, ok := quickMaxNesting(src, MaxNestingDepth)
	return ok
}

// quickMaxNesting returns the deepest nesting in src, and false when it
// cannot follow src or the nesting goes deeper than limit.
func quickMaxNesting(src []byte, limit int) (int, bool) {
	return quickScan(src, limit, 0, nil, nil)
}

// quickScan is quickMaxNesting that also appends to breaks, when not nil,
// the offsets where src may be cut into pieces that parse alone: just after
// a newline outside any bracket, brace, parenthesis, string or
// interpolation, at least every bytes apart; and to lines, when not nil,
// the offsets just after every newline outside strings, interpolations and
// comments, where a line begins (see parse_lines.go).
func quickScan(src []byte, limit, every int, breaks, lines *[]int) (int, bool) {
	q := quickLexer{counter: newNestingCounter(), contexts: []bool{false}}
	deepest, last := 0, 0
	for i := 0; i < len(src); {
		t, width := q.next(src[i:])
		if width == 0 {
			return deepest, false
		}
		i += width
		if t == hclsyntax.TokenNil {
			continue // spaces
		}
		if deepest = max(deepest, q.counter.step(t)); deepest > limit {
			return deepest, false
		}
		if src[i-1] != '\n' {
			continue
		}
		if lines != nil && len(q.contexts) == 1 && i < len(src) {
			*lines = append(*lines, i)
		}
		if breaks != nil && i-last >= every && q.atTopLevel() {
			*breaks = append(*breaks, i)
			last = i
		}
	}
	return deepest, true
}

// quickLexer is the state of hclsyntax's lexer that decides how bytes split:
// whether they are inside a quoted string, and which closing brace ends an
// interpolation rather than an object.
type quickLexer struct {
	counter   nestingCounter
	contexts  []bool // true: inside a quoted string; false: in expressions
	braces    int    // open braces and interpolations
	retBraces []int  // the brace count at which each open interpolation ends
}

// atTopLevel reports whether the lexer is outside every bracket, brace,
// parenthesis, string and interpolation.
func (q *quickLexer) atTopLevel() bool {
	return len(q.contexts) == 1 && len(q.counter.stack) == 1 && q.braces == 0
}

// next returns the type and width of the token at the start of b, width 0
// when quickNesting cannot follow it, and type TokenNil for spaces.
func (q *quickLexer) next(b []byte) (hclsyntax.TokenType, int) {
	if q.contexts[len(q.contexts)-1] {
		return q.inString(b)
	}
	return q.inExpression(b)
}

// inString is the lexer's stringTemplate machine.
func (q *quickLexer) inString(b []byte) (hclsyntax.TokenType, int) {
	switch b[0] {
	case '"':
		q.contexts = q.contexts[:len(q.contexts)-1]
		return hclsyntax.TokenCQuote, 1
	case '$':
		if at(b, 1) == '{' {
			q.braces++
			q.retBraces = append(q.retBraces, q.braces)
			q.contexts = append(q.contexts, false)
			return hclsyntax.TokenTemplateInterp, 2
		}
		if at(b, 1) == '$' && at(b, 2) == '{' {
			return hclsyntax.TokenQuotedLit, 3 // $${ is a literal ${
		}
	case '%':
		if at(b, 1) == '{' {
			return hclsyntax.TokenNil, 0 // a directive
		}
		if at(b, 1) == '%' && at(b, 2) == '{' {
			return hclsyntax.TokenQuotedLit, 3
		}
	case '\\':
		if c := at(b, 1); c != 0 && c != '\n' && c != '\r' {
			return hclsyntax.TokenQuotedLit, 2 // an escape
		}
	}
	return hclsyntax.TokenQuotedLit, 1
}

// inExpression is the lexer's main machine.
func (q *quickLexer) inExpression(b []byte) (hclsyntax.TokenType, int) {
	c := b[0]
	switch {
	case c == ' ' || c == '\t':
		return hclsyntax.TokenNil, span(b, func(c byte) bool { return c == ' ' || c == '\t' })
	case c == '_' || 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z':
		n := span(b, identByte)
		if at(b, n) >= 0x80 {
			return hclsyntax.TokenNil, 0 // the identifier may go on in Unicode
		}
		return hclsyntax.TokenIdent, n
	case '0' <= c && c <= '9':
		n := span(b, func(c byte) bool { return '0' <= c && c <= '9' || c == '.' })
		if e := at(b, n); e == 'e' || e == 'E' {
			return hclsyntax.TokenNil, 0 // numberLiteral must see it
		}
		return hclsyntax.TokenNumberLit, n
	case c == '"':
		q.contexts = append(q.contexts, true)
		return hclsyntax.TokenOQuote, 1
	case c == '{':
		q.braces++
		return hclsyntax.TokenOBrace, 1
	case c == '}':
		return q.closeBrace(), 1
	case c == '#' || c == '/' && at(b, 1) == '/':
		if n := bytes.IndexByte(b, '\n'); n >= 0 {
			return hclsyntax.TokenComment, n + 1 // the newline is the comment's
		}
		return hclsyntax.TokenComment, len(b)
	case c == '/' && at(b, 1) == '*':
		if n := bytes.Index(b[2:], []byte("*/")); n >= 0 {
			return hclsyntax.TokenComment, n + 4
		}
		return hclsyntax.TokenNil, 0
	case c == '\r':
		if at(b, 1) == '\n' {
			return hclsyntax.TokenNewline, 2
		}
		return hclsyntax.TokenNil, 0
	}
	return operator(b)
}

// closeBrace ends an interpolation or an object, as the lexer's closeBrace
// action does.
func (q *quickLexer) closeBrace() hclsyntax.TokenType {
	if n := len(q.retBraces); n > 0 && q.retBraces[n-1] == q.braces {
		q.braces--
		q.retBraces = q.retBraces[:n-1]
		q.contexts = q.contexts[:len(q.contexts)-1]
		return hclsyntax.TokenTemplateSeqEnd
	}
	q.braces--
	return hclsyntax.TokenCBrace
}

// operator is a punctuation token: two bytes where the lexer takes two.
func operator(b []byte) (hclsyntax.TokenType, int) {
	c, d := b[0], at(b, 1)
	switch c {
	case '=':
		switch d {
		case '=':
			return hclsyntax.TokenEqualOp, 2
		case '>':
			return hclsyntax.TokenFatArrow, 2
		}
	case '!':
		if d == '=' {
			return hclsyntax.TokenNotEqual, 2
		}
	case '<':
		switch d {
		case '=':
			return hclsyntax.TokenLessThanEq, 2
		case '<':
			return hclsyntax.TokenNil, 0 // perhaps a heredoc
		}
	case '>':
		if d == '=' {
			return hclsyntax.TokenGreaterThanEq, 2
		}
	case '&', '|':
		if d != c {
			return hclsyntax.TokenNil, 0
		}
		if c == '&' {
			return hclsyntax.TokenAnd, 2
		}
		return hclsyntax.TokenOr, 2
	case ':':
		if d == ':' {
			return hclsyntax.TokenDoubleColon, 2
		}
	}
	switch c {
	case '[', ']', '(', ')', '.', ',', '*', '/', '%', '+', '-', '=', '<', '>', '!', '?', ':', '\n':
		return hclsyntax.TokenType(c), 1 // the lexer's selfToken
	}
	return hclsyntax.TokenNil, 0
}

func identByte(c byte) bool {
	return c == '_' || c == '-' || 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9'
}

// span is how many bytes at the start of b satisfy ok.
func span(b []byte, ok func(byte) bool) int {
	n := 0
	for n < len(b) && ok(b[n]) {
		n++
	}
	return n
}

// at is b[i], or 0 past its end.
func at(b []byte, i int) byte {
	if i < len(b) {
		return b[i]
	}
	return 0
}
