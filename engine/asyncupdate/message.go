package asyncupdate

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"mime"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/syncline/syncline/engine/connector"
)

// DefaultMaxMessageSize is the largest message body accepted unless the
// activity says otherwise.
const DefaultMaxMessageSize = 1 << 20

// MessageError is a message that cannot be processed: bad JSON, no
// identifier, an unknown operation, too large, the wrong content type.
type MessageError struct {
	Reason string
}

func (e *MessageError) Error() string { return "message: " + e.Reason }

func badMessage(format string, args ...any) error {
	return &MessageError{Reason: fmt.Sprintf(format, args...)}
}

// The names a change description may use for its fields, in the order
// they are looked for: the documented one first, then common variants.
var (
	operationFields  = []string{"operation", "op", "type", "change_type", "changeType", "action"}
	identifierFields = []string{"identifier", "id", "uid", "key"}
	attributeFields  = []string{"attributes", "attrs", "object", "data"}
)

// operations maps the operation names accepted (lower-cased) to change
// types.
var operations = map[string]connector.ChangeType{
	"create": connector.ChangeCreate, "add": connector.ChangeCreate, "created": connector.ChangeCreate, "insert": connector.ChangeCreate,
	"modify": connector.ChangeUpdate, "update": connector.ChangeUpdate, "modified": connector.ChangeUpdate, "updated": connector.ChangeUpdate, "replace": connector.ChangeUpdate,
	"upsert": connector.ChangeUpsert,
	"delete": connector.ChangeDelete, "remove": connector.ChangeDelete, "deleted": connector.ChangeDelete,
}

// CheckEnvelope refuses a body larger than max bytes or with a content
// type that is not JSON ("" and text/plain pass: many publishers set none).
func CheckEnvelope(body []byte, contentType string, max int) error {
	if max <= 0 {
		max = DefaultMaxMessageSize
	}
	if len(body) > max {
		return badMessage("%d bytes, more than the %d the activity accepts (max_message_size)", len(body), max)
	}
	if contentType == "" {
		return nil
	}
	mt, _, err := mime.ParseMediaType(contentType)
	if err != nil {
		return badMessage("content type %q cannot be read", printable(contentType))
	}
	if mt == "application/json" || mt == "text/plain" || strings.HasSuffix(mt, "+json") {
		return nil
	}
	return badMessage("content type %q; a change message is application/json", printable(mt))
}

// ParseChange reads a change description:
//
//	{"operation": "modify", "identifier": "e1001", "attributes": {"mail": "a@example.com"}}
//
// An attribute's value is a string, a number or a boolean (written as
// text), a list of those (a multi-valued attribute), or null (no value).
// A create, an upsert or a modification needs attributes; a delete takes
// none.
func ParseChange(body []byte) (connector.Change, error) {
	var fields map[string]json.RawMessage
	if err := strictJSON(body, &fields); err != nil {
		return connector.Change{}, err
	}
	if fields == nil {
		return connector.Change{}, badMessage("not a JSON object")
	}
	opName, err := stringField(fields, operationFields, "operation")
	if err != nil {
		return connector.Change{}, err
	}
	op, ok := operations[strings.ToLower(opName)]
	if !ok {
		return connector.Change{}, badMessage("unknown operation %q; use create, modify, upsert or delete", printable(opName))
	}
	id, err := identifier(fields)
	if err != nil {
		return connector.Change{}, err
	}
	c := connector.Change{Type: op, ID: id, Object: connector.Object{ID: id}}
	raw, name := lookup(fields, attributeFields)
	if op == connector.ChangeDelete {
		return c, nil
	}
	if raw == nil || bytes.Equal(bytes.TrimSpace(raw), []byte("null")) {
		return connector.Change{}, badMessage("a %s needs its attributes (an \"attributes\" object)", opName)
	}
	attrs, err := attributes(raw, name)
	if err != nil {
		return connector.Change{}, err
	}
	c.Object.Attributes = attrs
	return c, nil
}

// ParseNotification reads a notification: {"identifier": "e1001"} (or a
// variant name), or the identifier alone as the body.
func ParseNotification(body []byte) (string, error) {
	trimmed := bytes.TrimSpace(body)
	if len(trimmed) > 0 && trimmed[0] == '{' {
		var fields map[string]json.RawMessage
		if err := strictJSON(trimmed, &fields); err != nil {
			return "", err
		}
		return identifier(fields)
	}
	if len(trimmed) > 0 && trimmed[0] == '"' {
		var s string
		if err := strictJSON(trimmed, &s); err != nil {
			return "", err
		}
		trimmed = []byte(s)
	}
	return checkIdentifier(string(trimmed))
}

