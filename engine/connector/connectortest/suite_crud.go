package connectortest

import (
	"slices"
	"testing"

	"github.com/syncline/syncline/engine/connector"
)

func testCapabilities(t *testing.T, s *suite) {
	c := s.c.Capabilities()
	if !c.Read || !c.Create || !c.Update || !c.Delete {
		t.Fatalf("capabilities %q: the suite needs read, create, update and delete", c)
	}
	if c.LiveSyncDeletes && !c.LiveSync {
		t.Errorf("capabilities %q: deletions in a feed that does not exist", c)
	}
}

func testConnectionTest(t *testing.T, s *suite) {
	s.create(t, object("a", AttrGiven, "Ann"), object("b", AttrGiven, "Bob"))
	res, err := s.c.Test(s.ctx)
	if err != nil {
		t.Fatal(err)
	}
	if res.Objects != 2 || res.ProblemCount != 0 {
		t.Errorf("Test found %d objects and %d problems %v, want 2 and none", res.Objects, res.ProblemCount, res.Problems)
	}
	if res.Identifier != AttrID || res.ObjectClass == "" || res.Location == "" || res.Connector == "" {
		t.Errorf("Test = %+v: want identifier %q, an object class, a location and a connector", res, AttrID)
	}
	var names []string
	for _, a := range res.Attributes {
		names = append(names, a.Name)
	}
	for _, want := range Standard.Attributes {
		if !slices.Contains(names, want) {
			t.Errorf("Test attributes %q lack %q", names, want)
		}
	}
}

func testCreateGet(t *testing.T, s *suite) {
	objs := []connector.Object{
		object("jnovacek", AttrGiven, "Jiří", AttrFamily, "Nováček", AttrMail, "jiri@example.com"),
		object("asvobodova", AttrGiven, "Anna", AttrFamily, "Svobodová"),
		object("minimal"),
	}
	s.create(t, objs...)
	for _, o := range objs {
		s.get(t, o)
	}
	// The identifier may be left out of the attributes: it is filled in.
	s.create(t, connector.Object{ID: "implicit", Attributes: connector.Attributes{AttrMail: {"i@example.com"}}})
	s.get(t, object("implicit", AttrMail, "i@example.com"))
}

func testCreateCollision(t *testing.T, s *suite) {
	orig := object("dup", AttrGiven, "First")
	s.create(t, orig)
	err := s.c.Create(s.ctx, object("dup", AttrGiven, "Second"))
	s.wantKind(t, "second Create", err, connector.ErrAlreadyExists)
	s.get(t, orig)
	if n := len(s.search(t, connector.Query{})); n != 1 {
		t.Errorf("after a refused create, %d objects, want 1", n)
	}
	err = s.c.Create(s.ctx, connector.Object{ID: "x", Attributes: connector.Attributes{AttrID: {"y"}}})
	s.wantKind(t, "Create with a different identifier attribute", err, connector.ErrInvalidObject)
	err = s.c.Create(s.ctx, connector.Object{Attributes: connector.Attributes{AttrGiven: {"No ID"}}})
	s.wantKind(t, "Create without identifier", err, connector.ErrInvalidObject)
}

func testNotFound(t *testing.T, s *suite) {
	s.create(t, object("present"))
	_, err := s.c.Get(s.ctx, "absent")
	s.wantKind(t, "Get", err, connector.ErrNotFound)
	s.wantKind(t, "Update", s.c.Update(s.ctx, "absent", []connector.Modification{connector.Replace(AttrMail, "x")}), connector.ErrNotFound)
	s.wantKind(t, "Delete", s.c.Delete(s.ctx, "absent"), connector.ErrNotFound)
	s.get(t, object("present"))
}

