package state

import (
	"encoding/json"
	"testing"
)

// jsonSamples are strings whose escaping differs somewhere.
var jsonSamples = []string{
	"", "plain", "Jiří Dvořák", "Müller", `quote " and \ backslash`, "<b>&amp;</b>",
	"tab\tnew\nline\rcr\bbs\fff", "\x00\x01\x1f\x7f", "line\u2028para\u2029sep",
	"bad \xff utf-8 \xe2\x82", "emoji 😀", "\u00e9\u0301", "/slash/",
}

func TestAttributesEncodeAsEncodingJSON(t *testing.T) {
	t.Parallel()
	users := []map[string]string{nil, {}, {"a": "b"}}
	shadows := []map[string][]string{nil, {}, {"a": nil, "b": {}, "c": {"x", "y"}}}
	for i, s := range jsonSamples {
		users = append(users, map[string]string{s: s, "k" + s: "v", "z": s + s})
		shadows = append(shadows, map[string][]string{s: {s, s}, "e": {}, "n": nil, jsonSamples[(i+1)%len(jsonSamples)]: {s}})
	}
	for _, attrs := range users {
		checkSameJSON(t, attrs, appendUserAttributes(nil, attrs))
	}
	for _, attrs := range shadows {
		checkSameJSON(t, attrs, appendShadowAttributes(nil, attrs))
	}
}

func FuzzAttributesEncodeAsEncodingJSON(f *testing.F) {
	for i, s := range jsonSamples {
		f.Add(s, jsonSamples[(i+3)%len(jsonSamples)])
	}
	f.Fuzz(func(t *testing.T, k, v string) {
		user := map[string]string{k: v, v: k}
		checkSameJSON(t, user, appendUserAttributes(nil, user))
		shadow := map[string][]string{k: {v, k}, v: nil, k + v: {}}
		checkSameJSON(t, shadow, appendShadowAttributes(nil, shadow))
	})
}

// checkSameJSON fails unless got is what json.Marshal makes of v, or
// "{}" where v is a nil map (json.Marshal: null), as the store writes it.
func checkSameJSON[M ~map[string]V, V any](t *testing.T, v M, got []byte) {
	t.Helper()
	want, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	if v == nil {
		want = []byte("{}")
	}
	if string(got) != string(want) {
		t.Errorf("attributes %v:\ngot  %s\nwant %s", v, got, want)
	}
}
