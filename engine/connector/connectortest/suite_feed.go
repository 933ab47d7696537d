package connectortest

import (
	"slices"
	"testing"

	"github.com/syncline/syncline/engine/connector"
)

// changes reads the feed from token and returns the changes and the next
// token.
func (s *suite) changes(t *testing.T, feed connector.ChangeFeed, token string) ([]connector.Change, string) {
	t.Helper()
	var out []connector.Change
	next, err := feed.Changes(s.ctx, token, func(c connector.Change) error {
		out = append(out, c)
		return nil
	})
	if err != nil {
		t.Fatalf("Changes(%q): %v", token, err)
	}
	return out, next
}

func testChangeFeed(t *testing.T, s *suite) {
	caps := s.c.Capabilities()
	feed, err := connector.Feed(s.c)
	if !caps.LiveSync {
		s.wantKind(t, "Feed without live sync", err, connector.ErrUnsupported)
		t.Skip("no change feed")
	}
	if err != nil {
		t.Fatal(err)
	}
	s.create(t, object("fa", AttrGiven, "A"), object("fb", AttrGiven, "B"), object("fc", AttrGiven, "C"))
	got, t0 := s.changes(t, feed, "")
	if len(got) != 0 || t0 == "" {
		t.Fatalf("first Changes: %d changes and token %q; want none and a token", len(got), t0)
	}
	if err := s.c.Update(s.ctx, "fa", []connector.Modification{connector.Replace(AttrMail, "a@example.com")}); err != nil {
		t.Fatal(err)
	}
	s.create(t, object("fd", AttrGiven, "D"))
	if err := s.c.Delete(s.ctx, "fb"); err != nil {
		t.Fatal(err)
	}
	want := map[string][]connector.ChangeType{
		"fa": {connector.ChangeUpdate, connector.ChangeUpsert},
		"fd": {connector.ChangeCreate, connector.ChangeUpsert},
	}
	if caps.LiveSyncDeletes {
		want["fb"] = []connector.ChangeType{connector.ChangeDelete}
	}
	got, t1 := s.changes(t, feed, t0)
	checkChanges(t, got, want)
	for _, c := range got {
		if c.ID == "fa" {
			checkObject(t, c.Object, object("fa", AttrGiven, "A", AttrMail, "a@example.com"))
		}
	}
	again, _ := s.changes(t, feed, t0) // the same token gives the same changes
	checkChanges(t, again, want)
	if rest, _ := s.changes(t, feed, t1); len(rest) != 0 {
		t.Errorf("Changes after the newest token: %v, want none", rest)
	}
	if tok := got[0].Token; tok != "" {
		rest, _ := s.changes(t, feed, tok)
		if len(rest) != len(got)-1 {
			t.Errorf("Changes from the first change's token: %d changes, want %d", len(rest), len(got)-1)
		}
	}
	_, err = feed.Changes(s.ctx, "garbage", func(connector.Change) error { return nil })
	s.wantKind(t, "Changes with a malformed token", err, connector.ErrInvalidToken)
}

func checkChanges(t *testing.T, got []connector.Change, want map[string][]connector.ChangeType) {
	t.Helper()
	if len(got) != len(want) {
		t.Errorf("changes %v, want %d of them (%v)", got, len(want), want)
	}
	for _, c := range got {
		types, ok := want[c.ID]
		if !ok || !slices.Contains(types, c.Type) {
			t.Errorf("change %s %q, want one of %v for it", c.Type, c.ID, types)
		}
	}
}