func testUpdate(t *testing.T, s *suite) {
	s.create(t, object("u1", AttrGiven, "Jan", AttrFamily, "Novák", AttrMail, "old@example.com"), object("u2", AttrGiven, "Other"))
	steps := []struct {
		mod  connector.Modification
		want connector.Object
	}{
		{connector.Replace(AttrMail, "new@example.com"), object("u1", AttrGiven, "Jan", AttrFamily, "Novák", AttrMail, "new@example.com")},
		{connector.Add(AttrNote, "added"), object("u1", AttrGiven, "Jan", AttrFamily, "Novák", AttrMail, "new@example.com", AttrNote, "added")},
		{connector.Remove(AttrNote, "not there"), object("u1", AttrGiven, "Jan", AttrFamily, "Novák", AttrMail, "new@example.com", AttrNote, "added")},
		{connector.Remove(AttrNote, "added"), object("u1", AttrGiven, "Jan", AttrFamily, "Novák", AttrMail, "new@example.com")},
		{connector.Replace(AttrFamily), object("u1", AttrGiven, "Jan", AttrMail, "new@example.com")},
		{connector.Add(AttrGiven, "Jan"), object("u1", AttrGiven, "Jan", AttrMail, "new@example.com")},
		{connector.Replace(AttrID, "u1"), object("u1", AttrGiven, "Jan", AttrMail, "new@example.com")},
	}
	for _, st := range steps {
		if err := s.c.Update(s.ctx, "u1", []connector.Modification{st.mod}); err != nil {
			t.Fatalf("Update %v: %v", st.mod, err)
		}
		s.get(t, st.want)
	}
	// Several modifications at once, then the untouched neighbour.
	mods := []connector.Modification{connector.Replace(AttrGiven, "Johann"), connector.Add(AttrFamily, "Neumann")}
	if err := s.c.Update(s.ctx, "u1", mods); err != nil {
		t.Fatal(err)
	}
	s.get(t, object("u1", AttrGiven, "Johann", AttrFamily, "Neumann", AttrMail, "new@example.com"))
	s.get(t, object("u2", AttrGiven, "Other"))
}

func testUpdateRefused(t *testing.T, s *suite) {
	orig := object("r1", AttrGiven, "Eva", AttrMail, "eva@example.com")
	s.create(t, orig)
	refused := map[string][]connector.Modification{
		"unknown attribute":   {connector.Replace(AttrMail, "changed@example.com"), connector.Replace("no such attribute", "x")},
		"identifier change":   {connector.Replace(AttrID, "r2")},
		"unknown operation":   {{Op: "frobnicate", Attribute: AttrMail, Values: []string{"x"}}},
		"identifier removed":  {connector.Remove(AttrID, "r1")},
		"identifier replaced": {connector.Replace(AttrID)},
	}
	if !s.c.Capabilities().MultiValued {
		refused["second value"] = []connector.Modification{connector.Add(AttrGiven, "Marie")}
		refused["two values"] = []connector.Modification{connector.Replace(AttrMail, "a@example.com", "b@example.com")}
	}
	for name, mods := range refused {
		s.wantKind(t, name, s.c.Update(s.ctx, "r1", mods), connector.ErrInvalidObject)
		s.get(t, orig) // nothing of a refused update is written
	}
	err := s.c.Create(s.ctx, object("r3", "no such attribute", "x"))
	s.wantKind(t, "Create with an unknown attribute", err, connector.ErrInvalidObject)
	if !s.c.Capabilities().MultiValued {
		s.wantKind(t, "Create with two values", s.c.Create(s.ctx, object("r4", AttrMail, "a", AttrMail, "b")), connector.ErrInvalidObject)
	}
	_, err = s.c.Get(s.ctx, "r3")
	s.wantKind(t, "Get after refused create", err, connector.ErrNotFound)
}

func testMultiValued(t *testing.T, s *suite) {
	if !s.c.Capabilities().MultiValued {
		t.Skip("single-valued attributes only")
	}
	s.create(t, object("m1", AttrGroups, "staff", AttrGroups, "vpn"))
	s.get(t, object("m1", AttrGroups, "staff", AttrGroups, "vpn"))
	steps := []struct {
		mod  connector.Modification
		want []string
	}{
		{connector.Add(AttrGroups, "vpn", "wiki"), []string{"staff", "vpn", "wiki"}},
		{connector.Remove(AttrGroups, "staff"), []string{"vpn", "wiki"}},
		{connector.Replace(AttrGroups, "a", "b", "a"), []string{"a", "b"}},
		{connector.Replace(AttrGroups), nil},
	}
	for _, st := range steps {
		if err := s.c.Update(s.ctx, "m1", []connector.Modification{st.mod}); err != nil {
			t.Fatalf("Update %v: %v", st.mod, err)
		}
		want := object("m1")
		want.Attributes[AttrGroups] = st.want
		s.get(t, want)
	}
}

