package connector_test

import (
	"context"
	"errors"
	"iter"
	"testing"

	"github.com/syncline/syncline/engine/connector"
)

// memory is a connector over a map that fails with ErrUnreachable once
// down is set.
type memory struct {
	objs map[string]connector.Object
	down bool
}

var memErrs = connector.ErrorBuilder{Resource: "mem"}

func (m *memory) Resource() string { return "mem" }
func (m *memory) Capabilities() connector.Capabilities {
	return connector.Capabilities{Read: true, Create: true, Update: true, Delete: true}
}
func (m *memory) Test(context.Context) (*connector.TestResult, error) { return nil, nil }
func (m *memory) Search(context.Context, connector.Query) iter.Seq2[connector.Object, error] {
	return func(func(connector.Object, error) bool) {}
}
func (m *memory) Get(_ context.Context, id string) (connector.Object, error) {
	o, ok := m.objs[id]
	if !ok {
		return o, memErrs.Object(connector.ErrNotFound, "get", id, nil, "")
	}
	return o, nil
}
func (m *memory) Create(_ context.Context, o connector.Object) error {
	if m.down {
		return memErrs.New(connector.ErrUnreachable, "create", nil, "")
	}
	if _, ok := m.objs[o.ID]; ok {
		return memErrs.Object(connector.ErrAlreadyExists, "create", o.ID, nil, "")
	}
	m.objs[o.ID] = o
	if o.ID == "last" {
		m.down = true
	}
	return nil
}
func (m *memory) Update(_ context.Context, id string, _ []connector.Modification) error {
	if _, ok := m.objs[id]; !ok {
		return memErrs.Object(connector.ErrNotFound, "update", id, nil, "")
	}
	return nil
}
func (m *memory) Delete(_ context.Context, id string) error {
	if _, ok := m.objs[id]; !ok {
		return memErrs.Object(connector.ErrNotFound, "delete", id, nil, "")
	}
	delete(m.objs, id)
	return nil
}
func (m *memory) Close() error { return nil }

// TestApplyEach: object errors stay with their operation; an unreachable
// resource is every later operation's error; a rename without the
// capability is unsupported.
func TestApplyEach(t *testing.T) {
	m := &memory{objs: map[string]connector.Object{"a": {ID: "a"}}}
	errs := connector.Apply(t.Context(), m, []connector.Operation{
		connector.CreateOp(connector.Object{ID: "a"}),
		connector.UpdateOp("a"),
		connector.RenameOp("a", "b"),
		connector.DeleteOp("a"),
		connector.CreateOp(connector.Object{ID: "last"}),
		connector.CreateOp(connector.Object{ID: "x"}),
		connector.DeleteOp("last"),
	})
	want := []error{connector.ErrAlreadyExists, nil, connector.ErrUnsupported, nil, nil, connector.ErrUnreachable, connector.ErrUnreachable}
	if len(errs) != len(want) {
		t.Fatalf("%d results for %d operations", len(errs), len(want))
	}
	for i, w := range want {
		if (w == nil) != (errs[i] == nil) || w != nil && !errors.Is(errs[i], w) {
			t.Errorf("operation %d: %v, want %v", i, errs[i], w)
		}
	}
	if _, ok := m.objs["last"]; !ok {
		t.Error("the create done before the resource went down is not there")
	}
	if got := connector.Apply(t.Context(), m, nil); len(got) != 0 {
		t.Errorf("empty batch: %v", got)
	}
}

func TestIsBatchObjectError(t *testing.T) {
	for _, tt := range []struct {
		err  error
		want bool
	}{
		{memErrs.Object(connector.ErrNotFound, "update", "x", nil, ""), true},
		{memErrs.New(connector.ErrUnreachable, "update", nil, ""), false},
		{context.Canceled, false},
	} {
		if got := connector.IsBatchObjectError(tt.err); got != tt.want {
			t.Errorf("IsBatchObjectError(%v) = %v", tt.err, got)
		}
	}
}
