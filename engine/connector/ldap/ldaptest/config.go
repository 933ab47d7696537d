package ldaptest

import (
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/pem"
	"math/big"
	"net"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// configLDIF is slapd's cn=config for a server in dir, loaded with
// slapadd -n0: schemas, TLS, and one back-mdb database for Suffix whose
// access rules keep userPassword for binding only.
func configLDIF(dir string) string {
	r := strings.NewReplacer("@DIR@", dir, "@SUFFIX@", Suffix, "@ROOTDN@", RootDN, "@ROOTPW@", RootPassword,
		"@LIMITED@", LimitedDN, "@CLASS@", TestClass)
	return r.Replace(`dn: cn=config
objectClass: olcGlobal
cn: config
olcPidFile: @DIR@/slapd.pid
olcArgsFile: @DIR@/slapd.args
olcLogLevel: none
olcTLSCACertificateFile: @DIR@/ca.pem
olcTLSCertificateFile: @DIR@/server.pem
olcTLSCertificateKeyFile: @DIR@/server.key

dn: cn=module{0},cn=config
objectClass: olcModuleList
cn: module{0}
olcModulePath: /usr/lib/ldap
olcModuleLoad: back_mdb

dn: cn=schema,cn=config
objectClass: olcSchemaConfig
cn: schema

include: file:///etc/ldap/schema/core.ldif

include: file:///etc/ldap/schema/cosine.ldif

include: file:///etc/ldap/schema/nis.ldif

include: file:///etc/ldap/schema/inetorgperson.ldif

dn: cn=synclinetest,cn=schema,cn=config
objectClass: olcSchemaConfig
cn: synclinetest
olcObjectClasses: ( 1.3.6.1.4.1.4203.666.11.99.1 NAME '@CLASS@' SUP top STRUCTURAL MUST uid MAY ( givenName $ sn $ cn $ mail $ description $ businessCategory $ telephoneNumber $ userPassword $ jpegPhoto $ userCertificate $ employeeNumber ) )

dn: olcDatabase={-1}frontend,cn=config
objectClass: olcDatabaseConfig
objectClass: olcFrontendConfig
olcDatabase: {-1}frontend
olcSizeLimit: unlimited
olcTimeLimit: unlimited
olcAccess: {0}to dn.exact="" by * read
olcAccess: {1}to dn.base="cn=Subschema" by * read

dn: olcDatabase={0}config,cn=config
objectClass: olcDatabaseConfig
olcDatabase: {0}config
olcAccess: {0}to * by * none

dn: olcDatabase={1}mdb,cn=config
objectClass: olcDatabaseConfig
objectClass: olcMdbConfig
olcDatabase: {1}mdb
olcSuffix: @SUFFIX@
olcRootDN: @ROOTDN@
olcRootPW: @ROOTPW@
olcDbDirectory: @DIR@/data
olcDbMaxSize: 4294967296
olcDbNoSync: TRUE
olcDbIndex: objectClass eq
olcDbIndex: uid eq
olcDbIndex: entryUUID eq
olcDbIndex: entryCSN eq
olcLastMod: TRUE
olcLimits: {0}dn.exact="@LIMITED@" size.soft=5 size.hard=5 size.prtotal=5
olcAccess: {0}to attrs=userPassword by self write by anonymous auth by * none
olcAccess: {1}to * by * read
`)
}

// dataLDIF is what the database holds at the start: the suffix and the
// users that bind in tests.
var dataLDIF = strings.NewReplacer("@SUFFIX@", Suffix, "@READER@", ReaderDN, "@READERPW@", ReaderPassword,
	"@LIMITED@", LimitedDN, "@LIMITEDPW@", LimitedPassword).Replace(`dn: @SUFFIX@
objectClass: dcObject
objectClass: organization
dc: example
o: Example

dn: @READER@
objectClass: organizationalRole
objectClass: simpleSecurityObject
cn: reader
userPassword: @READERPW@

dn: @LIMITED@
objectClass: organizationalRole
objectClass: simpleSecurityObject
cn: limited
userPassword: @LIMITEDPW@
`)

// writeCertificates makes a certificate authority, a server certificate
// it signs for 127.0.0.1 and localhost, and a second, unrelated authority.
func writeCertificates(t testing.TB, s *Server) {
	t.Helper()
	caCert, caKey := newCA(t, "ldaptest CA")
	otherCert, _ := newCA(t, "ldaptest other CA")
	key := newKey(t)
	tmpl := &x509.Certificate{
		SerialNumber: big.NewInt(2),
		Subject:      pkix.Name{CommonName: "127.0.0.1"},
		NotBefore:    time.Now().Add(-time.Hour),
		NotAfter:     time.Now().Add(24 * time.Hour),
		KeyUsage:     x509.KeyUsageDigitalSignature,
		ExtKeyUsage:  []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth},
		IPAddresses:  []net.IP{net.ParseIP("127.0.0.1")},
		DNSNames:     []string{"localhost"},
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, caCert, &key.PublicKey, caKey)
	if err != nil {
		t.Fatal(err)
	}
	keyDER, err := x509.MarshalPKCS8PrivateKey(key)
	if err != nil {
		t.Fatal(err)
	}
	s.CAFile, s.OtherCAFile = filepath.Join(s.Dir, "ca.pem"), filepath.Join(s.Dir, "other-ca.pem")
	writePEM(t, s.CAFile, "CERTIFICATE", caCert.Raw)
	writePEM(t, s.OtherCAFile, "CERTIFICATE", otherCert.Raw)
	writePEM(t, filepath.Join(s.Dir, "server.pem"), "CERTIFICATE", der)
	writePEM(t, filepath.Join(s.Dir, "server.key"), "PRIVATE KEY", keyDER)
}

func newKey(t testing.TB) *ecdsa.PrivateKey {
	t.Helper()
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	return key
}

// newCA returns a self-signed certificate authority and its key.
func newCA(t testing.TB, name string) (*x509.Certificate, *ecdsa.PrivateKey) {
	t.Helper()
	key := newKey(t)
	tmpl := &x509.Certificate{
		SerialNumber:          big.NewInt(1),
		Subject:               pkix.Name{CommonName: name},
		NotBefore:             time.Now().Add(-time.Hour),
		NotAfter:              time.Now().Add(24 * time.Hour),
		IsCA:                  true,
		BasicConstraintsValid: true,
		KeyUsage:              x509.KeyUsageCertSign | x509.KeyUsageCRLSign,
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	if err != nil {
		t.Fatal(err)
	}
	cert, err := x509.ParseCertificate(der)
	if err != nil {
		t.Fatal(err)
	}
	return cert, key
}

func writePEM(t testing.TB, path, typ string, der []byte) {
	t.Helper()
	if err := os.WriteFile(path, pem.EncodeToMemory(&pem.Block{Type: typ, Bytes: der}), 0o600); err != nil {
		t.Fatal(err)
	}
}
