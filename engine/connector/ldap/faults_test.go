package ldap_test

import (
	"fmt"
	"testing"

	"github.com/syncline/syncline/engine/connector"
	"github.com/syncline/syncline/engine/connector/connectortest"
	"github.com/syncline/syncline/engine/connector/ldap"
	"github.com/syncline/syncline/engine/connector/ldap/ldaptest"
)

// TestStoppedServer: while the server is down every operation is
// ErrUnreachable — the kind on which the synchronization engine keeps
// pending operations and retries them — and once it is back the same
// connector dials again and works.
func TestStoppedServer(t *testing.T) {
	t.Parallel()
	srv := ldaptest.Start(t)
	cfg := config(t, srv)
	c := open(t, cfg)
	ctx := t.Context()
	if err := c.Create(ctx, obj("s1", "givenName", "Before")); err != nil {
		t.Fatal(err)
	}
	srv.Stop()
	ops := map[string]func() error{
		"get":    func() error { _, err := c.Get(ctx, "s1"); return err },
		"create": func() error { return c.Create(ctx, obj("s2")) },
		"update": func() error {
			return c.Update(ctx, "s1", []connector.Modification{connector.Replace("givenName", "During")})
		},
		"delete": func() error { return c.Delete(ctx, "s1") },
		"test":   func() error { _, err := c.Test(ctx); return err },
		"search": func() error {
			for _, err := range c.Search(ctx, connector.Query{}) {
				return err
			}
			return nil
		},
		"changes": func() error { _, err := c.Changes(ctx, "", func(connector.Change) error { return nil }); return err },
		"open":    func() error { _, err := ldap.New(ctx, "dir", cfg); return err },
	}
	for name, op := range ops {
		wantErr(t, name+" while the server is stopped", op(), connector.ErrUnreachable, "connection refused", "Pending changes are kept")
	}
	srv.Start(t)
	if err := c.Update(ctx, "s1", []connector.Modification{connector.Replace("givenName", "After")}); err != nil {
		t.Fatalf("Update after the server is back: %v", err)
	}
	got, err := c.Get(ctx, "s1")
	if err != nil || got.Attributes.First("givenName") != "After" {
		t.Errorf("Get after the server is back: %v, %v", got, err)
	}
}

// TestDroppedConnectionMidSearch cuts the connection between two pages: the
// search ends with ErrUnreachable instead of looking complete.
func TestDroppedConnectionMidSearch(t *testing.T) {
	t.Parallel()
	srv := ldaptest.Start(t)
	cfg := config(t, srv)
	var objs []connector.Object
	for i := range 50 {
		objs = append(objs, obj(fmt.Sprintf("d%02d", i)))
	}
	seed(t, srv, cfg.BaseDN, objs)
	proxy := connectortest.NewProxy(t, srv.Addr)
	cfg.URL = "ldap://" + proxy.Addr()
	c := open(t, cfg)
	count := 0
	var last error
	for _, err := range c.Search(t.Context(), connector.Query{PageSize: 10}) {
		if err != nil {
			last = err
			break
		}
		if count++; count == 15 {
			proxy.Cut()
		}
	}
	if count != 20 {
		t.Errorf("%d objects before the error, want the two pages read (20)", count)
	}
	wantErr(t, "search over a cut connection", last, connector.ErrUnreachable)
}
