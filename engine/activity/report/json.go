package report

import (
	"bytes"
	"encoding/json"
	"strconv"
	"time"

	"github.com/syncline/syncline/planner"
)

// jsonFormatVersion is the version of the JSON layout below; it changes
// only when a reader would have to change.
const jsonFormatVersion = 1

// jsonHeader is the JSON report's description; rows follow it.
type jsonHeader struct {
	FormatVersion int      `json:"format_version"`
	Task          string   `json:"task"`
	Activity      string   `json:"activity"`
	Source        string   `json:"source"`
	Object        string   `json:"object,omitempty"`
	Since         string   `json:"since,omitempty"`
	GeneratedAt   string   `json:"generated_at"`
	Columns       []string `json:"columns"`
}

// renderJSON writes one object: the description, the columns and
// "rows", a list of objects whose keys are the columns in order. Cells
// are strings; a count is a number (null when empty).
func renderJSON(buf *bytes.Buffer, h header, t *table) error {
	jh := jsonHeader{FormatVersion: jsonFormatVersion, Task: h.Task, Activity: h.Activity, Source: h.Source,
		Object: h.Object, GeneratedAt: h.Generated.Format(time.RFC3339), Columns: t.columns}
	if h.Since > 0 {
		jh.Since = planner.FormatDuration(h.Since)
	}
	head, err := json.MarshalIndent(jh, "", "  ")
	if err != nil {
		return err
	}
	buf.Write(head[:len(head)-2]) // without "\n}": the rows follow
	buf.WriteString(",\n  \"rows\": [")
	for i, row := range t.rows {
		if i > 0 {
			buf.WriteByte(',')
		}
		buf.WriteString("\n    {")
		for k, c := range t.columns {
			if k > 0 {
				buf.WriteString(", ")
			}
			writeJSONString(buf, c)
			buf.WriteString(": ")
			writeJSONCell(buf, lookup(row, c), t.numeric[c])
		}
		buf.WriteByte('}')
	}
	if len(t.rows) > 0 {
		buf.WriteString("\n  ")
	}
	buf.WriteString("]\n}\n")
	return nil
}

func writeJSONCell(buf *bytes.Buffer, cell string, numeric bool) {
	if numeric {
		if cell == "" {
			buf.WriteString("null")
			return
		}
		if _, err := strconv.ParseInt(cell, 10, 64); err == nil {
			buf.WriteString(cell)
			return
		}
	}
	writeJSONString(buf, cell)
}

// writeJSONString writes s as a JSON string, with <, > and & escaped as
// encoding/json does, so the file is safe to embed in HTML too.
func writeJSONString(buf *bytes.Buffer, s string) {
	b, _ := json.Marshal(s) // a string always marshals
	buf.Write(b)
}
