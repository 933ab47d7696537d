package planner

import (
	"encoding/json"
	"fmt"
)

// DecodeJSON reads a plan written by RenderJSON, as apply does with a saved
// plan file. A plan of another format version is refused.
func DecodeJSON(data []byte) (*Plan, error) {
	var head struct {
		FormatVersion string `json:"format_version"`
	}
	if err := json.Unmarshal(data, &head); err != nil {
		return nil, fmt.Errorf("not a Syncline plan: %w", err)
	}
	if head.FormatVersion != FormatVersion {
		return nil, fmt.Errorf("plan format version %q is not supported (this version reads %q); make a new plan", head.FormatVersion, FormatVersion)
	}
	var p Plan
	if err := json.Unmarshal(data, &p); err != nil {
		return nil, fmt.Errorf("reading the plan: %w", err)
	}
	return &p, nil
}
