package connectortest

import (
	"context"
	"errors"
	"fmt"
	"testing"

	"github.com/syncline/syncline/engine/connector"
)

// numbered returns n objects with identifiers p00000, p00001, …
func numbered(n int) []connector.Object {
	out := make([]connector.Object, n)
	for i := range out {
		id := fmt.Sprintf("p%05d", i)
		out[i] = object(id, AttrGiven, fmt.Sprintf("Given %d", i), AttrMail, id+"@example.com")
	}
	return out
}

func testPaging(t *testing.T, s *suite) {
	const n = 3000
	objs := numbered(n)
	s.seed(t, objs)
	for _, size := range []int{500, 7, n, 0} {
		seen := map[string]connector.Object{}
		for _, o := range s.search(t, connector.Query{PageSize: size}) {
			if _, dup := seen[o.ID]; dup {
				t.Fatalf("page size %d: %q returned twice", size, o.ID)
			}
			seen[o.ID] = o
		}
		if len(seen) != n {
			t.Fatalf("page size %d: %d objects, want %d", size, len(seen), n)
		}
		for _, want := range []connector.Object{objs[0], objs[499], objs[500], objs[n-1]} {
			checkObject(t, seen[want.ID], want)
		}
	}
	res, err := s.c.Test(s.ctx)
	if err != nil || res.Objects != n {
		t.Errorf("Test after seeding: %v objects, err %v; want %d", res, err, n)
	}
}

func testBreakAndCancel(t *testing.T, s *suite) {
	s.seed(t, numbered(1200))
	count := 0
	for _, err := range s.c.Search(s.ctx, connector.Query{PageSize: 100}) {
		if err != nil {
			t.Fatal(err)
		}
		if count++; count == 10 {
			break
		}
	}
	// What the broken-off search held is released: everything still works.
	s.get(t, numbered(1)[0])
	if n := len(s.search(t, connector.Query{PageSize: 500})); n != 1200 {
		t.Errorf("search after a break found %d, want 1200", n)
	}
	ctx, cancel := context.WithCancel(s.ctx)
	count = 0
	var last error
	for _, err := range s.c.Search(ctx, connector.Query{PageSize: 100}) {
		if err != nil {
			last = err
			break
		}
		if count++; count == 150 {
			cancel()
		}
	}
	cancel()
	if !errors.Is(last, context.Canceled) || count >= 1200 {
		t.Errorf("canceled search: %d objects, then %v; want it to stop with context.Canceled", count, last)
	}
}

func testWriteWhileSearching(t *testing.T, s *suite) {
	objs := numbered(1200)
	s.seed(t, objs)
	seen := map[string]bool{}
	for o, err := range s.c.Search(s.ctx, connector.Query{PageSize: 500}) {
		if err != nil {
			t.Fatal(err)
		}
		if seen[o.ID] {
			t.Fatalf("%q returned twice", o.ID)
		}
		seen[o.ID] = true
		if len(seen)%100 == 1 {
			if err := s.c.Update(s.ctx, o.ID, []connector.Modification{connector.Replace(AttrNote, "touched")}); err != nil {
				t.Fatalf("Update during search: %v", err)
			}
		}
	}
	if len(seen) != len(objs) {
		t.Errorf("search with writes found %d objects, want %d", len(seen), len(objs))
	}
	want := object(objs[0].ID, AttrGiven, "Given 0", AttrMail, objs[0].ID+"@example.com", AttrNote, "touched")
	s.get(t, want)
}
