package state

import (
	"encoding/json"
	"unicode/utf8"
)

// The attributes columns hold what appendUserAttributes and
// appendShadowAttributes write: compact JSON objects of strings (users)
// and of arrays of strings or null (shadows). Reading every shadow of a
// type — a reconciliation, the identity impact — decodes one per row, and
// encoding/json's reflection was a third of the time, so the common case
// is read directly: strings without escapes, valid UTF-8 and no control
// characters. Anything else (an escape, another shape, a syntax error) is
// left to encoding/json, so the result is always what json.Unmarshal
// gives.

// decodeShadowAttributes decodes a shadow's attributes column.
func decodeShadowAttributes(b []byte) (map[string][]string, error) {
	if m, ok := fastShadowAttributes(b); ok {
		return m, nil
	}
	var m map[string][]string
	err := json.Unmarshal(b, &m)
	return m, err
}

// decodeUserAttributes decodes a user's attributes column.
func decodeUserAttributes(b []byte) (map[string]string, error) {
	if m, ok := fastUserAttributes(b); ok {
		return m, nil
	}
	var m map[string]string
	err := json.Unmarshal(b, &m)
	return m, err
}

func fastShadowAttributes(b []byte) (map[string][]string, bool) {
	d := fastJSON{b: b}
	m := map[string][]string{}
	ok := d.object(func() bool {
		k, ok := d.str()
		if !ok || !d.colon() {
			return false
		}
		if d.literal("null") {
			m[k] = nil
			return true
		}
		vs := []string{}
		ok = d.array(func() bool {
			v, ok := d.str()
			vs = append(vs, v)
			return ok
		})
		m[k] = vs
		return ok
	})
	return m, ok
}

func fastUserAttributes(b []byte) (map[string]string, bool) {
	d := fastJSON{b: b}
	m := map[string]string{}
	ok := d.object(func() bool {
		k, ok := d.str()
		if !ok || !d.colon() {
			return false
		}
		v, ok := d.str()
		m[k] = v
		return ok
	})
	return m, ok
}

// fastJSON reads the plain shapes above; every method reports false for
// anything else, and the caller then leaves the whole text to
// encoding/json.
type fastJSON struct {
	b []byte
	i int
}

func (d *fastJSON) space() {
	for d.i < len(d.b) && (d.b[d.i] == ' ' || d.b[d.i] == '\t' || d.b[d.i] == '\n' || d.b[d.i] == '\r') {
		d.i++
	}
}

func (d *fastJSON) byte(c byte) bool {
	d.space()
	if d.i < len(d.b) && d.b[d.i] == c {
		d.i++
		return true
	}
	return false
}

func (d *fastJSON) colon() bool { return d.byte(':') }

func (d *fastJSON) literal(s string) bool {
	d.space()
	if len(d.b)-d.i >= len(s) && string(d.b[d.i:d.i+len(s)]) == s {
		d.i += len(s)
		return true
	}
	return false
}

// str reads a string without escapes or control characters, in valid
// UTF-8.
func (d *fastJSON) str() (string, bool) {
	if !d.byte('"') {
		return "", false
	}
	start := d.i
	for d.i < len(d.b) {
		c := d.b[d.i]
		switch {
		case c == '"':
			s := d.b[start:d.i]
			d.i++
			if !utf8.Valid(s) {
				return "", false
			}
			return string(s), true
		case c == '\\' || c < 0x20:
			return "", false
		}
		d.i++
	}
	return "", false
}

// object reads {} or { member (, member)* } and nothing after it.
func (d *fastJSON) object(member func() bool) bool {
	if !d.byte('{') {
		return false
	}
	if !d.byte('}') {
		for {
			if !member() {
				return false
			}
			if d.byte('}') {
				break
			}
			if !d.byte(',') {
				return false
			}
		}
	}
	d.space()
	return d.i == len(d.b)
}

// array reads [] or [ element (, element)* ].
func (d *fastJSON) array(element func() bool) bool {
	if !d.byte('[') {
		return false
	}
	if d.byte(']') {
		return true
	}
	for {
		if !element() {
			return false
		}
		if d.byte(']') {
			return true
		}
		if !d.byte(',') {
			return false
		}
	}
}
