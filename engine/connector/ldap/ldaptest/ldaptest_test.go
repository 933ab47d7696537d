package ldaptest_test

import (
	"crypto/tls"
	"crypto/x509"
	"os"
	"testing"

	goldap "github.com/go-ldap/ldap/v3"
	"github.com/syncline/syncline/engine/connector/ldap/ldaptest"
)

func TestStartServesLDAPAndLDAPS(t *testing.T) {
	t.Parallel()
	s := ldaptest.Start(t)
	dn := s.NewContainer(t, "t")
	pem, err := os.ReadFile(s.CAFile)
	if err != nil {
		t.Fatal(err)
	}
	pool := x509.NewCertPool()
	pool.AppendCertsFromPEM(pem)
	c, err := goldap.DialURL(s.LDAPSURL, goldap.DialWithTLSConfig(&tls.Config{RootCAs: pool}))
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	res, err := c.Search(goldap.NewSearchRequest(dn, goldap.ScopeBaseObject, 0, 0, 0, false, "(objectClass=*)", []string{"entryUUID"}, nil))
	if err != nil || len(res.Entries) != 1 || res.Entries[0].GetAttributeValue("entryUUID") == "" {
		t.Fatalf("search over ldaps: %v %v", res, err)
	}
	s.Stop()
	if _, err := goldap.DialURL(s.URL); err == nil {
		t.Fatal("a stopped server accepted a connection")
	}
	s.Start(t)
	s.Admin(t)
}
