package planner

import (
	"encoding/json"
	"fmt"
)

// DecodeJSON reads a plan written by RenderJSON, as apply does with a saved
// plan file. A plan of another format version is refused, and so is a
// malformed typed value: every spec and attribute value must read back to
// a canonical rendering.
func DecodeJSON(data []byte) (*Plan, error) {
	var head struct {
		FormatVersion string `json:"format_version"`
	}
	if err := json.Unmarshal(data, &head); err != nil {
		return nil, fmt.Errorf("not a Syncline plan: %w", err)
	}
	if head.FormatVersion != FormatVersion {
		return nil, fmt.Errorf("plan format version %q is not supported (this version reads %q%s); make a new plan", head.FormatVersion, FormatVersion, olderFormat(head.FormatVersion))
	}
	var p Plan
	if err := json.Unmarshal(data, &p); err != nil {
		return nil, fmt.Errorf("reading the plan: %w", err)
	}
	return &p, nil
}

// olderFormat explains a format version this one replaced.
func olderFormat(v string) string {
	if v == "1" {
		return `, which gives values typed; format "1" came from an older syncline`
	}
	return ""
}
