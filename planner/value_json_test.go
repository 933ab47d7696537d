package planner

import (
	"bytes"
	"encoding/json"
	"reflect"
	"strings"
	"testing"
	"unicode/utf8"
)

// typedJSON is typedValue(kind, path, rendered) encoded as the plan's
// JSON encodes it.
func typedJSON(t testing.TB, kind, path, rendered string) string {
	t.Helper()
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(typedValue(kind, path, rendered)); err != nil {
		t.Fatal(err)
	}
	return strings.TrimSuffix(buf.String(), "\n")
}

// TestTypedValue is the mapping docs/plan-format.md documents, from a
// spec's canonical rendering to the JSON value a policy reads.
func TestTypedValue(t *testing.T) {
	t.Parallel()
	const mapping = "object_type.account/default.outbound.mail"
	tests := []struct {
		name, kind, path, rendered, want string
	}{
		{"string", "task", "mode", `"full"`, `"full"`},
		{"empty string", "task", "owner", `""`, `""`},
		{"unicode and escapes", "resource", "description", `"Jiří \"J\" <x>\n"`, `"Jiří \"J\" <x>\n"`},
		{"duration", "schedule", "every", `"17m"`, `"17m"`},
		{"cron", "schedule", "cron", `"0 2 * * MON-FRI"`, `"0 2 * * MON-FRI"`},
		{"null", "schedule", "cron", "null", "null"},
		{"integer", "task", "priority", "50", "50"},
		{"negative decimal", "resource", "connection.x", "-1.5", "-1.5"},
		{"bool", "task", "enabled", "false", "false"},
		{"list of strings", "task", "notify[0].on", `["failed", "partial"]`, `["failed","partial"]`},
		{"empty list", "task", "after", "[]", "[]"},
		{"map", "resource", "connection.columns", `{ a = "1", "b c" = 2, d = [true] }`, `{"a":"1","b c":2,"d":[true]}`},
		{"empty map", "resource", "connection.columns", "{}", "{}"},
		{"map with keys in other scripts", "resource", "connection.columns", `{ jméno = "Jiří", "x y" = 1 }`, `{"jméno":"Jiří","x y":1}`},
		{"reference to a name in another script", "task", "schedule", "schedule.noční", `{"expression":"schedule.noční"}`},
		{"reference", "task", "schedule", "schedule.nightly", `{"expression":"schedule.nightly"}`},
		{"list of references", "task", "after", "[task.a, task.hr-import]", `[{"expression":"task.a"},{"expression":"task.hr-import"}]`},
		{"a string holding ${ outside a kept expression", "task", "description", `"costs ${x}"`, `"costs ${x}"`},
		{"kept expression", "resource", mapping, "user.name", `{"expression":"user.name"}`},
		{"kept template", "resource", mapping, `"${user.name}@example.com"`, `{"expression":"\"${user.name}@example.com\""}`},
		{"kept function call", "resource", mapping, `lower(attributes.login)`, `{"expression":"lower(attributes.login)"}`},
		{"kept constant", "resource", mapping, `"active"`, `"active"`},
		{"kept constant list", "resource", mapping, `["a", 1]`, `["a",1]`},
		{"kept null", "resource", "object_type.account/default.provision_when", "null", "null"},
		{"kept escaped template is an expression", "resource", mapping, `"$${x}"`, `{"expression":"\"$${x}\""}`},
		{"kept constant written otherwise", "resource", mapping, `"\u0041"`, `{"expression":"\"\\u0041\""}`},
		{"filter", "task", "activity[2].filter", `attributes.state != "gone"`, `{"expression":"attributes.state != \"gone\""}`},
		{"filter of a resource is a setting", "resource", "connection.filter", `"(objectClass=person)"`, `"(objectClass=person)"`},
		{"map with a marker key", "resource", "connection.columns", `{ expression = "x" }`, `{"expression":"{ expression = \"x\" }"}`},
		{"kept map with a marker key", "resource", mapping, `{ sensitive = true }`, `{"expression":"{ sensitive = true }"}`},
		{"sensitive", "resource", "connection.dsn", "(sensitive hmac:5535359ff17a3a92)", `{"sensitive":true,"fingerprint":"hmac:5535359ff17a3a92"}`},
		{"legacy sensitive", "resource", "connection.dsn", "(sensitive sha256:6f5a3015a1db35d1)", `{"sensitive":true,"fingerprint":"sha256:6f5a3015a1db35d1"}`},
		{"unknown sensitive", "resource", "connection.dsn", UnknownSensitive, `{"sensitive":true,"fingerprint":"hmac:unknown"}`},
		{"redacted", "resource", "connection.dsn", RedactedValue, `{"sensitive":true}`},
		{"variable value", "resource", "var.app_domain", `"example.com"`, `"example.com"`},
		{"non-canonical number", "resource", "connection.x", "1.50", `{"expression":"1.50"}`},
		{"unreadable", "resource", "connection.x", "[1,2]", `{"expression":"[1,2]"}`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			if got := typedJSON(t, tt.kind, tt.path, tt.rendered); got != tt.want {
				t.Errorf("typedValue(%s, %s, %s)\n got %s\nwant %s", tt.kind, tt.path, tt.rendered, got, tt.want)
			}
			checkTypedRoundTrip(t, tt.kind, tt.path, tt.rendered)
		})
	}
}

