package state

import (
	"encoding/json"
	"reflect"
	"testing"
)

var attributeTexts = []string{
	`{}`, ` { } `, `{"a":["x"]}`, `{"a":[]}`, `{"a":null}`, `{"a":["x","y"],"b":["z"]}`,
	`{ "a" : [ "x" , "y" ] , "b" : null }`, `{"a":["x"],"a":["y"]}`, `{"é":["ü😀"]}`,
	`{"a":["x\"y"]}`, `{"a":["\u00e9"]}`, `{"a":["tab	here"]}`, "{\"a\":[\"\xff\"]}",
	`{"a":"x"}`, `{"a":"x","b":""}`, `{"a":null}`, `{"a":1}`, `{"a":[1]}`, `{"a":[null]}`,
	`null`, `[]`, `{`, `{"a"}`, `{"a":["x"]`, `{"a":["x"],}`, `{"a":["x"]} x`, `{"a":["x",]}`,
	`{"a":[`, `"a"`, ``, `{"a":["x"]}}`, `{"a":{"b":"c"}}`, `{"a":"x" "b":"y"}`,
}

// TestAttributesDecodeAsJSON: for every text, the decoders give what
// json.Unmarshal gives — the same map (nil and empty lists told apart),
// or an error where it has one.
func TestAttributesDecodeAsJSON(t *testing.T) {
	t.Parallel()
	for _, text := range attributeTexts {
		checkShadowDecode(t, text)
		checkUserDecode(t, text)
	}
}

func FuzzAttributesDecodeAsJSON(f *testing.F) {
	for _, text := range attributeTexts {
		f.Add(text)
	}
	f.Fuzz(func(t *testing.T, text string) {
		checkShadowDecode(t, text)
		checkUserDecode(t, text)
	})
}

func checkShadowDecode(t *testing.T, text string) {
	t.Helper()
	var want map[string][]string
	wantErr := json.Unmarshal([]byte(text), &want)
	got, err := decodeShadowAttributes([]byte(text))
	if (err != nil) != (wantErr != nil) || err == nil && !reflect.DeepEqual(got, want) {
		t.Errorf("shadow attributes %q: %#v, %v; json.Unmarshal: %#v, %v", text, got, err, want, wantErr)
	}
}

func checkUserDecode(t *testing.T, text string) {
	t.Helper()
	var want map[string]string
	wantErr := json.Unmarshal([]byte(text), &want)
	got, err := decodeUserAttributes([]byte(text))
	if (err != nil) != (wantErr != nil) || err == nil && !reflect.DeepEqual(got, want) {
		t.Errorf("user attributes %q: %#v, %v; json.Unmarshal: %#v, %v", text, got, err, want, wantErr)
	}
}
