package connectortest

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"testing"

	"github.com/syncline/syncline/engine/connector"
)

// batcher returns the suite's connector as a Batcher, skipping t when the
// connector does not say it batches.
func (s *suite) batcher(t *testing.T) connector.Batcher {
	t.Helper()
	if !s.c.Capabilities().Batch {
		t.Skip("the connector does not batch")
	}
	b, ok := s.c.(connector.Batcher)
	if !ok {
		t.Fatal("Capabilities says batch, but the connector has no Apply")
	}
	return b
}

// wantResults checks one result per operation: nil where want is nil,
// else an error of that kind naming the resource.
func (s *suite) wantResults(t *testing.T, got []error, want []error) {
	t.Helper()
	if len(got) != len(want) {
		t.Fatalf("Apply returned %d results for %d operations: %v", len(got), len(want), got)
	}
	for i, w := range want {
		switch {
		case w == nil && got[i] != nil:
			t.Errorf("operation %d: %v, want success", i, got[i])
		case w != nil:
			s.wantKind(t, fmt.Sprintf("operation %d", i), got[i], w)
		}
	}
}

// ids returns the sorted identifiers a search finds.
func (s *suite) ids(t *testing.T) []string {
	t.Helper()
	var out []string
	for _, o := range s.search(t, connector.Query{}) {
		out = append(out, o.ID)
	}
	slices.Sort(out)
	return out
}

func (s *suite) wantIDs(t *testing.T, want ...string) {
	t.Helper()
	slices.Sort(want)
	if got := s.ids(t); !slices.Equal(got, want) {
		t.Errorf("the resource holds %q, want %q", got, want)
	}
}

// testBatchMixed: creates, updates, deletes and a rename in one batch, all
// done and read back.
func testBatchMixed(t *testing.T, s *suite) {
	b := s.batcher(t)
	s.seed(t, []connector.Object{object("u1", AttrGiven, "Old"), object("u2"), object("d1"), object("r1", AttrMail, "r@example.com")})
	ops := []connector.Operation{
		connector.CreateOp(object("c1", AttrGiven, "Jiří", AttrFamily, "Nováček")),
		connector.UpdateOp("u1", connector.Replace(AttrGiven, "New"), connector.Replace(AttrNote, `it's "quoted"`)),
		connector.DeleteOp("d1"),
		connector.CreateOp(object("c2", AttrMail, "c2@example.com")),
		connector.UpdateOp("u2", connector.Add(AttrFamily, "Added")),
	}
	want := []string{"c1", "c2", "u1", "u2"}
	if s.c.Capabilities().Rename {
		ops = append(ops, connector.RenameOp("r1", "r2"))
		want = append(want, "r2")
	} else {
		want = append(want, "r1")
	}
	s.wantResults(t, b.Apply(s.ctx, ops), make([]error, len(ops)))
	s.wantIDs(t, want...)
	s.get(t, object("c1", AttrGiven, "Jiří", AttrFamily, "Nováček"))
	s.get(t, object("c2", AttrMail, "c2@example.com"))
	s.get(t, object("u1", AttrGiven, "New", AttrNote, `it's "quoted"`))
	s.get(t, object("u2", AttrFamily, "Added"))
	if s.c.Capabilities().Rename {
		s.get(t, object("r2", AttrMail, "r@example.com"))
	}
}

