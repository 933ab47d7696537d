package planner

import (
	"bytes"
	"encoding/json"
	"fmt"
	"time"

	"github.com/syncline/syncline/state"
)

// definitionJSON is a stored or desired definition in the plan's JSON,
// with snake_case names (state.Definition has no JSON tags of its own) and
// typed spec values (typedValue). Spec holds typed values when written and
// json.RawMessage when read.
type definitionJSON[V any] struct {
	Kind       string       `json:"kind"`
	Name       string       `json:"name"`
	Spec       map[string]V `json:"spec"`
	Hash       string       `json:"hash"`
	SourceFile string       `json:"source_file"`
	SourceLine int          `json:"source_line"`
	Revision   string       `json:"revision"`
	UpdatedAt  time.Time    `json:"updated_at,omitzero"`
}

func toDefinitionJSON(d *state.Definition) *definitionJSON[any] {
	if d == nil {
		return nil
	}
	spec := make(map[string]any, len(d.Spec))
	for path, rendered := range d.Spec {
		spec[path] = typedValue(d.Kind, path, rendered)
	}
	return &definitionJSON[any]{Kind: d.Kind, Name: d.Name, Spec: spec, Hash: d.Hash,
		SourceFile: d.SourceFile, SourceLine: d.SourceLine, Revision: d.Revision, UpdatedAt: d.UpdatedAt}
}

// definition reads a definition back, each spec value in its canonical
// rendering.
func (j *definitionJSON[V]) definition(side string) (*state.Definition, error) {
	if j == nil {
		return nil, nil
	}
	spec := make(map[string]string, len(j.Spec))
	for path, v := range j.Spec {
		raw, _ := any(v).(json.RawMessage)
		text, err := specValueText(raw)
		if err != nil {
			return nil, fmt.Errorf("%s spec %q: %w", side, path, err)
		}
		spec[path] = text
	}
	return &state.Definition{Kind: j.Kind, Name: j.Name, Spec: spec, Hash: j.Hash,
		SourceFile: j.SourceFile, SourceLine: j.SourceLine, Revision: j.Revision, UpdatedAt: j.UpdatedAt}, nil
}

// attributeJSON is an attribute change in the plan's JSON: before and
// after typed, null on the side where the path is absent.
type attributeJSON[V any] struct {
	Path          string `json:"path"`
	Action        Action `json:"action"`
	Before        V      `json:"before"`
	After         V      `json:"after"`
	Sensitive     bool   `json:"sensitive,omitempty"`
	ForcesReplace bool   `json:"forces_replace,omitempty"`
}

func toAttributesJSON(kind string, attrs []AttributeChange) []attributeJSON[any] {
	out := make([]attributeJSON[any], len(attrs))
	for i, a := range attrs {
		out[i] = attributeJSON[any]{Path: a.Path, Action: a.Action, Before: attributeTyped(kind, a.Path, a.Before),
			After: attributeTyped(kind, a.Path, a.After), Sensitive: a.Sensitive, ForcesReplace: a.ForcesReplace}
	}
	return out
}

// attributeTyped is one side of an attribute change: "" (absent) is null.
func attributeTyped(kind, path, shown string) any {
	if shown == "" {
		return nil
	}
	return typedValue(kind, path, shown)
}

func (j attributeJSON[V]) attribute() (AttributeChange, error) {
	a := AttributeChange{Path: j.Path, Action: j.Action, Sensitive: j.Sensitive, ForcesReplace: j.ForcesReplace}
	if j.Action != Create && j.Action != Update && j.Action != Delete {
		return a, fmt.Errorf("attribute %q: action %q is not create, update or delete", j.Path, j.Action)
	}
	var err error
	before, _ := any(j.Before).(json.RawMessage)
	if a.Before, err = attributeValueText(before, j.Action != Create); err != nil {
		return a, fmt.Errorf("attribute %q: before: %w", j.Path, err)
	}
	after, _ := any(j.After).(json.RawMessage)
	if a.After, err = attributeValueText(after, j.Action != Delete); err != nil {
		return a, fmt.Errorf("attribute %q: after: %w", j.Path, err)
	}
	return a, nil
}

// changeJSON is a change in the plan's JSON, fields in the documented
// order; V is any when written and json.RawMessage when read.
type changeJSON[V any] struct {
	Address         string             `json:"address"`
	PreviousAddress string             `json:"previous_address,omitempty"`
	Action          Action             `json:"action"`
	Kind            string             `json:"kind"`
	Name            string             `json:"name"`
	Attributes      []attributeJSON[V] `json:"attributes"`
	NextRuns        *NextRuns          `json:"next_runs,omitempty"`
	Notes           []string           `json:"notes,omitempty"`
	Source          string             `json:"source"`
	Before          *definitionJSON[V] `json:"before"`
	After           *definitionJSON[V] `json:"after"`
}

// MarshalJSON writes a change with typed attribute values and its before
// and after definitions. HTML characters are not escaped here; a caller
// that wants them escaped (json.Marshal) escapes them.
func (c Change) MarshalJSON() ([]byte, error) {
	j := changeJSON[any]{Address: c.Address, PreviousAddress: c.PreviousAddress, Action: c.Action, Kind: c.Kind, Name: c.Name,
		Attributes: toAttributesJSON(c.Kind, c.Attributes), NextRuns: c.NextRuns, Notes: c.Notes, Source: c.Source,
		Before: toDefinitionJSON(c.Before), After: toDefinitionJSON(c.After)}
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(j); err != nil {
		return nil, err
	}
	return bytes.TrimSuffix(buf.Bytes(), []byte("\n")), nil
}

// UnmarshalJSON reads what MarshalJSON wrote, each value back in its
// canonical rendering; a malformed value is an error naming the change,
// the attribute or spec path, and what is wrong.
func (c *Change) UnmarshalJSON(data []byte) error {
	var j changeJSON[json.RawMessage]
	if err := json.Unmarshal(data, &j); err != nil {
		return err
	}
	*c = Change{Address: j.Address, PreviousAddress: j.PreviousAddress, Action: j.Action, Kind: j.Kind, Name: j.Name,
		NextRuns: j.NextRuns, Notes: j.Notes, Source: j.Source}
	c.Attributes = make([]AttributeChange, len(j.Attributes))
	var err error
	for i, a := range j.Attributes {
		if c.Attributes[i], err = a.attribute(); err != nil {
			return fmt.Errorf("change %q: %w", j.Address, err)
		}
	}
	if c.Before, err = j.Before.definition("before"); err != nil {
		return fmt.Errorf("change %q: %w", j.Address, err)
	}
	if c.After, err = j.After.definition("after"); err != nil {
		return fmt.Errorf("change %q: %w", j.Address, err)
	}
	return nil
}
