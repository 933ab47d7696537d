package planner

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"regexp"
	"slices"
	"strings"
)

// canonicalNumber is how renderPlain writes a number: decimal, no
// exponent, no trailing zeros.
var canonicalNumber = regexp.MustCompile(`^-?(0|[1-9][0-9]*)(\.[0-9]*[1-9])?$`)

// validFingerprint is what a sensitive value's fingerprint may be: keyed
// (hmac:), unkeyed from a store older than the secret key (sha256:), or a
// secret compared without its value (hmac:unknown).
var validFingerprint = regexp.MustCompile(`^(hmac:([0-9a-f]{16}|unknown)|sha256:[0-9a-f]{1,64})$`)

// canonicalText renders a typed value (typedValue, readTypedValue) as the
// spec holds it: the inverse of typedValue. A sensitiveJSON without a
// fingerprint is RedactedValue; a sensitive value inside an array or
// object is an error, as nothing renders one there.
func canonicalText(v any) (string, error) {
	switch v := v.(type) {
	case sensitiveJSON:
		if v.Fingerprint == "" {
			return RedactedValue, nil
		}
		return "(sensitive " + v.Fingerprint + ")", nil
	default:
		return plainText(v)
	}
}

func plainText(v any) (string, error) {
	switch v := v.(type) {
	case nil:
		return Null, nil
	case string:
		return Quote(v), nil
	case bool:
		return renderBool(v), nil
	case json.Number:
		if !canonicalNumber.MatchString(string(v)) {
			return "", fmt.Errorf("the number %.40s is not written as Syncline writes numbers (decimal, no exponent, no trailing zeros)", v)
		}
		return string(v), nil
	case expressionJSON:
		return v.Expression, nil
	case []any:
		items := make([]string, len(v))
		for i, e := range v {
			text, err := plainText(e)
			if err != nil {
				return "", err
			}
			items[i] = text
		}
		return renderList(items), nil
	case map[string]any:
		return objectText(v)
	case sensitiveJSON:
		return "", errors.New("a sensitive value is always a whole value, never inside an array or object")
	}
	return "", fmt.Errorf("a value of Go type %T has no canonical form", v) // unreachable from JSON
}

func objectText(m map[string]any) (string, error) {
	if len(m) == 0 {
		return "{}", nil
	}
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	parts := make([]string, len(keys))
	for i, k := range keys {
		text, err := plainText(m[k])
		if err != nil {
			return "", err
		}
		parts[i] = mapKey(k) + " = " + text
	}
	return "{ " + strings.Join(parts, ", ") + " }", nil
}

// readTypedValue reads one typed value from a plan's JSON: numbers kept as
// written, {"expression": …} and {"sensitive": …} objects checked and
// turned into expressionJSON and sensitiveJSON. Anything malformed is an
// error that says what is wrong.
func readTypedValue(raw json.RawMessage) (any, error) {
	dec := json.NewDecoder(bytes.NewReader(raw))
	dec.UseNumber()
	var v any
	if err := dec.Decode(&v); err != nil {
		return nil, fmt.Errorf("not a JSON value: %w", err)
	}
	return typedFromJSON(v)
}

func typedFromJSON(v any) (any, error) {
	switch v := v.(type) {
	case []any:
		for i, e := range v {
			typed, err := typedFromJSON(e)
			if err != nil {
				return nil, err
			}
			v[i] = typed
		}
		return v, nil
	case map[string]any:
		return objectFromJSON(v)
	}
	return v, nil // nil, string, bool, json.Number
}

func objectFromJSON(m map[string]any) (any, error) {
	if _, ok := m[expressionKey]; ok {
		return expressionFromJSON(m)
	}
	if _, ok := m[sensitiveKey]; ok {
		return sensitiveFromJSON(m)
	}
	for k, e := range m {
		typed, err := typedFromJSON(e)
		if err != nil {
			return nil, err
		}
		m[k] = typed
	}
	return m, nil
}

// expressionFromJSON checks {"expression": "SOURCE"}.
func expressionFromJSON(m map[string]any) (any, error) {
	src, ok := m[expressionKey].(string)
	switch {
	case len(m) != 1:
		return nil, errors.New(`an expression is {"expression": "SOURCE"} with no other keys`)
	case !ok:
		return nil, errors.New(`an expression's source must be a string`)
	case IsSensitive(src) || src == RedactedValue:
		return nil, errors.New(`an expression's source cannot stand for a sensitive value; use {"sensitive": true, …}`)
	}
	return expressionJSON{Expression: src}, nil
}

// sensitiveFromJSON checks {"sensitive": true} and {"sensitive": true,
// "fingerprint": "hmac:…"}.
func sensitiveFromJSON(m map[string]any) (any, error) {
	if b, ok := m[sensitiveKey].(bool); !ok || !b {
		return nil, errors.New(`a sensitive value is {"sensitive": true} with an optional "fingerprint"; "sensitive" must be true`)
	}
	out := sensitiveJSON{Sensitive: true}
	for k, e := range m {
		switch k {
		case sensitiveKey:
		case "fingerprint":
			fp, ok := e.(string)
			if !ok || !validFingerprint.MatchString(fp) {
				return nil, fmt.Errorf("the fingerprint %.40q is not hmac: and 16 hex digits, hmac:unknown, or sha256: and hex digits", fmt.Sprint(e))
			}
			out.Fingerprint = fp
		default:
			return nil, fmt.Errorf(`a sensitive value has only "sensitive" and "fingerprint", not %q`, k)
		}
	}
	return out, nil
}

// specValueText reads one value of a definition's spec: a sensitive value
// there must carry its fingerprint.
func specValueText(raw json.RawMessage) (string, error) {
	v, err := readTypedValue(raw)
	if err != nil {
		return "", err
	}
	if s, ok := v.(sensitiveJSON); ok && s.Fingerprint == "" {
		return "", errors.New(`a sensitive value in a spec needs its "fingerprint"`)
	}
	return canonicalText(v)
}

// attributeValueText reads the before or after of an attribute change,
// where a sensitive value is "(sensitive value)" and never a fingerprint.
// present is false for the side an attribute's action says is absent
// (before of a create, after of a delete), which must be null.
func attributeValueText(raw json.RawMessage, present bool) (string, error) {
	if !present {
		if len(raw) != 0 && string(raw) != "null" {
			return "", errors.New("not null, but the attribute's action says the path is absent on this side")
		}
		return "", nil
	}
	if len(raw) == 0 {
		return "", errors.New("missing")
	}
	v, err := readTypedValue(raw)
	if err != nil {
		return "", err
	}
	if s, ok := v.(sensitiveJSON); ok && s.Fingerprint != "" {
		return "", errors.New("an attribute change shows a sensitive value as {\"sensitive\": true}, without a fingerprint")
	}
	return canonicalText(v)
}
