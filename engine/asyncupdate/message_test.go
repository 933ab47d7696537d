package asyncupdate

import (
	"errors"
	"reflect"
	"strings"
	"testing"

	"github.com/syncline/syncline/engine/connector"
)

func TestParseChange(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name, body string
		want       connector.Change
	}{
		{"documented form", `{"operation": "modify", "identifier": "e1001", "attributes": {"mail": "a@example.com", "groups": ["x", "y"], "phone": null}}`,
			connector.Change{Type: connector.ChangeUpdate, ID: "e1001", Object: connector.Object{ID: "e1001",
				Attributes: connector.Attributes{"mail": {"a@example.com"}, "groups": {"x", "y"}, "phone": nil}}}},
		{"variants", `{"op": "ADD", "id": 1001, "attrs": {"active": true, "age": 42, "ratio": 0.5}}`,
			connector.Change{Type: connector.ChangeCreate, ID: "1001", Object: connector.Object{ID: "1001",
				Attributes: connector.Attributes{"active": {"true"}, "age": {"42"}, "ratio": {"0.5"}}}}},
		{"delete without attributes", `{"type": "deleted", "uid": "jdoe"}`,
			connector.Change{Type: connector.ChangeDelete, ID: "jdoe", Object: connector.Object{ID: "jdoe"}}},
		{"upsert", `{"changeType": "upsert", "key": "k", "object": {"cn": "Jiří"}}`,
			connector.Change{Type: connector.ChangeUpsert, ID: "k", Object: connector.Object{ID: "k", Attributes: connector.Attributes{"cn": {"Jiří"}}}}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			got, err := ParseChange([]byte(tc.body))
			if err != nil {
				t.Fatal(err)
			}
			if !reflect.DeepEqual(got, tc.want) {
				t.Errorf("got %+v\nwant %+v", got, tc.want)
			}
		})
	}
}

// TestBadMessages: every malformed or hostile message is a MessageError
// saying what is wrong.
func TestBadMessages(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct{ name, body, want string }{
		{"not JSON", `operation=create`, "not JSON"},
		{"truncated", `{"operation": "create", "identifier": "e1"`, "not JSON"},
		{"two values", `{"operation": "delete", "identifier": "e1"} {}`, "more than one JSON value"},
		{"an array", `[1, 2]`, "not JSON"},
		{"null", `null`, "not a JSON object"},
		{"no operation", `{"identifier": "e1", "attributes": {}}`, `no operation (an "operation" field)`},
		{"unknown operation", `{"operation": "explode", "identifier": "e1"}`, `unknown operation "explode"`},
		{"operation not a string", `{"operation": 3, "identifier": "e1"}`, `"operation" is not a string`},
		{"no identifier", `{"operation": "delete"}`, "no identifier"},
		{"empty identifier", `{"operation": "delete", "identifier": "  "}`, "an empty identifier"},
		{"object identifier", `{"operation": "delete", "identifier": {"a": 1}}`, `"identifier" is not a string or a number`},
		{"control character", `{"operation": "delete", "identifier": "e1\nBcc"}`, "control character"},
		{"huge identifier", `{"operation": "delete", "identifier": "` + strings.Repeat("x", 2000) + `"}`, "at most 1024"},
		{"create without attributes", `{"operation": "create", "identifier": "e1"}`, "needs its attributes"},
		{"null attributes", `{"operation": "create", "identifier": "e1", "attributes": null}`, "needs its attributes"},
		{"attributes not an object", `{"operation": "create", "identifier": "e1", "attributes": [1]}`, `"attributes" is not a JSON object`},
		{"nested attribute", `{"operation": "create", "identifier": "e1", "attributes": {"a": {"b": 1}}}`, `attribute "a" is not a string`},
		{"list of objects", `{"operation": "create", "identifier": "e1", "attributes": {"a": [{}]}}`, `attribute "a" holds a value`},
		{"null in a list", `{"operation": "create", "identifier": "e1", "attributes": {"a": ["x", null]}}`, `attribute "a" holds a value`},
		{"unnamed attribute", `{"operation": "create", "identifier": "e1", "attributes": {"": "x"}}`, "without a name"},
		{"huge number", `{"operation": "create", "identifier": "e1", "attributes": {"n": 1e999}}`, `attribute "n"`},
		{"not UTF-8", "{\"operation\": \"create\", \"identifier\": \"\xff\"}", "not UTF-8"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			_, err := ParseChange([]byte(tc.body))
			var me *MessageError
			if !errors.As(err, &me) || !strings.Contains(err.Error(), tc.want) {
				t.Errorf("error %v, want a MessageError saying %q", err, tc.want)
			}
		})
	}
}

func TestParseNotification(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct{ body, want, err string }{
		{`{"identifier": "e1001"}`, "e1001", ""},
		{`{"id": 42}`, "42", ""},
		{`"e1001"`, "e1001", ""},
		{"e1001\n", "e1001", ""},
		{`{}`, "", "no identifier"},
		{``, "", "an empty identifier"},
		{`{"id": "a"`, "", "not JSON"},
		{"a\x00b", "", "control character"},
	} {
		got, err := ParseNotification([]byte(tc.body))
		switch {
		case tc.err == "" && (err != nil || got != tc.want):
			t.Errorf("%q: %q, %v; want %q", tc.body, got, err, tc.want)
		case tc.err != "" && (err == nil || !strings.Contains(err.Error(), tc.err)):
			t.Errorf("%q: %v; want an error saying %q", tc.body, err, tc.err)
		}
	}
}

func TestCheckEnvelope(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		size        int
		contentType string
		max         int
		err         string
	}{
		{10, "", 0, ""},
		{10, "application/json; charset=utf-8", 0, ""},
		{10, "application/vnd.syncline+json", 0, ""},
		{10, "text/plain", 0, ""},
		{10, "application/xml", 0, `content type "application/xml"`},
		{10, "a/b; ;", 0, "cannot be read"},
		{DefaultMaxMessageSize + 1, "", 0, "more than the 1048576"},
		{101, "", 100, "more than the 100"},
	} {
		err := CheckEnvelope(make([]byte, tc.size), tc.contentType, tc.max)
		switch {
		case tc.err == "" && err != nil:
			t.Errorf("%d bytes %q: %v", tc.size, tc.contentType, err)
		case tc.err != "" && (err == nil || !strings.Contains(err.Error(), tc.err)):
			t.Errorf("%d bytes %q: %v; want %q", tc.size, tc.contentType, err, tc.err)
		}
	}
}

func FuzzParseChange(f *testing.F) {
	f.Add([]byte(`{"operation": "modify", "identifier": "e1", "attributes": {"a": ["x"]}}`))
	f.Add([]byte(`{"op": "delete", "id": 1}`))
	f.Fuzz(func(t *testing.T, body []byte) {
		c, err := ParseChange(body)
		if err != nil {
			var me *MessageError
			if !errors.As(err, &me) {
				t.Fatalf("not a MessageError: %v", err)
			}
			return
		}
		if c.ID == "" || c.Object.ID != c.ID {
			t.Fatalf("parsed without an identifier: %+v", c)
		}
	})
}
