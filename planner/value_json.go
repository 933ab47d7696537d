package planner

import (
	"encoding/json"
	"strings"

	"github.com/hashicorp/hcl/v2"
	"github.com/hashicorp/hcl/v2/hclsyntax"
	"github.com/zclconf/go-cty/cty"
)

// The plan's JSON (format 2) gives each spec value typed — a string,
// number, bool, array, object or null — where a spec holds its canonical
// rendering (docs/plan-format.md#typed-values). What has no constant value
// is an expressionJSON and a secret a sensitiveJSON. Every typed value
// renders back (canonicalText) to exactly the text it came from, so a plan
// read back from its JSON has byte-equal specs and hashes: typedValue
// checks that and gives the text as an expression when it would not.

// expressionJSON is a value the plan gives as source text: a kept
// expression that is not a constant, or a reference (task.a).
type expressionJSON struct {
	Expression string `json:"expression"`
}

// sensitiveJSON is a sensitive value. In a spec it carries the keyed
// fingerprint ("hmac:5535359ff17a3a92"); in an attribute change, where a
// sensitive value is "(sensitive value)", it carries none.
type sensitiveJSON struct {
	Sensitive   bool   `json:"sensitive"`
	Fingerprint string `json:"fingerprint,omitempty"`
}

// Keys that make a JSON object a marker rather than an object value. An
// object value with one of them is given as an expression instead.
const (
	expressionKey = "expression"
	sensitiveKey  = "sensitive"
)

// typedValue is the JSON form of rendered, a value at path in a definition
// of kind, or RedactedValue. A kept expression (keptExpressionPath) is its
// value when it is an HCL constant; anything else is read as a canonical
// rendering, references becoming expressions. What does not render back to
// rendered exactly is given as an expression with rendered as its source.
func typedValue(kind, path, rendered string) any {
	if rendered == RedactedValue {
		return sensitiveJSON{Sensitive: true}
	}
	if IsSensitive(rendered) {
		return sensitiveJSON{Sensitive: true, Fingerprint: fingerprintOf(rendered)}
	}
	read := parseCanonical
	if keptExpressionPath(kind, path) {
		read = constantValue
	}
	if v, ok := read(rendered); ok {
		if back, err := canonicalText(v); err == nil && back == rendered {
			return v
		}
	}
	return expressionJSON{Expression: rendered}
}

// fingerprintOf is the fingerprint inside a sensitive rendering:
// "(sensitive hmac:5535359ff17a3a92)" holds "hmac:5535359ff17a3a92".
func fingerprintOf(rendered string) string {
	inner := strings.TrimPrefix(rendered, "(sensitive ")
	return strings.TrimSuffix(inner, ")")
}

// constantValue reads a kept expression's source as HCL and returns its
// value as JSON when it is a constant: no variables, no function calls.
// Only a text that reads as a canonical rendering can be a constant that
// typedValue keeps, so anything else (user.name, lower(…)) is not parsed.
func constantValue(src string) (any, bool) {
	if _, ok := parseCanonical(src); !ok {
		return nil, false
	}
	expr, diags := hclsyntax.ParseExpression([]byte(src), "", hcl.InitialPos)
	if diags.HasErrors() || len(expr.Variables()) > 0 {
		return nil, false
	}
	v, diags := expr.Value(nil)
	if diags.HasErrors() || !v.IsWhollyKnown() || v.IsMarked() {
		return nil, false
	}
	return ctyJSON(v)
}

// ctyJSON converts a known, unmarked value to JSON: numbers in their
// canonical text, sets and tuples as arrays, maps and objects as objects.
// An object with a marker key (expression, sensitive) is refused.
func ctyJSON(v cty.Value) (any, bool) {
	t := v.Type()
	switch {
	case v.IsNull():
		return nil, true
	case t == cty.String:
		return v.AsString(), true
	case t == cty.Number:
		return json.Number(v.AsBigFloat().Text('f', -1)), true
	case t == cty.Bool:
		return v.True(), true
	case t.IsListType() || t.IsSetType() || t.IsTupleType():
		items := []any{}
		for it := v.ElementIterator(); it.Next(); {
			_, e := it.Element()
			item, ok := ctyJSON(e)
			if !ok {
				return nil, false
			}
			items = append(items, item)
		}
		return items, true
	case t.IsMapType() || t.IsObjectType():
		out := map[string]any{}
		for k, e := range v.AsValueMap() {
			item, ok := ctyJSON(e)
			if !ok || k == expressionKey || k == sensitiveKey {
				return nil, false
			}
			out[k] = item
		}
		return out, true
	}
	return nil, false
}
