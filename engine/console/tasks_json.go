package console

import (
	"strconv"
	"time"
	"unicode/utf8"
)

// rawJSON is an answer already encoded; writeJSON sends it as it is.
type rawJSON []byte

// appendTasksPage appends p as encoding/json writes it, without
// reflection: GET /api/v1/tasks?limit=all of 10,000 tasks spends a
// quarter of its time encoding otherwise. TestTasksJSONAsEncodingJSON
// holds it to encoding/json's bytes.
func appendTasksPage(b []byte, p *TasksPage) []byte {
	if p.Tasks == nil {
		b = append(b, `{"tasks":null`...)
	} else {
		b = append(b, `{"tasks":[`...)
		for i := range p.Tasks {
			if i > 0 {
				b = append(b, ',')
			}
			b = appendTask(b, &p.Tasks[i])
		}
		b = append(b, ']')
	}
	b = append(b, `,"offset":`...)
	b = strconv.AppendInt(b, int64(p.Offset), 10)
	b = append(b, `,"limit":`...)
	b = strconv.AppendInt(b, int64(p.Limit), 10)
	b = append(b, `,"total":`...)
	b = strconv.AppendInt(b, int64(p.Total), 10)
	return append(b, '}')
}

func appendTask(b []byte, t *TaskSummary) []byte {
	b = append(b, `{"name":`...)
	b = appendJSONString(b, t.Name)
	if t.Description != "" {
		b = append(b, `,"description":`...)
		b = appendJSONString(b, t.Description)
	}
	if t.Owner != "" {
		b = append(b, `,"owner":`...)
		b = appendJSONString(b, t.Owner)
	}
	b = append(b, `,"types":`...)
	if t.Types == nil {
		b = append(b, "null"...)
	} else {
		b = append(b, '[')
		for i, s := range t.Types {
			if i > 0 {
				b = append(b, ',')
			}
			b = appendJSONString(b, s)
		}
		b = append(b, ']')
	}
	b = append(b, `,"status":`...)
	b = appendJSONString(b, t.Status)
	b = append(b, `,"schedule":`...)
	b = appendJSONString(b, t.Schedule)
	if t.NextRun != nil {
		b = append(b, `,"next_run":`...)
		b = appendJSONTime(b, *t.NextRun)
	}
	if r := t.LastRun; r != nil {
		b = append(b, `,"last_run":{"id":`...)
		b = strconv.AppendInt(b, r.ID, 10)
		for _, f := range [...]struct{ key, v string }{{"task", r.Task}, {"state", r.State}, {"trigger", r.Trigger}} {
			b = append(b, `,"`...)
			b = append(b, f.key...)
			b = append(b, `":`...)
			b = appendJSONString(b, f.v)
		}
		if r.TriggeredBy != "" {
			b = append(b, `,"triggered_by":`...)
			b = appendJSONString(b, r.TriggeredBy)
		}
		b = append(b, `,"mode":`...)
		b = appendJSONString(b, r.Mode)
		if r.Revision != "" {
			b = append(b, `,"revision":`...)
			b = appendJSONString(b, r.Revision)
		}
		b = append(b, `,"created_at":`...)
		b = appendJSONTime(b, r.CreatedAt)
		if !r.StartedAt.IsZero() {
			b = append(b, `,"started_at":`...)
			b = appendJSONTime(b, r.StartedAt)
		}
		if !r.FinishedAt.IsZero() {
			b = append(b, `,"finished_at":`...)
			b = appendJSONTime(b, r.FinishedAt)
		}
		if r.Error != "" {
			b = append(b, `,"error":`...)
			b = appendJSONString(b, r.Error)
		}
		b = append(b, '}')
	}
	if s := t.Suspension; s != nil {
		b = append(b, `,"suspension":{`...)
		comma := false
		if s.By != "" {
			b = append(b, `"by":`...)
			b = appendJSONString(b, s.By)
			comma = true
		}
		if s.Reason != "" {
			if comma {
				b = append(b, ',')
			}
			b = append(b, `"reason":`...)
			b = appendJSONString(b, s.Reason)
			comma = true
		}
		if comma {
			b = append(b, ',')
		}
		b = append(b, `"since":`...)
		b = appendJSONTime(b, s.Since)
		b = append(b, '}')
	}
	return append(b, '}')
}

// appendJSONTime is time.Time's MarshalJSON.
func appendJSONTime(b []byte, t time.Time) []byte {
	b = append(b, '"')
	b = t.AppendFormat(b, time.RFC3339Nano)
	return append(b, '"')
}

const hexDigits = "0123456789abcdef"

// appendJSONString appends s quoted as encoding/json does by default:
// HTML-safe (<, > and & as \u003c, \u003e, \u0026), control characters
// escaped, invalid UTF-8 as U+FFFD, U+2028 and U+2029 escaped.
func appendJSONString(b []byte, s string) []byte {
	b = append(b, '"')
	start := 0
	for i := 0; i < len(s); {
		if c := s[i]; c < utf8.RuneSelf {
			if c >= 0x20 && c != '"' && c != '\\' && c != '<' && c != '>' && c != '&' {
				i++
				continue
			}
			b = append(b, s[start:i]...)
			switch c {
			case '\\', '"':
				b = append(b, '\\', c)
			case '\b':
				b = append(b, '\\', 'b')
			case '\f':
				b = append(b, '\\', 'f')
			case '\n':
				b = append(b, '\\', 'n')
			case '\r':
				b = append(b, '\\', 'r')
			case '\t':
				b = append(b, '\\', 't')
			default:
				b = append(b, '\\', 'u', '0', '0', hexDigits[c>>4], hexDigits[c&0xF])
			}
			i++
			start = i
			continue
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		if r == utf8.RuneError && size == 1 {
			b = append(b, s[start:i]...)
			b = append(b, `\ufffd`...)
			i += size
			start = i
			continue
		}
		if r == '\u2028' || r == '\u2029' {
			b = append(b, s[start:i]...)
			b = append(b, '\\', 'u', '2', '0', '2', hexDigits[r&0xF])
			i += size
			start = i
			continue
		}
		i += size
	}
	b = append(b, s[start:]...)
	return append(b, '"')
}
