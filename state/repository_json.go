package state

import (
	"slices"
	"unicode/utf8"
)

// The attributes of users and shadows are written by hand instead of by
// encoding/json, which sorts every map's keys through reflect and was a
// fifth of the time of storing a shadow. The bytes are exactly those of
// json.Marshal (keys sorted, HTML characters, U+2028 and U+2029 escaped,
// invalid UTF-8 replaced by U+FFFD, a nil slice written as null), so a
// store keeps one spelling whichever version wrote a row;
// repository_json_test.go checks it against encoding/json.

// appendUserAttributes appends attrs as a JSON object.
func appendUserAttributes(b []byte, attrs map[string]string) []byte {
	b = append(b, '{')
	for i, k := range sortedKeys(attrs) {
		if i > 0 {
			b = append(b, ',')
		}
		b = appendJSONString(b, k)
		b = append(b, ':')
		b = appendJSONString(b, attrs[k])
	}
	return append(b, '}')
}

// appendShadowAttributes appends attrs as a JSON object of arrays.
func appendShadowAttributes(b []byte, attrs map[string][]string) []byte {
	b = append(b, '{')
	for i, k := range sortedKeys(attrs) {
		if i > 0 {
			b = append(b, ',')
		}
		b = appendJSONString(b, k)
		b = append(b, ':')
		vs := attrs[k]
		if vs == nil {
			b = append(b, "null"...)
			continue
		}
		b = append(b, '[')
		for j, v := range vs {
			if j > 0 {
				b = append(b, ',')
			}
			b = appendJSONString(b, v)
		}
		b = append(b, ']')
	}
	return append(b, '}')
}

// sortedKeys returns m's keys in byte order, as encoding/json sorts them.
func sortedKeys[V any](m map[string]V) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	return keys
}

const jsonHex = "0123456789abcdef"

// appendJSONString appends s as a JSON string, escaped as encoding/json
// escapes it (with HTML escaping, its default).
func appendJSONString(b []byte, s string) []byte {
	b = append(b, '"')
	start := 0
	for i := 0; i < len(s); {
		c := s[i]
		if c < utf8.RuneSelf {
			if jsonPlain(c) {
				i++
				continue
			}
			b = append(b, s[start:i]...)
			b = appendJSONEscape(b, c)
			i++
			start = i
			continue
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		switch {
		case r == utf8.RuneError && size == 1:
			b = append(b, s[start:i]...)
			b = append(b, `\ufffd`...)
		case r == '\u2028' || r == '\u2029':
			b = append(b, s[start:i]...)
			b = append(b, '\\', 'u', '2', '0', '2', jsonHex[r&0xF])
		default:
			i += size
			continue
		}
		i += size
		start = i
	}
	b = append(b, s[start:]...)
	return append(b, '"')
}

// jsonPlain reports whether the ASCII byte c is written as it is.
func jsonPlain(c byte) bool {
	return c >= 0x20 && c != '"' && c != '\\' && c != '<' && c != '>' && c != '&'
}

func appendJSONEscape(b []byte, c byte) []byte {
	switch c {
	case '\\', '"':
		return append(b, '\\', c)
	case '\b':
		return append(b, '\\', 'b')
	case '\f':
		return append(b, '\\', 'f')
	case '\n':
		return append(b, '\\', 'n')
	case '\r':
		return append(b, '\\', 'r')
	case '\t':
		return append(b, '\\', 't')
	}
	return append(b, '\\', 'u', '0', '0', jsonHex[c>>4], jsonHex[c&0xF])
}
