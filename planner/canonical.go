package planner

import (
	"bytes"
	"encoding/json"
	"strconv"
	"strings"
	"time"
)

// Canonical renderings of spec values. Every value in a spec is one of these,
// so equal configurations always give byte-equal specs.
const (
	// Null is an optional attribute without a value.
	Null = "null"
	// SensitivePrefix starts the rendering of a sensitive value; the rest is
	// a fingerprint, never the value.
	SensitivePrefix = "(sensitive hmac:"
	// RedactedValue stands for a sensitive value in attribute changes and
	// every view.
	RedactedValue = "(sensitive value)"
	// UnknownSensitive is a secret compared without its value
	// (DesiredWithoutSecrets); it is never stored.
	UnknownSensitive = SensitivePrefix + "unknown)"
)

// Quote renders a string as a spec does: JSON-quoted, without HTML
// escaping. The views use it to label a definition: task "x".
func Quote(s string) string {
	if plainASCII(s) {
		return `"` + s + `"`
	}
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	_ = enc.Encode(s) // a string always encodes
	return strings.TrimSuffix(buf.String(), "\n")
}

// plainASCII reports whether s quotes as itself: printable ASCII without
// quote or backslash.
func plainASCII(s string) bool {
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c < 0x20 || c >= 0x7f || c == '"' || c == '\\' {
			return false
		}
	}
	return true
}

// Unquote reads a string rendering of a canonical spec (a JSON-quoted
// string); ok is false for anything else, such as null or a number.
func Unquote(s string) (string, bool) {
	if len(s) < 2 || s[0] != '"' {
		return "", false
	}
	var out string
	if err := json.Unmarshal([]byte(s), &out); err != nil {
		return "", false
	}
	return out, true
}

func renderInt(n int) string { return strconv.Itoa(n) }

func renderBool(b bool) string { return strconv.FormatBool(b) }

// renderStrings renders a list of strings as ["a", "b"].
func renderStrings(items []string) string {
	quoted := make([]string, len(items))
	for i, s := range items {
		quoted[i] = Quote(s)
	}
	return renderList(quoted)
}

// renderList joins already rendered elements as [a, b].
func renderList(rendered []string) string {
	return "[" + strings.Join(rendered, ", ") + "]"
}

// renderDuration renders a duration quoted in short form ("15m", "1h30m",
// "168h"), or null when it is zero (unset).
func renderDuration(d time.Duration) string {
	if d == 0 {
		return Null
	}
	return Quote(FormatDuration(d))
}

// FormatDuration writes d in the shortest Go form, dropping zero units:
// 1h0m0s is "1h", 90s is "1m30s", 7 days is "168h". config.ParseDuration
// reads it back.
func FormatDuration(d time.Duration) string {
	if d < time.Second {
		return d.String()
	}
	var b strings.Builder
	if h := d / time.Hour; h > 0 {
		b.WriteString(strconv.FormatInt(int64(h), 10) + "h")
		d -= h * time.Hour
	}
	if m := d / time.Minute; m > 0 {
		b.WriteString(strconv.FormatInt(int64(m), 10) + "m")
		d -= m * time.Minute
	}
	if d > 0 {
		b.WriteString(d.String()) // under a minute: "30s", "1.5s", "500ms"
	}
	return b.String()
}
