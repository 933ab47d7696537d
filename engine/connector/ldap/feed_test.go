package ldap_test

import (
	"slices"
	"strings"
	"testing"
	"time"

	goldap "github.com/go-ldap/ldap/v3"
	"github.com/syncline/syncline/engine/connector"
	"github.com/syncline/syncline/engine/connector/ldap"
	"github.com/syncline/syncline/engine/connector/ldap/ldaptest"
)

// controlRelax lets the administrator set modifyTimestamp, as a change
// replicated from a server whose clock is behind would have it.
const controlRelax = "1.3.6.1.4.1.4203.666.5.12"

// addAt adds an entry whose modifyTimestamp is ts.
func addAt(t *testing.T, srv *ldaptest.Server, base, uid string, ts time.Time) {
	t.Helper()
	req := goldap.NewAddRequest("uid="+uid+","+base, []goldap.Control{goldap.NewControlString(controlRelax, true, "")})
	req.Attribute("objectClass", []string{ldaptest.TestClass})
	req.Attribute("uid", []string{uid})
	req.Attribute("modifyTimestamp", []string{ts.UTC().Format("20060102150405Z")})
	if err := srv.Admin(t).Add(req); err != nil {
		t.Fatal(err)
	}
}

// modified returns the modifyTimestamp of the entry uid under base.
func modified(t *testing.T, srv *ldaptest.Server, base, uid string) time.Time {
	t.Helper()
	res, err := srv.Admin(t).Search(goldap.NewSearchRequest("uid="+uid+","+base, goldap.ScopeBaseObject, 0, 0, 0, false,
		"(objectClass=*)", []string{"modifyTimestamp"}, nil))
	if err != nil {
		t.Fatal(err)
	}
	ts, err := time.Parse("20060102150405Z", res.Entries[0].GetAttributeValue("modifyTimestamp"))
	if err != nil {
		t.Fatal(err)
	}
	return ts
}

func changes(t *testing.T, c *ldap.Connector, token string) ([]string, string) {
	t.Helper()
	var ids []string
	next, err := c.Changes(t.Context(), token, func(ch connector.Change) error {
		ids = append(ids, string(ch.Type)+" "+ch.ID)
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return ids, next
}

// TestFeedTimestamps: a change in the same second as the token's newest
// one, and one whose timestamp is late by less than the overlap, are each
// reported once; one later than the overlap is not (a reconciliation
// finds it).
func TestFeedTimestamps(t *testing.T) {
	t.Parallel()
	srv := ldaptest.Start(t)
	cfg := config(t, srv)
	cfg.FeedOverlap = 10 * time.Second
	c := open(t, cfg)
	if err := c.Create(t.Context(), obj("first")); err != nil {
		t.Fatal(err)
	}
	_, t0 := changes(t, c, "")
	at := modified(t, srv, cfg.BaseDN, "first")
	addAt(t, srv, cfg.BaseDN, "same-second", at)
	addAt(t, srv, cfg.BaseDN, "late", at.Add(-7*time.Second))
	addAt(t, srv, cfg.BaseDN, "too-late", at.Add(-time.Minute))
	got, t1 := changes(t, c, t0)
	var ids []string
	for _, ch := range got {
		typ, id, _ := strings.Cut(ch, " ")
		if typ != "create" && typ != "upsert" { // created after the token: the same second, or later
			t.Errorf("change %q, want a create or an upsert", ch)
		}
		ids = append(ids, id)
	}
	slices.Sort(ids)
	if want := []string{"late", "same-second"}; !slices.Equal(ids, want) {
		t.Errorf("changes %q, want %q", got, want)
	}
	if again, _ := changes(t, c, t1); len(again) != 0 {
		t.Errorf("the changes are reported again: %q", again)
	}
	if err := c.Update(t.Context(), "first", []connector.Modification{connector.Replace("sn", "S")}); err != nil {
		t.Fatal(err)
	}
	if got, _ := changes(t, c, t1); len(got) != 1 || !strings.HasSuffix(got[0], " first") {
		t.Errorf("after an update: %q, want first once", got)
	}
}

func TestFeedFromAnEmptyContainer(t *testing.T) {
	t.Parallel()
	srv := ldaptest.Start(t)
	c := open(t, config(t, srv))
	_, t0 := changes(t, c, "")
	if err := c.Create(t.Context(), obj("new")); err != nil {
		t.Fatal(err)
	}
	if got, _ := changes(t, c, t0); !slices.Equal(got, []string{"create new"}) {
		t.Errorf("changes %q, want the create", got)
	}
	_, err := c.Changes(t.Context(), "ldap1:not-base64!", func(connector.Change) error { return nil })
	wantErr(t, "a malformed token", err, connector.ErrInvalidToken)
}
