package config

import (
	"fmt"

	"github.com/hashicorp/hcl/v2"
)

// resolveActivity checks that an activity's resource exists and has the
// object type the activity names.
func (c *Config) resolveActivity(a *Activity) hcl.Diagnostics {
	if a.Resource == nil {
		return nil
	}
	r, ok := c.Resources[a.Resource.Name]
	if !ok {
		return hcl.Diagnostics{c.unresolved(a.Resource)}
	}
	if !a.needsObjectType() {
		return nil
	}
	if ot := r.ObjectType(a.Kind, a.Intent); ot != nil {
		return checkEntitlementActivity(ot, a)
	}
	var have []string
	for _, ot := range r.ObjectTypes {
		have = append(have, fmt.Sprintf("%s/%s", ot.Kind, ot.Intent))
	}
	detail := fmt.Sprintf("The resource %q has no object type %q with intent %q.", r.Name, a.Kind, a.Intent)
	if len(have) > 0 {
		detail += " It declares " + quoteList(have) + "; set kind and intent to one of them."
	} else {
		detail += fmt.Sprintf(" Add an object_type %q block to the resource.", a.Kind)
	}
	return hcl.Diagnostics{{
		Severity: hcl.DiagError,
		Summary:  "Unknown object type",
		Detail:   detail,
		Subject:  a.DeclRange.Ptr(),
	}}
}

func (a *Activity) needsObjectType() bool {
	switch a.Type {
	case ActivityImport, ActivityReconciliation, ActivityLiveSync, ActivityAsyncUpdate, ActivityReport:
		return true
	}
	return false
}
