package planner

import (
	"encoding/json"
	"time"

	"github.com/syncline/syncline/state"
)

// definitionJSON is a stored or desired definition in the plan's JSON,
// with snake_case names (state.Definition has no JSON tags of its own).
type definitionJSON struct {
	Kind       string            `json:"kind"`
	Name       string            `json:"name"`
	Spec       map[string]string `json:"spec"`
	Hash       string            `json:"hash"`
	SourceFile string            `json:"source_file"`
	SourceLine int               `json:"source_line"`
	Revision   string            `json:"revision"`
	UpdatedAt  time.Time         `json:"updated_at,omitzero"`
}

func toDefinitionJSON(d *state.Definition) *definitionJSON {
	if d == nil {
		return nil
	}
	j := definitionJSON(*d)
	return &j
}

func (j *definitionJSON) definition() *state.Definition {
	if j == nil {
		return nil
	}
	d := state.Definition(*j)
	return &d
}

// changeFields is Change without its JSON methods.
type changeFields Change

type changeJSON struct {
	changeFields
	Before *definitionJSON `json:"before"`
	After  *definitionJSON `json:"after"`
}

// MarshalJSON writes a change with its before and after definitions.
func (c Change) MarshalJSON() ([]byte, error) {
	return json.Marshal(changeJSON{changeFields(c), toDefinitionJSON(c.Before), toDefinitionJSON(c.After)})
}

// UnmarshalJSON reads what MarshalJSON wrote.
func (c *Change) UnmarshalJSON(data []byte) error {
	var j changeJSON
	if err := json.Unmarshal(data, &j); err != nil {
		return err
	}
	*c = Change(j.changeFields)
	c.Before, c.After = j.Before.definition(), j.After.definition()
	return nil
}