// testBatchBadRows: bad operations among good ones are reported at their
// index, and every good one is done.
func testBatchBadRows(t *testing.T, s *suite) {
	b := s.batcher(t)
	s.seed(t, []connector.Object{object("x1", AttrGiven, "Existing"), object("keep")})
	ops := []connector.Operation{
		connector.CreateOp(object("a1", AttrGiven, "One")),
		connector.CreateOp(object("x1", AttrGiven, "Duplicate")),
		connector.UpdateOp("missing", connector.Replace(AttrGiven, "x")),
		connector.CreateOp(object("a2")),
		connector.DeleteOp("missing too"),
		connector.CreateOp(object("a1", AttrGiven, "Twice in the batch")),
		connector.CreateOp(object("a3", "no such attribute", "x")),
		connector.UpdateOp("a2", connector.Replace(AttrMail, "a2@example.com")),
		connector.UpdateOp("keep", connector.Replace(AttrGiven, "one", "two")),
		connector.DeleteOp("x1"),
	}
	want := []error{nil, connector.ErrAlreadyExists, connector.ErrNotFound, nil, connector.ErrNotFound,
		connector.ErrAlreadyExists, connector.ErrInvalidObject, nil, nil, nil}
	if s.c.Capabilities().MultiValued {
		ops[8] = connector.UpdateOp("keep", connector.Replace(AttrGiven, "one"))
	} else {
		want[8] = connector.ErrInvalidObject
	}
	s.wantResults(t, b.Apply(s.ctx, ops), want)
	s.wantIDs(t, "a1", "a2", "keep")
	s.get(t, object("a1", AttrGiven, "One"))
	s.get(t, object("a2", AttrMail, "a2@example.com"))
}

// testBatchEmpty: an empty batch does nothing and returns no results.
func testBatchEmpty(t *testing.T, s *suite) {
	b := s.batcher(t)
	s.seed(t, []connector.Object{object("e1")})
	if got := b.Apply(s.ctx, nil); len(got) != 0 {
		t.Errorf("Apply(nil) = %v, want no results", got)
	}
	if got := b.Apply(s.ctx, []connector.Operation{}); len(got) != 0 {
		t.Errorf("Apply of an empty batch = %v, want no results", got)
	}
	s.wantIDs(t, "e1")
}

// testBatchSameIdentifier: operations on one identifier take effect in
// order, each seeing those before it.
func testBatchSameIdentifier(t *testing.T, s *suite) {
	b := s.batcher(t)
	s.seed(t, []connector.Object{object("z")})
	ops := []connector.Operation{
		connector.CreateOp(object("s1", AttrGiven, "A")),
		connector.UpdateOp("s1", connector.Replace(AttrGiven, "B")),
		connector.UpdateOp("s1", connector.Replace(AttrMail, "s1@example.com")),
		connector.DeleteOp("z"),
		connector.CreateOp(object("z", AttrGiven, "Again")),
		connector.CreateOp(object("gone")),
		connector.DeleteOp("gone"),
		connector.UpdateOp("gone", connector.Replace(AttrGiven, "x")),
	}
	want := []error{nil, nil, nil, nil, nil, nil, nil, connector.ErrNotFound}
	ids := []string{"s1", "z"}
	if s.c.Capabilities().Rename {
		ops = append(ops,
			connector.RenameOp("s1", "s2"),
			connector.UpdateOp("s2", connector.Replace(AttrFamily, "Renamed")),
			connector.CreateOp(object("s1", AttrGiven, "New s1")),
			connector.RenameOp("s2", "z"))
		want = append(want, nil, nil, nil, connector.ErrAlreadyExists)
		ids = []string{"s1", "s2", "z"}
	}
	s.wantResults(t, b.Apply(s.ctx, ops), want)
	s.wantIDs(t, ids...)
	s.get(t, object("z", AttrGiven, "Again"))
	if s.c.Capabilities().Rename {
		s.get(t, object("s2", AttrGiven, "B", AttrMail, "s1@example.com", AttrFamily, "Renamed"))
		s.get(t, object("s1", AttrGiven, "New s1"))
	} else {
		s.get(t, object("s1", AttrGiven, "B", AttrMail, "s1@example.com"))
	}
}

