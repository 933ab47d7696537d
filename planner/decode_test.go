package planner

import (
	"bytes"
	"encoding/json"
	"strings"
	"testing"

	"github.com/syncline/syncline/internal/plantest"
)

// TestDecodeJSONMalformedValues: a plan whose typed values were edited
// into something RenderJSON never writes is refused with an error naming
// the change, the spec path or attribute, and what is wrong.
func TestDecodeJSONMalformedValues(t *testing.T) {
	t.Parallel()
	var buf bytes.Buffer
	if err := RenderJSON(&buf, scenarioPlan(t, plantest.ScenarioNamed("update"))); err != nil {
		t.Fatal(err)
	}
	const fp = `"hmac:5535359ff17a3a92"`
	spec := func(addr, path, value string) jsonEdit { return jsonEdit{addr, "spec", path, value} }
	attr := func(addr, field, value string) jsonEdit { return jsonEdit{addr, field, "", value} }
	tests := []struct {
		name string
		edit jsonEdit
		want string
	}{
		{"expression not a string", spec("schedule.nightly", "misfire", `{"expression": 5}`),
			`change "schedule.nightly": after spec "misfire": an expression's source must be a string`},
		{"expression with more keys", spec("schedule.nightly", "misfire", `{"expression": "x", "value": 1}`),
			`an expression is {"expression": "SOURCE"} with no other keys`},
		{"expression posing as a secret", spec("schedule.nightly", "misfire", `{"expression": "(sensitive hmac:0000000000000000)"}`),
			`cannot stand for a sensitive value`},
		{"sensitive false", spec("resource.app", "connection.dsn", `{"sensitive": false, "fingerprint": `+fp+`}`),
			`"sensitive" must be true`},
		{"sensitive not a bool", spec("resource.app", "connection.dsn", `{"sensitive": "yes"}`),
			`"sensitive" must be true`},
		{"sensitive spec without fingerprint", spec("resource.app", "connection.dsn", `{"sensitive": true}`),
			`after spec "connection.dsn": a sensitive value in a spec needs its "fingerprint"`},
		{"fingerprint not hex", spec("resource.app", "connection.dsn", `{"sensitive": true, "fingerprint": "hmac:zz"}`),
			`the fingerprint "hmac:zz" is not hmac: and 16 hex digits`},
		{"fingerprint not a string", spec("resource.app", "connection.dsn", `{"sensitive": true, "fingerprint": 7}`),
			`the fingerprint "7" is not`},
		{"sensitive with a value", spec("resource.app", "connection.dsn", `{"sensitive": true, "fingerprint": `+fp+`, "value": "hunter2"}`),
			`a sensitive value has only "sensitive" and "fingerprint", not "value"`},
		{"sensitive inside a list", spec("schedule.nightly", "misfire", `[{"sensitive": true, "fingerprint": `+fp+`}]`),
			`a sensitive value is always a whole value`},
		{"number with an exponent", spec("schedule.nightly", "max_catch_up", `1e3`),
			`after spec "max_catch_up": the number 1e3 is not written as Syncline writes numbers`},
		{"number with trailing zeros", spec("schedule.nightly", "max_catch_up", `10.0`),
			`the number 10.0 is not written`},
		{"attribute with a fingerprint", attr("resource.app", "before", `{"sensitive": true, "fingerprint": `+fp+`}`),
			`change "resource.app": attribute "connection.dsn": before: an attribute change shows a sensitive value as {"sensitive": true}, without a fingerprint`},
		{"absent side not null", attr("task.cleanup", "after", `"x"`),
			`change "task.cleanup": attribute "after": after: not null, but the attribute's action says the path is absent on this side`},
		{"updated side missing", attr("schedule.nightly", "-after", ``),
			`attribute "cron": after: missing`},
		{"unknown attribute action", attr("schedule.nightly", "action", `"explode"`),
			`attribute "cron": action "explode" is not create, update or delete`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			data := tt.edit.apply(t, buf.Bytes())
			_, err := DecodeJSON(data)
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Fatalf("DecodeJSON: %v\nwant an error containing %s", err, tt.want)
			}
		})
	}
}

// jsonEdit changes one value of a plan's JSON: in the after (or, for a delete,
// before) spec of the change at addr, or a field of its first attribute
// ("-field" removes the field).
type jsonEdit struct{ addr, where, path, value string }

func (e jsonEdit) apply(t *testing.T, data []byte) []byte {
	t.Helper()
	var plan map[string]any
	if err := unmarshalNumbers(data, &plan); err != nil {
		t.Fatal(err)
	}
	var value any
	if e.value != "" {
		if err := unmarshalNumbers([]byte(e.value), &value); err != nil {
			t.Fatalf("%s: %v", e.value, err)
		}
	}
	for _, c := range plan["changes"].([]any) {
		change := c.(map[string]any)
		if change["address"] != e.addr {
			continue
		}
		if e.where == "spec" {
			def, _ := change["after"].(map[string]any)
			if def == nil {
				def = change["before"].(map[string]any)
			}
			def["spec"].(map[string]any)[e.path] = value
		} else if field, ok := strings.CutPrefix(e.where, "-"); ok {
			delete(change["attributes"].([]any)[0].(map[string]any), field)
		} else {
			change["attributes"].([]any)[0].(map[string]any)[e.where] = value
		}
		out, err := json.Marshal(plan)
		if err != nil {
			t.Fatal(err)
		}
		return out
	}
	t.Fatalf("the plan has no change %s", e.addr)
	return nil
}

// TestDecodeJSONRefusesFormat1: a plan from before typed values is refused
// with a message that says to make a new one.
func TestDecodeJSONRefusesFormat1(t *testing.T) {
	t.Parallel()
	_, err := DecodeJSON([]byte(`{"format_version": "1", "changes": [{"attributes": [{"before": "\"1h\""}]}]}`))
	want := `plan format version "1" is not supported (this version reads "2", which gives values typed; format "1" came from an older syncline); make a new plan`
	if err == nil || err.Error() != want {
		t.Fatalf("DecodeJSON of format 1: %v\nwant %s", err, want)
	}
	if _, err := DecodeJSON([]byte(`{"format_version": "3"}`)); err == nil || !strings.Contains(err.Error(), `"3" is not supported`) {
		t.Errorf("DecodeJSON of format 3: %v", err)
	}
}

// unmarshalNumbers is json.Unmarshal keeping numbers as written.
func unmarshalNumbers(data []byte, v any) error {
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.UseNumber()
	return dec.Decode(v)
}
