package ldap_test

import (
	"fmt"
	"testing"

	"github.com/syncline/syncline/engine/connector"
	"github.com/syncline/syncline/engine/connector/connectortest"
	"github.com/syncline/syncline/engine/connector/ldap"
	"github.com/syncline/syncline/engine/connector/ldap/ldaptest"
)

// searchIDs runs Search and returns the identifiers read, failing t on
// an error.
func searchIDs(t *testing.T, c *ldap.Connector, size int) []string {
	t.Helper()
	var ids []string
	for o, err := range c.Search(t.Context(), connector.Query{PageSize: size}) {
		if err != nil {
			t.Fatalf("search: %v", err)
		}
		ids = append(ids, o.ID)
	}
	return ids
}

// TestSearchReaderConnections: the search reader's own connection is
// dialled as the shared one is — ldaps://, StartTLS, anonymous — and
// reads every page.
func TestSearchReaderConnections(t *testing.T) {
	t.Parallel()
	srv := ldaptest.Start(t)
	base := srv.NewContainer(t, "sr")
	var objs []connector.Object
	for i := range 25 {
		objs = append(objs, obj(fmt.Sprintf("s%02d", i)))
	}
	seed(t, srv, base, objs)
	admin := ldap.Config{BindDN: ldaptest.RootDN, BindPassword: ldaptest.RootPassword, BaseDN: base, Identifier: "uid",
		ObjectClasses: []string{ldaptest.TestClass}}
	tests := []struct {
		name string
		edit func(*ldap.Config)
	}{
		{"plain", func(c *ldap.Config) { c.URL = srv.URL }},
		{"ldaps", func(c *ldap.Config) { c.URL, c.CAFile = srv.LDAPSURL, srv.CAFile }},
		{"StartTLS", func(c *ldap.Config) { c.URL, c.StartTLS, c.CAFile = srv.URL, true, srv.CAFile }},
		{"anonymous", func(c *ldap.Config) { c.URL, c.BindDN, c.BindPassword = srv.URL, "", "" }},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			cfg := admin
			tt.edit(&cfg)
			c := open(t, cfg)
			for round := range 2 { // the second search reuses the connection
				if got := searchIDs(t, c, 10); len(got) != len(objs) {
					t.Fatalf("round %d: %d objects, want %d", round, len(got), len(objs))
				}
			}
		})
	}
}

// TestSearchReaderRedialsADroppedIdleConnection: a search connection the
// server dropped while it was idle is replaced by a new one, unnoticed.
func TestSearchReaderRedialsADroppedIdleConnection(t *testing.T) {
	t.Parallel()
	srv := ldaptest.Start(t)
	cfg := config(t, srv)
	seed(t, srv, cfg.BaseDN, []connector.Object{obj("a"), obj("b"), obj("c")})
	proxy := connectortest.NewProxy(t, srv.Addr)
	cfg.URL = "ldap://" + proxy.Addr()
	c := open(t, cfg)
	if got := searchIDs(t, c, 2); len(got) != 3 {
		t.Fatalf("%d objects, want 3", len(got))
	}
	proxy.Drop()
	if got := searchIDs(t, c, 2); len(got) != 3 {
		t.Fatalf("after the drop: %d objects, want 3", len(got))
	}
}

// TestSearchReaderBreakKeepsTheConnectionUsable: breaking out abandons
// the paged search, and the next search on the kept connection reads
// everything.
func TestSearchReaderBreakKeepsTheConnectionUsable(t *testing.T) {
	t.Parallel()
	srv := ldaptest.Start(t)
	cfg := config(t, srv)
	var objs []connector.Object
	for i := range 12 {
		objs = append(objs, obj(fmt.Sprintf("k%02d", i)))
	}
	seed(t, srv, cfg.BaseDN, objs)
	c := open(t, cfg)
	for range c.Search(t.Context(), connector.Query{PageSize: 5}) {
		break
	}
	if got := searchIDs(t, c, 5); len(got) != len(objs) {
		t.Fatalf("%d objects after a break, want %d", len(got), len(objs))
	}
}
