package config

import (
	"fmt"

	"github.com/hashicorp/hcl/v2"
)

// MaxBuckets bounds an activity's buckets.
const MaxBuckets = 1024

// Bucketed reports whether the activity is split into buckets.
func (a *Activity) Bucketed() bool { return a.Buckets > 1 }

// checkBuckets refuses the settings a bucketed activity cannot honour
// exactly: max_items (a limit across buckets on several nodes would need
// a shared count taken before each object), and the thresholds and
// errors' stop_after, which count one pass's operations and errors — a
// bucket would count only its own, and N buckets would allow N times the
// limit.
func (a *Activity) checkBuckets(attrs hcl.Attributes) hcl.Diagnostics {
	at, ok := attrs["buckets"]
	if !ok || a.Buckets <= 1 {
		return nil
	}
	refuse := func(what, why string, subject hcl.Range) *hcl.Diagnostic {
		return &hcl.Diagnostic{
			Severity: hcl.DiagError,
			Summary:  "Buckets with " + what,
			Detail: fmt.Sprintf("An activity split into buckets (buckets = %d) cannot have %s: %s. Remove buckets, or %s.",
				a.Buckets, what, why, "remove "+what),
			Subject: subject.Ptr(),
			Context: at.Range.Ptr(),
		}
	}
	var diags hcl.Diagnostics
	if m, ok := attrs["max_items"]; ok {
		diags = append(diags, refuse("max_items", "the limit would have to be counted across every bucket and node before each object", m.Range))
	}
	if a.Thresholds != nil {
		diags = append(diags, refuse("thresholds", "each bucket counts only its own operations, so the buckets together could go past the limit", a.Thresholds.DeclRange))
	}
	if a.Errors != nil && a.Errors.StopAfter > 0 {
		diags = append(diags, refuse("errors { stop_after }", "each bucket counts only its own errors, so the buckets together could go past the limit", a.Errors.DeclRange))
	}
	return diags
}