// testBatchLarge: thousands of operations, beyond what one statement
// holds, with one bad row deep inside.
func testBatchLarge(t *testing.T, s *suite) {
	b := s.batcher(t)
	const n = 3000
	s.seed(t, []connector.Object{object("obj01700")})
	var ops []connector.Operation
	for i := range n {
		ops = append(ops, connector.CreateOp(object(fmt.Sprintf("obj%05d", i), AttrGiven, fmt.Sprintf("Given %d", i), AttrMail, "m@example.com")))
	}
	want := make([]error, n)
	want[1700] = connector.ErrAlreadyExists
	s.wantResults(t, b.Apply(s.ctx, ops), want)
	ops = ops[:0]
	for i := range n {
		id := fmt.Sprintf("obj%05d", i)
		if i%2 == 0 {
			ops = append(ops, connector.UpdateOp(id, connector.Replace(AttrFamily, "Even")))
		} else {
			ops = append(ops, connector.DeleteOp(id))
		}
	}
	s.wantResults(t, b.Apply(s.ctx, ops), make([]error, n))
	got := s.search(t, connector.Query{})
	if len(got) != n/2 {
		t.Fatalf("after the updates and deletes, %d objects, want %d", len(got), n/2)
	}
	for _, o := range got {
		if o.Attributes.First(AttrFamily) != "Even" {
			t.Fatalf("object %q was not updated: %q", o.ID, o.Attributes)
		}
	}
}

// testBatchDropped: the connection drops in the middle of a batch. Every
// operation reported done is done; every one not done is reported
// unreachable (a write may be done and reported unreachable only when the
// drop hides a commit's outcome).
func testBatchDropped(t *testing.T, s *suite) {
	s.batcher(t)
	if s.h.Proxied == nil {
		t.Skip("the resource has no server to cut off")
	}
	through, direct, p := s.h.Proxied(t, Standard)
	t.Cleanup(func() { through.Close(); direct.Close() })
	// Seen with the suite's attribute names, as New's connectors are.
	through, direct = rename(through, s.h.Names), rename(direct, s.h.Names)
	b, ok := through.(connector.Batcher)
	if !ok {
		t.Fatal("the proxied connector has no Apply")
	}
	const n = 2000
	var ops []connector.Operation
	for i := range n {
		ops = append(ops, connector.CreateOp(object(fmt.Sprintf("drop%05d", i), AttrGiven, fmt.Sprintf("A name long enough to fill the wire %d", i))))
	}
	p.CutAfter(8 << 10)
	errs := b.Apply(s.ctx, ops)
	if len(errs) != n {
		t.Fatalf("Apply returned %d results for %d operations", len(errs), n)
	}
	unreachable := 0
	for i, err := range errs {
		id := ops[i].Target()
		_, getErr := direct.Get(s.ctx, id)
		switch {
		case err == nil && getErr != nil:
			t.Fatalf("operation %d reported done, but reading %q back: %v", i, id, getErr)
		case err != nil && !errors.Is(err, connector.ErrUnreachable):
			t.Fatalf("operation %d: %v, want unreachable", i, err)
		case err != nil:
			unreachable++
		}
	}
	if unreachable == 0 {
		t.Error("every operation succeeded through a proxy cut mid-batch")
	}
}

// testBatchCanceled: a batch under an ended context does nothing and says
// so for every operation, with the context's error.
func testBatchCanceled(t *testing.T, s *suite) {
	b := s.batcher(t)
	s.seed(t, []connector.Object{object("k1")})
	ctx, cancel := context.WithCancel(s.ctx)
	cancel()
	ops := []connector.Operation{connector.CreateOp(object("n1")), connector.DeleteOp("k1"), connector.UpdateOp("k1", connector.Replace(AttrGiven, "x"))}
	errs := b.Apply(ctx, ops)
	if len(errs) != len(ops) {
		t.Fatalf("Apply returned %d results for %d operations", len(errs), len(ops))
	}
	for i, err := range errs {
		if !errors.Is(err, context.Canceled) {
			t.Errorf("operation %d under a canceled context: %v, want context.Canceled", i, err)
		}
	}
	s.wantIDs(t, "k1")
	s.get(t, object("k1"))
}