// checkTypedRoundTrip: a typed value reads back to exactly the rendering
// it came from, as a spec value (or an attribute's "(sensitive value)").
func checkTypedRoundTrip(t testing.TB, kind, path, rendered string) {
	t.Helper()
	raw := json.RawMessage(typedJSON(t, kind, path, rendered))
	read := specValueText
	if rendered == RedactedValue {
		read = func(raw json.RawMessage) (string, error) { return attributeValueText(raw, true) }
	}
	back, err := read(raw)
	if err != nil {
		t.Fatalf("%s %s: reading %s back: %v", kind, path, raw, err)
	}
	if back != rendered {
		t.Fatalf("%s %s: %q reads back as %q (via %s)", kind, path, rendered, back, raw)
	}
}

// FuzzTypedValueRoundTrip: whatever a spec holds, its typed JSON reads back
// to the same text, so a plan file's specs and hashes survive the typing.
func FuzzTypedValueRoundTrip(f *testing.F) {
	for _, seed := range []string{`"x"`, "null", "1", "-0.25", "[a.b]", "[task.a, task.b]", `{ a = [1, {}] }`,
		`"${user.name}"`, "user.name", `"\u2028"`, "(sensitive hmac:5535359ff17a3a92)", "{ expression = 1 }", `"a\\"`} {
		f.Add(false, seed)
		f.Add(true, seed)
	}
	f.Fuzz(func(t *testing.T, kept bool, rendered string) {
		path := "connection.x"
		if kept {
			path = "object_type.a/default.inbound.x"
		}
		if rendered == "" || !utf8.ValidString(rendered) ||
			strings.HasPrefix(rendered, "(sensitive") && !(strings.HasSuffix(rendered, ")") && validFingerprint.MatchString(fingerprintOf(rendered))) {
			t.Skip("not a rendering the planner writes: empty, not UTF-8 (configurations are), or a sensitive value without a fingerprint")
		}
		checkTypedRoundTrip(t, "resource", path, rendered)
	})
}

// TestTypedValuesDoneWhen is issue 14's check: a changed every reads
// "1h" -> "17m", an absent cron is null, numbers are numbers and lists are
// arrays.
func TestTypedValuesDoneWhen(t *testing.T) {
	t.Parallel()
	schedule := func(every string) map[string]string {
		return map[string]string{"main.hcl": `
schedule "hourly" {
  every        = "` + every + `"
  max_catch_up = 3
}

task "t" {
  schedule = schedule.hourly
  activity "propagation" {}
  notify {
    on      = ["failed", "partial"]
    webhook = "https://hooks.example.com/x"
  }
}
`}
	}
	snap := snapshotOf(mustDesired(t, schedule("1h")), 3)
	p := mustCompute(t, mustDesired(t, schedule("17m")), snap, Options{})
	var buf bytes.Buffer
	if err := RenderJSON(&buf, p); err != nil {
		t.Fatal(err)
	}
	var got struct {
		Changes []struct {
			Address    string
			Attributes []struct {
				Path          string
				Before, After any
			}
			Before, After struct{ Spec map[string]any }
		}
	}
	if err := json.Unmarshal(buf.Bytes(), &got); err != nil {
		t.Fatal(err)
	}
	if len(got.Changes) != 1 || got.Changes[0].Address != "schedule.hourly" || len(got.Changes[0].Attributes) != 1 {
		t.Fatalf("want one change of schedule.hourly's every, got\n%s", buf.String())
	}
	c := got.Changes[0]
	if a := c.Attributes[0]; a.Path != "every" || a.Before != "1h" || a.After != "17m" {
		t.Errorf("every: %s %#v -> %#v, want the strings \"1h\" -> \"17m\"", a.Path, a.Before, a.After)
	}
	spec := c.After.Spec
	if cron, ok := spec["cron"]; !ok || cron != nil {
		t.Errorf("cron = %#v, want null", cron)
	}
	if n := spec["max_catch_up"]; n != 3.0 {
		t.Errorf("max_catch_up = %#v, want the number 3", n)
	}
	task := snap.Definitions["task.t"]
	if on := typedValue("task", "notify[0].on", task.Spec["notify[0].on"]); !reflect.DeepEqual(on, []any{"failed", "partial"}) {
		t.Errorf("notify[0].on = %#v, want an array of two strings", on)
	}
}

// TestKeptExpressionPath: the paths of kept expressions, and look-alikes
// that hold values.
func TestKeptExpressionPath(t *testing.T) {
	t.Parallel()
	tests := []struct {
		kind, path string
		want       bool
	}{
		{"resource", "object_type.account/default.provision_when", true},
		{"resource", "object_type.account/admin.correlate.name", true},
		{"resource", "object_type.account/default.inbound.mail", true},
		{"resource", "object_type.account/default.outbound.login", true},
		{"task", "activity[0].filter", true},
		{"task", "activity[12].filter", true},
		{"resource", "object_type.account/default.reactions.linked", false},
		{"resource", "object_type.account/default.activation.attribute", false},
		{"resource", "connection.filter", false},
		{"resource", "var.app_domain", false},
		{"task", "activity[0].exec.env[\"filter\"]", false},
		{"task", "filter", false},
		{"schedule", "activity[0].filter", false},
		{"task", "object_type.account/default.provision_when", false},
	}
	for _, tt := range tests {
		if got := keptExpressionPath(tt.kind, tt.path); got != tt.want {
			t.Errorf("keptExpressionPath(%s, %s) = %v, want %v", tt.kind, tt.path, got, tt.want)
		}
	}
}
