package synchronization

import (
	"slices"
	"strings"
	"testing"

	"github.com/syncline/syncline/config"
	"github.com/syncline/syncline/engine/connector"
	"github.com/syncline/syncline/state"
	"github.com/zclconf/go-cty/cty"
)

func TestUserString(t *testing.T) {
	t.Parallel()
	tests := []struct {
		in      cty.Value
		want    string
		ok      bool
		wantErr string
	}{
		{cty.StringVal("a"), "a", true, ""},
		{cty.StringVal(""), "", false, ""},
		{cty.NullVal(cty.String), "", false, ""},
		{cty.NumberIntVal(42), "42", true, ""},
		{cty.True, "true", true, ""},
		{cty.StringVal("s").Mark(config.Sensitive), "", false, "sensitive"},
		{cty.ListVal([]cty.Value{cty.StringVal("s").Mark(config.Sensitive)}), "", false, "sensitive"},
		{cty.ListVal([]cty.Value{cty.StringVal("a")}), "", false, "a user attribute holds one string, not a list of string"},
		{cty.ObjectVal(map[string]cty.Value{"a": cty.StringVal("b")}), "", false, "not a object"},
		{cty.UnknownVal(cty.String), "", false, "not known"},
	}
	for _, tt := range tests {
		got, ok, err := userString(tt.in)
		if tt.wantErr != "" {
			if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
				t.Errorf("userString(%#v) error %v, want %q", tt.in, err, tt.wantErr)
			}
			continue
		}
		if err != nil || got != tt.want || ok != tt.ok {
			t.Errorf("userString(%#v) = %q, %v, %v; want %q, %v", tt.in, got, ok, err, tt.want, tt.ok)
		}
	}
}

func TestResourceValues(t *testing.T) {
	t.Parallel()
	tests := []struct {
		in      cty.Value
		want    []string
		wantErr string
	}{
		{cty.StringVal("a"), []string{"a"}, ""},
		{cty.StringVal(""), []string{}, ""},
		{cty.NullVal(cty.String), nil, ""},
		{cty.TupleVal([]cty.Value{cty.StringVal("a"), cty.StringVal(""), cty.StringVal("a"), cty.NumberIntVal(2)}), []string{"a", "2"}, ""},
		{cty.MapVal(map[string]cty.Value{"k": cty.StringVal("v")}), nil, "not a map of string"},
		{cty.ListVal([]cty.Value{cty.ListValEmpty(cty.String)}), nil, "element"},
	}
	for _, tt := range tests {
		got, err := resourceValues(tt.in)
		if tt.wantErr != "" {
			if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
				t.Errorf("resourceValues(%#v) error %v, want %q", tt.in, err, tt.wantErr)
			}
			continue
		}
		if err != nil || len(got) != len(tt.want) || !slices.Equal(got, tt.want) && len(got) > 0 {
			t.Errorf("resourceValues(%#v) = %q, %v; want %q", tt.in, got, err, tt.want)
		}
	}
}

func TestAttributesHash(t *testing.T) {
	t.Parallel()
	a := connector.Attributes{"mail": {"a@x"}, "groups": {"x", "y"}}
	same := connector.Attributes{"groups": {"x", "y"}, "mail": {"a@x"}, "empty": nil}
	if attributesHash(a) != attributesHash(same) {
		t.Error("equal attributes hash differently")
	}
	for _, other := range []connector.Attributes{
		{"mail": {"a@x"}, "groups": {"y", "x"}},
		{"mail": {"a@xgroups"}, "": {"x", "y"}},
		{"mail": {"a@x", "groups"}, "x": {"y"}},
	} {
		if attributesHash(a) == attributesHash(other) {
			t.Errorf("%v and %v hash the same", a, other)
		}
	}
}

func TestMergeOps(t *testing.T) {
	t.Parallel()
	op := func(kind string, kv ...string) stateOp {
		attrs := map[string][]string{}
		for i := 0; i+1 < len(kv); i += 2 {
			attrs[kv[i]] = []string{kv[i+1]}
		}
		return stateOp{Op: kind, Attributes: attrs}
	}
	tests := []struct {
		name string
		in   []stateOp
		want string
	}{
		{"create then update", []stateOp{op("create", "a", "1"), op("update", "a", "2", "b", "3")}, "create a=2 b=3"},
		{"updates fold", []stateOp{op("update", "a", "1"), op("disable", "on", "0")}, "update a=1 on=0"},
		{"create then delete is nothing", []stateOp{op("create", "a", "1"), op("delete")}, ""},
		{"update then delete", []stateOp{op("update", "a", "1"), op("delete")}, "delete"},
		{"delete then create", []stateOp{op("delete"), op("create", "a", "1")}, "delete; create a=1"},
	}
	for _, tt := range tests {
		var parts []string
		for _, p := range mergeOps(tt.in) {
			s := p.Op
			for _, k := range connector.Attributes(p.Attributes).Names() {
				s += " " + k + "=" + strings.Join(p.Attributes[k], ",")
			}
			parts = append(parts, s)
		}
		if got := strings.Join(parts, "; "); got != tt.want {
			t.Errorf("%s: %q, want %q", tt.name, got, tt.want)
		}
	}
}

type stateOp = state.PendingOperation

// TestForgetNeverCreated: a shadow whose queued operations cancel out (a
// create never tried, then a delete, as states written before the
// executor ended such shadows may hold) is dead and unlinked; any other
// queue is left alone.
func TestForgetNeverCreated(t *testing.T) {
	t.Parallel()
	for _, tt := range []struct {
		name string
		ops  []stateOp
		want bool
	}{
		{"create then delete", []stateOp{{Op: "create"}, {Op: "update"}, {Op: "delete"}}, true},
		{"a create tried before", []stateOp{{Op: "create", Attempts: 1}, {Op: "delete"}}, false},
		{"an update then a delete", []stateOp{{Op: "update"}, {Op: "delete"}}, false},
		{"a lone create", []stateOp{{Op: "create"}}, false},
	} {
		sh := &state.Shadow{Owner: 7, Situation: "linked", Attributes: map[string][]string{"a": {"1"}}, Pending: tt.ops}
		got := forgetNeverCreated(sh)
		ended := sh.Dead && sh.Owner == 0 && sh.Pending == nil && sh.Attributes == nil && sh.Situation == "deleted"
		if got != tt.want || ended != tt.want {
			t.Errorf("%s: forgetNeverCreated = %v, shadow %+v", tt.name, got, sh)
		}
	}
}