func testDelete(t *testing.T, s *suite) {
	s.create(t, object("d1", AttrGiven, "Gone"), object("d2", AttrGiven, "Stays"), object("d3"))
	if err := s.c.Delete(s.ctx, "d1"); err != nil {
		t.Fatal(err)
	}
	_, err := s.c.Get(s.ctx, "d1")
	s.wantKind(t, "Get after Delete", err, connector.ErrNotFound)
	s.wantKind(t, "second Delete", s.c.Delete(s.ctx, "d1"), connector.ErrNotFound)
	var ids []string
	for _, o := range s.search(t, connector.Query{}) {
		ids = append(ids, o.ID)
	}
	slices.Sort(ids)
	if !slices.Equal(ids, []string{"d2", "d3"}) {
		t.Errorf("after Delete, search finds %q, want d2 and d3", ids)
	}
	s.create(t, object("d1", AttrGiven, "Back"))
	s.get(t, object("d1", AttrGiven, "Back"))
}

func testEmptyValues(t *testing.T, s *suite) {
	s.create(t, connector.Object{ID: "e1", Attributes: connector.Attributes{AttrGiven: {""}, AttrMail: nil, AttrFamily: {"Set"}}})
	s.get(t, object("e1", AttrFamily, "Set"))
	if err := s.c.Update(s.ctx, "e1", []connector.Modification{connector.Replace(AttrFamily, "")}); err != nil {
		t.Fatal(err)
	}
	s.get(t, object("e1"))
}

func testObjectClass(t *testing.T, s *suite) {
	s.create(t, object("o1"))
	for obj, err := range s.c.Search(s.ctx, connector.Query{ObjectClass: "no-such-class"}) {
		s.wantKind(t, "Search of an unknown object class", err, connector.ErrSchema)
		if err == nil {
			t.Errorf("unknown object class gave object %q", obj.ID)
		}
	}
	res, err := s.c.Test(s.ctx)
	if err != nil {
		t.Fatal(err)
	}
	if n := len(s.search(t, connector.Query{ObjectClass: res.ObjectClass})); n != 1 {
		t.Errorf("search of class %q found %d objects, want 1", res.ObjectClass, n)
	}
}

// testRename: a connector that says it renames gives an object a new
// identifier and keeps its other attributes; a taken identifier is
// ErrAlreadyExists and changes nothing; a missing object is ErrNotFound.
// A connector without the capability is not asked.
func testRename(t *testing.T, s *suite) {
	if !s.c.Capabilities().Rename {
		t.Skip("the connector does not rename")
	}
	rn, ok := s.c.(connector.Renamer)
	if !ok {
		t.Fatal("Capabilities says rename, but the connector has no Rename")
	}
	s.create(t, object("old", AttrGiven, "Jiří", AttrMail, "j@example.com"), object("taken", AttrGiven, "Other"))
	if err := rn.Rename(s.ctx, "old", "new"); err != nil {
		t.Fatal(err)
	}
	s.get(t, object("new", AttrGiven, "Jiří", AttrMail, "j@example.com"))
	_, err := s.c.Get(s.ctx, "old")
	s.wantKind(t, "Get of the old identifier", err, connector.ErrNotFound)

	s.wantKind(t, "Rename onto a taken identifier", rn.Rename(s.ctx, "new", "taken"), connector.ErrAlreadyExists)
	s.get(t, object("new", AttrGiven, "Jiří", AttrMail, "j@example.com"))
	s.get(t, object("taken", AttrGiven, "Other"))
	s.wantKind(t, "Rename of a missing object", rn.Rename(s.ctx, "absent", "x"), connector.ErrNotFound)

	// The new identifier may need escaping: ordinary characters a login
	// can hold.
	if err := rn.Rename(s.ctx, "new", "jiří.nováček+1"); err != nil {
		t.Fatal(err)
	}
	s.get(t, object("jiří.nováček+1", AttrGiven, "Jiří", AttrMail, "j@example.com"))
	if n := len(s.search(t, connector.Query{})); n != 2 {
		t.Errorf("after the renames, %d objects, want 2", n)
	}
}
