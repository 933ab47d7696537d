package connector_test

import (
	"errors"
	"fmt"
	"testing"

	"github.com/syncline/syncline/engine/connector"
)

func TestApply(t *testing.T) {
	t.Parallel()
	base := connector.Attributes{"mail": {"a@x"}, "groups": {"staff", "vpn"}}
	tests := []struct {
		name    string
		mods    []connector.Modification
		multi   bool
		want    connector.Attributes
		wantErr string
	}{
		{"replace", []connector.Modification{connector.Replace("mail", "b@x")}, false,
			connector.Attributes{"mail": {"b@x"}, "groups": {"staff", "vpn"}}, ""},
		{"replace clears", []connector.Modification{connector.Replace("mail")}, false,
			connector.Attributes{"groups": {"staff", "vpn"}}, ""},
		{"replace drops empty strings and duplicates", []connector.Modification{connector.Replace("groups", "a", "", "a", "b")}, true,
			connector.Attributes{"mail": {"a@x"}, "groups": {"a", "b"}}, ""},
		{"add keeps order and skips present", []connector.Modification{connector.Add("groups", "vpn", "wiki")}, true,
			connector.Attributes{"mail": {"a@x"}, "groups": {"staff", "vpn", "wiki"}}, ""},
		{"add to new attribute", []connector.Modification{connector.Add("phone", "1")}, false,
			connector.Attributes{"mail": {"a@x"}, "groups": {"staff", "vpn"}, "phone": {"1"}}, ""},
		{"remove ignores absent", []connector.Modification{connector.Remove("groups", "staff", "nope")}, true,
			connector.Attributes{"mail": {"a@x"}, "groups": {"vpn"}}, ""},
		{"in order", []connector.Modification{connector.Replace("mail", "c@x"), connector.Remove("mail", "c@x")}, false,
			connector.Attributes{"groups": {"staff", "vpn"}}, ""},
		{"single-valued", []connector.Modification{connector.Add("mail", "b@x")}, false, nil,
			`attribute "mail" is single-valued and cannot hold 2 values`},
		{"unknown op", []connector.Modification{{Op: "merge", Attribute: "mail"}}, false, nil,
			`unknown modification "merge" of attribute "mail"; use add, replace or remove`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			got, err := base.Apply(tt.mods, tt.multi)
			if tt.wantErr != "" {
				if err == nil || err.Error() != tt.wantErr {
					t.Fatalf("error %v, want %q", err, tt.wantErr)
				}
				return
			}
			if err != nil || !got.Equal(tt.want) {
				t.Errorf("got %v, %v; want %v", got, err, tt.want)
			}
		})
	}
	if !base.Equal(connector.Attributes{"mail": {"a@x"}, "groups": {"staff", "vpn"}}) {
		t.Errorf("Apply changed its receiver: %v", base)
	}
}

func TestErrorMessages(t *testing.T) {
	t.Parallel()
	cause := errors.New("dial tcp 127.0.0.1:1: connect: connection refused")
	tests := []struct {
		err  *connector.Error
		want string
	}{
		{&connector.Error{Kind: connector.ErrNotFound, Op: "get", Resource: "app", Object: "bob"},
			`resource "app": get "bob": object not found`},
		{&connector.Error{Kind: connector.ErrInvalidObject, Op: "search", Resource: "hr", Line: 7, Err: errors.New("the row has 4 fields, the file has 5 columns"), Hint: "Quote fields."},
			"resource \"hr\": search line 7: invalid object: the row has 4 fields, the file has 5 columns\nQuote fields."},
		{&connector.Error{Kind: connector.ErrUnreachable, Op: "test", Resource: "app", Err: cause},
			`resource "app": test: resource unreachable: dial tcp 127.0.0.1:1: connect: connection refused`},
	}
	for _, tt := range tests {
		if got := tt.err.Error(); got != tt.want {
			t.Errorf("got\n%s\nwant\n%s", got, tt.want)
		}
	}
	wrapped := fmt.Errorf("import: %w", tests[2].err)
	if !errors.Is(wrapped, connector.ErrUnreachable) || errors.Is(wrapped, connector.ErrNotFound) || !errors.Is(wrapped, cause) {
		t.Errorf("errors.Is does not see the kind and the cause through %v", wrapped)
	}
	if !connector.IsObjectError(tests[1].err) || connector.IsObjectError(tests[2].err) {
		t.Errorf("IsObjectError is wrong")
	}
}

func TestCapabilitiesString(t *testing.T) {
	t.Parallel()
	tests := []struct {
		c    connector.Capabilities
		want string
	}{
		{connector.Capabilities{}, "none"},
		{connector.Capabilities{Read: true, LiveSync: true}, "read, live sync (without deletions)"},
		{connector.Capabilities{Read: true, Create: true, Update: true, Delete: true, MultiValued: true, LiveSync: true, LiveSyncDeletes: true},
			"read, create, update, delete, multi-valued attributes, live sync"},
		{connector.Capabilities{Read: true, Rename: true}, "read, rename"},
		{connector.Capabilities{Create: true, Batch: true}, "create, batch writes"},
	}
	for _, tt := range tests {
		if got := tt.c.String(); got != tt.want {
			t.Errorf("%#v: %q, want %q", tt.c, got, tt.want)
		}
	}
}

func TestQuerySize(t *testing.T) {
	t.Parallel()
	for in, want := range map[int]int{0: connector.DefaultPageSize, -3: connector.DefaultPageSize, 7: 7, 1 << 30: connector.MaxPageSize} {
		if got := (connector.Query{PageSize: in}).Size(); got != want {
			t.Errorf("Size(%d) = %d, want %d", in, got, want)
		}
	}
}
