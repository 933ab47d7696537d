package config

import (
	"fmt"
	"strings"

	"github.com/hashicorp/hcl/v2"
	"github.com/zclconf/go-cty/cty"
)

// AttributeValue is a resource attribute's values as an expression sees
// them: no value is null, one a string, several a list of strings.
func AttributeValue(vs []string) cty.Value {
	switch len(vs) {
	case 0:
		return cty.NullVal(cty.String)
	case 1:
		return cty.StringVal(vs[0])
	}
	out := make([]cty.Value, len(vs))
	for i, v := range vs {
		out[i] = cty.StringVal(v)
	}
	return cty.ListVal(out)
}

// DiagnosticsError is the error of a failed evaluation of what (a mapping,
// a filter): each diagnostic's summary, detail and place.
func DiagnosticsError(what string, diags hcl.Diagnostics) error {
	var parts []string
	for _, d := range diags.Errs() {
		msg := d.Error()
		if hd, ok := d.(*hcl.Diagnostic); ok {
			msg = hd.Summary
			if hd.Detail != "" {
				msg += ": " + hd.Detail
			}
			if hd.Subject != nil {
				msg = fmt.Sprintf("%s (%s)", msg, hd.Subject)
			}
		}
		parts = append(parts, msg)
	}
	return fmt.Errorf("%s: %s", what, strings.Join(parts, "; "))
}
