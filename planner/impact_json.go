package planner

import (
	"encoding/json"
	"fmt"
)

// impactAttributeJSON is ImpactAttribute's encoding: before and after
// typed as null (no value), a string (one) or an array of strings
// (several); a sensitive attribute's as {"sensitive": true}.
type impactAttributeJSON struct {
	Name      string          `json:"name"`
	Before    json.RawMessage `json:"before"`
	After     json.RawMessage `json:"after"`
	Sensitive bool            `json:"sensitive,omitempty"`
}

var impactSensitiveJSON = json.RawMessage(`{"sensitive":true}`)

// MarshalJSON writes the attribute with typed values.
func (a ImpactAttribute) MarshalJSON() ([]byte, error) {
	out := impactAttributeJSON{Name: a.Name, Sensitive: a.Sensitive}
	if a.Sensitive {
		out.Before, out.After = impactSensitiveJSON, impactSensitiveJSON
		return json.Marshal(out)
	}
	var err error
	if out.Before, err = impactValues(a.Before); err != nil {
		return nil, err
	}
	if out.After, err = impactValues(a.After); err != nil {
		return nil, err
	}
	return json.Marshal(out)
}

func impactValues(vs []string) (json.RawMessage, error) {
	switch len(vs) {
	case 0:
		return json.RawMessage("null"), nil
	case 1:
		return json.Marshal(vs[0])
	}
	return json.Marshal(vs)
}

// UnmarshalJSON reads what MarshalJSON wrote.
func (a *ImpactAttribute) UnmarshalJSON(b []byte) error {
	var in impactAttributeJSON
	if err := json.Unmarshal(b, &in); err != nil {
		return err
	}
	*a = ImpactAttribute{Name: in.Name, Sensitive: in.Sensitive}
	if in.Sensitive {
		return nil
	}
	var err error
	if a.Before, err = readImpactValues(in.Before); err != nil {
		return fmt.Errorf("impact attribute %s: before: %w", in.Name, err)
	}
	if a.After, err = readImpactValues(in.After); err != nil {
		return fmt.Errorf("impact attribute %s: after: %w", in.Name, err)
	}
	return nil
}

func readImpactValues(raw json.RawMessage) ([]string, error) {
	if len(raw) == 0 || string(raw) == "null" {
		return nil, nil
	}
	var s string
	if err := json.Unmarshal(raw, &s); err == nil {
		return []string{s}, nil
	}
	var vs []string
	if err := json.Unmarshal(raw, &vs); err != nil {
		return nil, fmt.Errorf("a value is null, a string or an array of strings")
	}
	return vs, nil
}