func strictJSON(body []byte, v any) error {
	if !utf8.Valid(body) {
		return badMessage("not UTF-8 text")
	}
	dec := json.NewDecoder(bytes.NewReader(body))
	dec.UseNumber()
	if err := dec.Decode(v); err != nil {
		return badMessage("not JSON: %s", printable(err.Error()))
	}
	if dec.More() {
		return badMessage("more than one JSON value")
	}
	return nil
}

// lookup returns the first of names that fields has, and its name.
func lookup(fields map[string]json.RawMessage, names []string) (json.RawMessage, string) {
	for _, n := range names {
		if v, ok := fields[n]; ok {
			return v, n
		}
	}
	return nil, ""
}

func stringField(fields map[string]json.RawMessage, names []string, what string) (string, error) {
	raw, name := lookup(fields, names)
	if raw == nil {
		return "", badMessage("no %s (an %q field)", what, names[0])
	}
	var s string
	if err := json.Unmarshal(raw, &s); err != nil {
		return "", badMessage("%q is not a string", name)
	}
	return s, nil
}

func identifier(fields map[string]json.RawMessage) (string, error) {
	raw, name := lookup(fields, identifierFields)
	if raw == nil {
		return "", badMessage("no identifier (an \"identifier\" field)")
	}
	id, err := scalar(raw)
	if err != nil || id == nil {
		return "", badMessage("%q is not a string or a number", name)
	}
	return checkIdentifier(*id)
}

func checkIdentifier(id string) (string, error) {
	switch {
	case strings.TrimSpace(id) == "":
		return "", badMessage("an empty identifier")
	case len(id) > 1024:
		return "", badMessage("an identifier of %d bytes; at most 1024", len(id))
	case strings.ContainsAny(id, "\x00\r\n"):
		return "", badMessage("an identifier with a control character")
	}
	return id, nil
}

// attributes reads the attributes object.
func attributes(raw json.RawMessage, name string) (connector.Attributes, error) {
	var fields map[string]json.RawMessage
	if err := json.Unmarshal(raw, &fields); err != nil || fields == nil {
		return nil, badMessage("%q is not a JSON object", name)
	}
	out := make(connector.Attributes, len(fields))
	for attr, v := range fields {
		if attr == "" {
			return nil, badMessage("an attribute without a name")
		}
		if s, err := scalar(v); err == nil {
			if s != nil {
				out[attr] = []string{*s}
			} else {
				out[attr] = nil
			}
			continue
		}
		var list []json.RawMessage
		if err := json.Unmarshal(v, &list); err != nil {
			return nil, badMessage("attribute %q is not a string, a number, a boolean, a list of those or null", printable(attr))
		}
		vals := make([]string, 0, len(list))
		for _, item := range list {
			s, err := scalar(item)
			if err != nil || s == nil {
				return nil, badMessage("attribute %q holds a value that is not a string, a number or a boolean", printable(attr))
			}
			vals = append(vals, *s)
		}
		out[attr] = vals
	}
	return out, nil
}

// scalar reads a JSON string, number or boolean as text; null is nil.
// raw is one JSON value (as json.Unmarshal split it), looked at by its
// first byte: a decoder per value was a third of reading a message.
func scalar(raw json.RawMessage) (*string, error) {
	raw = bytes.TrimSpace(raw)
	if len(raw) == 0 {
		return nil, errors.New("no value")
	}
	var s string
	switch c := raw[0]; {
	case c == 'n' && string(raw) == "null":
		return nil, nil
	case c == 't' && string(raw) == "true", c == 'f' && string(raw) == "false":
		s = string(raw)
	case c == '"':
		if err := json.Unmarshal(raw, &s); err != nil {
			return nil, err
		}
	case c == '-' || (c >= '0' && c <= '9'):
		f, err := strconv.ParseFloat(string(raw), 64)
		if err != nil || math.IsInf(f, 0) || !json.Valid(raw) {
			return nil, errors.New("a number out of range")
		}
		s = string(raw)
	default:
		return nil, errors.New("not a scalar")
	}
	return &s, nil
}

// printable shortens s and quotes nothing: for error messages.
func printable(s string) string {
	s = strings.Map(func(r rune) rune {
		if r < 0x20 || r == 0x7f {
			return '?'
		}
		return r
	}, s)
	if r := []rune(s); len(r) > 100 {
		return string(r[:100]) + "…"
	}
	return s
}
