package planner

import (
	"errors"
	"sort"
	"strings"

	"github.com/hashicorp/hcl/v2/hclsyntax"
	"github.com/zclconf/go-cty/cty"

	"github.com/syncline/syncline/config"
	"github.com/syncline/syncline/state"
)

// errUnknown reports a value that is not known yet: a variable without a
// value, or env() of an unset variable while validating.
var errUnknown = errors.New("the value is not known; plan and apply need every variable set (-var, -var-file or SYNCLINE_VAR_name)")

// renderValue renders a configuration value canonically. A value carrying
// the Sensitive mark anywhere inside it, or one the schema calls secret,
// renders as a fingerprint of the whole value.
func renderValue(v cty.Value, secret bool, key state.SecretKey) (string, error) {
	if v == cty.NilVal {
		return Null, nil
	}
	if !v.IsWhollyKnown() {
		return "", errUnknown
	}
	if secret || v.HasMarkDeep(config.Sensitive) {
		plain, _ := v.UnmarkDeep()
		if plain.Type() == cty.String && !plain.IsNull() {
			return renderSensitive(key, plain.AsString()), nil
		}
		return renderSensitive(key, renderPlain(plain)), nil
	}
	plain, _ := v.UnmarkDeep()
	return renderPlain(plain), nil
}

// renderPlain renders a known, unmarked value: strings quoted, numbers
// plain, bools, lists as [a, b], maps and objects as { k = v } by key.
func renderPlain(v cty.Value) string {
	t := v.Type()
	switch {
	case v.IsNull():
		return Null
	case t == cty.String:
		return Quote(v.AsString())
	case t == cty.Number:
		return v.AsBigFloat().Text('f', -1)
	case t == cty.Bool:
		return renderBool(v.True())
	case t.IsListType() || t.IsSetType() || t.IsTupleType():
		var items []string
		for it := v.ElementIterator(); it.Next(); {
			_, e := it.Element()
			items = append(items, renderPlain(e))
		}
		return renderList(items)
	case t.IsMapType() || t.IsObjectType():
		return renderMap(v)
	}
	return Quote(v.GoString())
}

func renderMap(v cty.Value) string {
	m := v.AsValueMap()
	if len(m) == 0 {
		return "{}"
	}
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	parts := make([]string, len(keys))
	for i, k := range keys {
		parts[i] = mapKey(k) + " = " + renderPlain(m[k])
	}
	return "{ " + strings.Join(parts, ", ") + " }"
}

func mapKey(k string) string {
	if hclsyntax.ValidIdentifier(k) {
		return k
	}
	return Quote(k)
}
