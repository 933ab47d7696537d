package ldap_test

import (
	"testing"

	goldap "github.com/go-ldap/ldap/v3"
	"github.com/syncline/syncline/engine/connector"
	"github.com/syncline/syncline/engine/connector/connectortest"
	"github.com/syncline/syncline/engine/connector/ldap"
	"github.com/syncline/syncline/engine/connector/ldap/ldaptest"
)

// suiteNames maps the conformance suite's attribute names to attributes of
// ldaptest.TestClass.
var suiteNames = map[string]string{
	connectortest.AttrID:     "uid",
	connectortest.AttrGiven:  "givenName",
	connectortest.AttrFamily: "sn",
	connectortest.AttrMail:   "mail",
	connectortest.AttrNote:   "description",
	connectortest.AttrGroups: "businessCategory",
}

// config is a connection to a fresh container of srv as its
// administrator, entries of ldaptest.TestClass identified and named by
// uid.
func config(t testing.TB, srv *ldaptest.Server) ldap.Config {
	t.Helper()
	return ldap.Config{
		URL: srv.URL, BindDN: ldaptest.RootDN, BindPassword: ldaptest.RootPassword,
		BaseDN: srv.NewContainer(t, "c"), Identifier: "uid", NamingAttribute: "uid",
		ObjectClasses: []string{ldaptest.TestClass},
	}
}

func open(t testing.TB, cfg ldap.Config) *ldap.Connector {
	t.Helper()
	c, err := ldap.New(t.Context(), "dir", cfg)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { c.Close() })
	return c
}

// seed adds objs under base straight through an administrator's
// connection.
func seed(t testing.TB, srv *ldaptest.Server, base string, objs []connector.Object) {
	t.Helper()
	admin := srv.Admin(t)
	for _, o := range objs {
		req := goldap.NewAddRequest("uid="+ldap.EscapeDNValue(o.ID)+","+base, nil)
		req.Attribute("objectClass", []string{ldaptest.TestClass})
		for _, name := range o.Attributes.Names() {
			if vs := connector.Values(o.Attributes[name]...); len(vs) > 0 {
				req.Attribute(name, vs)
			}
		}
		if err := admin.Add(req); err != nil {
			t.Fatalf("seeding %s: %v", o.ID, err)
		}
	}
}

func TestConformance(t *testing.T) {
	t.Parallel()
	srv := ldaptest.Start(t)
	connectortest.Run(t, connectortest.Harness{
		Names: suiteNames,
		New: func(t *testing.T, s connectortest.Schema) connectortest.Resource {
			cfg := config(t, srv)
			c, err := ldap.New(t.Context(), "dir", cfg)
			if err != nil {
				t.Fatal(err)
			}
			return connectortest.Resource{Connector: c, Seed: func(t *testing.T, objs []connector.Object) { seed(t, srv, cfg.BaseDN, objs) }}
		},
		Proxied: proxied(srv),
	})
}

// proxied is the conformance harness's Proxied: a connector through a TCP
// proxy to srv and one straight to it, on one fresh container (the suite
// sees them through Names, as New's).
func proxied(srv *ldaptest.Server) func(t *testing.T, s connectortest.Schema) (through, direct connector.Connector, p *connectortest.Proxy) {
	return func(t *testing.T, s connectortest.Schema) (connector.Connector, connector.Connector, *connectortest.Proxy) {
		cfg := config(t, srv)
		p := connectortest.NewProxy(t, srv.Addr)
		direct, err := ldap.New(t.Context(), "dir", cfg)
		if err != nil {
			t.Fatal(err)
		}
		cfg.URL = "ldap://" + p.Addr()
		through, err := ldap.New(t.Context(), "dir", cfg)
		if err != nil {
			t.Fatal(err)
		}
		return through, direct, p
	}
}
