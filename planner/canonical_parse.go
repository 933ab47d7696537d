package planner

import (
	"encoding/json"
	"strings"

	"github.com/hashicorp/hcl/v2/hclsyntax"

	"github.com/syncline/syncline/config"
)

// maxCanonicalDepth bounds how deeply parseCanonical nests lists and maps.
const maxCanonicalDepth = 64

// parseCanonical reads a canonical rendering of a value (see canonical.go
// and renderPlain) as JSON: a JSON-quoted string, a number, true, false,
// null, a list [a, b], a map { k = v } or a reference kind.name, which
// becomes an expressionJSON. ok is false for anything else. It accepts a
// little more than the renderers write; typedValue keeps a result only
// when it renders back to the same text.
func parseCanonical(s string) (v any, ok bool) {
	p := &canonicalParser{s: s}
	v, ok = p.value(0)
	return v, ok && p.i == len(s)
}

type canonicalParser struct {
	s string
	i int
}

func (p *canonicalParser) value(depth int) (any, bool) {
	if depth > maxCanonicalDepth || p.i >= len(p.s) {
		return nil, false
	}
	switch c := p.s[p.i]; {
	case c == '"':
		return p.str()
	case c == '[':
		return p.list(depth)
	case c == '{':
		return p.object(depth)
	case c == '-' || isDigit(c):
		return p.number()
	case p.skip("null"):
		return nil, true
	case p.skip("true"):
		return true, true
	case p.skip("false"):
		return false, true
	}
	return p.reference()
}

// skip consumes word when the text continues with it.
func (p *canonicalParser) skip(word string) bool {
	if !strings.HasPrefix(p.s[p.i:], word) {
		return false
	}
	p.i += len(word)
	return true
}

// str reads a JSON-quoted string.
func (p *canonicalParser) str() (any, bool) {
	end := p.i + 1
	for end < len(p.s) && p.s[end] != '"' {
		if p.s[end] == '\\' {
			end++
		}
		end++
	}
	if end >= len(p.s) {
		return nil, false
	}
	var out string
	if err := json.Unmarshal([]byte(p.s[p.i:end+1]), &out); err != nil {
		return nil, false
	}
	p.i = end + 1
	return out, true
}

// number reads -?digits(.digits)?; canonicalText checks its form.
func (p *canonicalParser) number() (any, bool) {
	start := p.i
	p.skip("-")
	for p.i < len(p.s) && (isDigit(p.s[p.i]) || p.s[p.i] == '.') {
		p.i++
	}
	return json.Number(p.s[start:p.i]), p.i > start
}

func (p *canonicalParser) list(depth int) (any, bool) {
	p.i++ // [
	items := []any{}
	if p.skip("]") {
		return items, true
	}
	for {
		v, ok := p.value(depth + 1)
		if !ok {
			return nil, false
		}
		items = append(items, v)
		if p.skip("]") {
			return items, true
		}
		if !p.skip(", ") {
			return nil, false
		}
	}
}

// object reads {} or { k = v, … }, keys identifiers or quoted strings.
func (p *canonicalParser) object(depth int) (any, bool) {
	out := map[string]any{}
	if p.skip("{}") {
		return out, true
	}
	p.i++ // {
	if !p.skip(" ") {
		return nil, false
	}
	for {
		k, ok := p.key()
		if !ok || !p.skip(" = ") {
			return nil, false
		}
		v, ok := p.value(depth + 1)
		if !ok || k == expressionKey || k == sensitiveKey {
			return nil, false
		}
		out[k] = v
		if p.skip(" }") {
			return out, true
		}
		if !p.skip(", ") {
			return nil, false
		}
	}
}

func (p *canonicalParser) key() (string, bool) {
	if p.i < len(p.s) && p.s[p.i] == '"' {
		v, ok := p.str()
		s, _ := v.(string)
		return s, ok
	}
	k := p.identifier()
	return k, k != ""
}

// identifier reads an HCL identifier (letters of any script, digits, '_'
// and '-'), or "" when the text does not continue with one.
func (p *canonicalParser) identifier() string {
	start := p.i
	for p.i < len(p.s) && !strings.ContainsRune(" ,.=[]{}()\"", rune(p.s[p.i])) {
		p.i++
	}
	if id := p.s[start:p.i]; asciiIdentifier(id) || hclsyntax.ValidIdentifier(id) {
		return id
	}
	p.i = start
	return ""
}

// reference reads resource.NAME, schedule.NAME or task.NAME.
func (p *canonicalParser) reference() (any, bool) {
	kind := p.identifier()
	if kind != config.KindResource && kind != config.KindSchedule && kind != config.KindTask || !p.skip(".") {
		return nil, false
	}
	name := p.identifier()
	if name == "" {
		return nil, false
	}
	return expressionJSON{Expression: kind + "." + name}, true
}

// asciiIdentifier is the common case of an HCL identifier, checked without
// hclsyntax: ASCII letters, digits, '_' and '-', starting with a letter or
// '_'.
func asciiIdentifier(s string) bool {
	for i := 0; i < len(s); i++ {
		c := s[i]
		letter := c == '_' || 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z'
		if !letter && (i == 0 || c != '-' && !isDigit(c)) {
			return false
		}
	}
	return s != ""
}
