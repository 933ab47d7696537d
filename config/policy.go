package config

import (
	"fmt"

	"github.com/hashicorp/hcl/v2"
)

var thresholdsSchema = &hcl.BodySchema{Attributes: attrs("max_deletions", "max_disables", "max_creations", "max_membership_removals")}

var errorsSchema = &hcl.BodySchema{Attributes: attrs("action", "stop_after")}

// Error actions.
const (
	ErrorsContinue = "continue"
	ErrorsStop     = "stop"
)

const maxLimit = 1_000_000_000

// decodePolicyBlock decodes an activity's thresholds or errors block.
func decodePolicyBlock(d *decoder, a *Activity, b *hcl.Block) hcl.Diagnostics {
	switch b.Type {
	case "thresholds":
		if a.Thresholds != nil {
			return hcl.Diagnostics{duplicate("Duplicate thresholds block", "The thresholds block", a.Thresholds.DeclRange, b.DefRange)}
		}
		t := &Thresholds{DeclRange: b.DefRange}
		a.Thresholds = t
		content, diags := b.Body.Content(thresholdsSchema)
		limits := []struct {
			name string
			dst  *int
		}{{"max_deletions", &t.MaxDeletions}, {"max_disables", &t.MaxDisables}, {"max_creations", &t.MaxCreations}, {"max_membership_removals", &t.MaxMembershipRemovals}}
		for _, l := range limits {
			if at, ok := content.Attributes[l.name]; ok {
				diags = append(diags, d.integer(at, 0, maxLimit, l.dst)...)
			}
		}
		return diags
	case "errors":
		if a.Errors != nil {
			return hcl.Diagnostics{duplicate("Duplicate errors block", "The errors block", a.Errors.DeclRange, b.DefRange)}
		}
		e := &ErrorPolicy{Action: ErrorsContinue, DeclRange: b.DefRange}
		a.Errors = e
		content, diags := b.Body.Content(errorsSchema)
		if at, ok := content.Attributes["action"]; ok {
			diags = append(diags, d.enum(at, []string{ErrorsContinue, ErrorsStop}, &e.Action)...)
		}
		if at, ok := content.Attributes["stop_after"]; ok {
			diags = append(diags, d.integer(at, 0, maxLimit, &e.StopAfter)...)
			if e.Action == ErrorsStop && e.StopAfter > 0 {
				diags = append(diags, &hcl.Diagnostic{
					Severity: hcl.DiagError,
					Summary:  "stop_after with action \"stop\"",
					Detail:   fmt.Sprintf("action = %q already stops at the first error; stop_after applies to action = %q.", ErrorsStop, ErrorsContinue),
					Subject:  at.Range.Ptr(),
				})
			}
		}
		return diags
	}
	return nil
}
