package planner

import (
	"encoding/json"
	"io"
)

// RenderJSON writes the plan as indented JSON: the Plan struct with its
// format_version, keys in a stable order (struct fields as declared, map
// keys sorted), HTML characters unescaped. DecodeJSON reads it back.
func RenderJSON(w io.Writer, p *Plan) error {
	enc := json.NewEncoder(w)
	enc.SetEscapeHTML(false)
	enc.SetIndent("", "  ")
	return enc.Encode(p)
}
