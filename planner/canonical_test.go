package planner

import (
	"github.com/syncline/syncline/state"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/zclconf/go-cty/cty"

	"github.com/syncline/syncline/config"
)

func TestFormatDuration(t *testing.T) {
	t.Parallel()
	tests := []struct {
		in   time.Duration
		want string
	}{
		{time.Hour, "1h"},
		{90 * time.Minute, "1h30m"},
		{15 * time.Minute, "15m"},
		{90 * time.Second, "1m30s"},
		{7 * 24 * time.Hour, "168h"},
		{time.Hour + time.Second, "1h1s"},
		{1500 * time.Millisecond, "1.5s"},
		{500 * time.Millisecond, "500ms"},
		{10 * time.Second, "10s"},
	}
	for _, tt := range tests {
		got := FormatDuration(tt.in)
		if got != tt.want {
			t.Errorf("FormatDuration(%v) = %q, want %q", tt.in, got, tt.want)
		}
		if back, err := config.ParseDuration(got); err != nil || back != tt.in {
			t.Errorf("ParseDuration(%q) = %v, %v; want %v", got, back, err, tt.in)
		}
	}
}

func TestRenderValue(t *testing.T) {
	t.Parallel()
	secret := cty.StringVal("hunter2").Mark(config.Sensitive)
	tests := []struct {
		name   string
		v      cty.Value
		secret bool
		want   string
	}{
		{"string", cty.StringVal(`a "b" <c>`), false, `"a \"b\" <c>"`},
		{"unicode", cty.StringVal("Jiří"), false, `"Jiří"`},
		{"number", cty.NumberIntVal(500), false, "500"},
		{"fraction", cty.NumberFloatVal(1.5), false, "1.5"},
		{"bool", cty.True, false, "true"},
		{"list", cty.ListVal([]cty.Value{cty.StringVal("a"), cty.StringVal("b")}), false, `["a", "b"]`},
		{"empty list", cty.ListValEmpty(cty.String), false, `[]`},
		{"map", cty.MapVal(map[string]cty.Value{"b": cty.StringVal("2"), "a-1": cty.StringVal("1")}), false, `{ a-1 = "1", b = "2" }`},
		{"null", cty.NullVal(cty.String), false, "null"},
		{"absent", cty.NilVal, false, "null"},
		{"marked", secret, false, renderSensitive(testKey, "hunter2")},
		{"secret setting", cty.StringVal("hunter2"), true, renderSensitive(testKey, "hunter2")},
		{"marked deep", cty.ListVal([]cty.Value{cty.StringVal("a"), secret}), false, renderSensitive(testKey, `["a", "hunter2"]`)},
	}
	for _, tt := range tests {
		got, err := renderValue(tt.v, tt.secret, testKey)
		if err != nil || got != tt.want {
			t.Errorf("%s: renderValue = %q, %v; want %q", tt.name, got, err, tt.want)
		}
		if strings.Contains(got, "hunter2") {
			t.Errorf("%s: rendering %q holds the secret", tt.name, got)
		}
	}
	if _, err := renderValue(cty.UnknownVal(cty.String), false, testKey); err == nil {
		t.Error("an unknown value rendered without error")
	}
}

func TestRenderSensitiveFingerprint(t *testing.T) {
	t.Parallel()
	got := renderSensitive(testKey, "hunter2")
	// HMAC-SHA256(testKey, "hunter2"), first 16 hex digits (as openssl dgst -sha256 -hmac KEY gives).
	if want := "(sensitive hmac:ffd3a4460420b5c9)"; got != want {
		t.Fatalf("renderSensitive = %q, want %q", got, want)
	}
	if got == renderSensitive(testKey, "hunter3") {
		t.Error("different secrets have the same fingerprint")
	}
	// Without the state's key, a fingerprint cannot be checked against
	// guesses: another key gives another fingerprint of the same value.
	if got == renderSensitive(state.SecretKey("another-state-secret-key-32bytes"), "hunter2") {
		t.Error("two keys give the same fingerprint")
	}
	for _, fp := range []string{got, "(sensitive sha256:6f5a3015a1db35d1)"} { // legacy, unkeyed
		if !IsSensitive(fp) || display(fp) != RedactedValue {
			t.Errorf("display(%q) = %q", fp, display(fp))
		}
	}
}

func TestComparePaths(t *testing.T) {
	t.Parallel()
	paths := []string{
		"activity[10].type", "retry.attempts", "activity[2].type", "activity[2].thresholds.max_deletions",
		"mode", "activity[2].kind", "after", "object_type.a/default.inbound.x", "object_type.a/default.deprovision",
	}
	slices.SortFunc(paths, comparePaths)
	want := []string{
		"after", "mode",
		"activity[2].kind", "activity[2].type", "activity[2].thresholds.max_deletions", "activity[10].type",
		"object_type.a/default.deprovision", "object_type.a/default.inbound.x",
		"retry.attempts",
	}
	if !slices.Equal(paths, want) {
		t.Errorf("sorted paths:\n got %q\nwant %q", paths, want)
	}
}

func TestSpecHash(t *testing.T) {
	t.Parallel()
	// The serialization is a stored contract: this hash must never change.
	got := SpecHash(map[string]string{"b": `"x"`, "a": "1"})
	// sha256("1:a1:11:b3:\"x\"")
	if want := "a50e90f5db47c67713be89d4d85bbd61a8bde46874fdf1d1dba7df58a5f9834e"; got != want {
		t.Errorf("SpecHash = %s, want %s", got, want)
	}
	if SpecHash(map[string]string{"a": "bc"}) == SpecHash(map[string]string{"ab": "c"}) {
		t.Error("two specs serialize alike")
	}
}
