// Package notifytest runs a real SMTP server on loopback for tests
// (github.com/emersion/go-smtp): plain, with STARTTLS, or with implicit
// TLS on a self-signed certificate, optionally wanting a user name and
// password, keeping every message it accepts. Only tests import it.
package notifytest

import (
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/pem"
	"errors"
	"io"
	"math/big"
	"net"
	"os"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"github.com/emersion/go-sasl"
	"github.com/emersion/go-smtp"
)

// TLS modes of a MailServer.
const (
	Plain    = "none"     // no TLS at all
	StartTLS = "starttls" // offers STARTTLS
	Implicit = "tls"      // TLS from the first byte
)

// MailServer is a running SMTP server.
type MailServer struct {
	Addr string // host:port on 127.0.0.1
	Host string
	Port string
	// CAFile is the PEM of its certificate (TLS modes), written in the
	// directory Start was given.
	CAFile string
	mu     sync.Mutex
	mails  []Mail
}

// Mail is a message the server accepted.
type Mail struct {
	From string
	To   []string
	Data []byte
}

// Received returns the messages accepted so far.
func (s *MailServer) Received() []Mail {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]Mail(nil), s.mails...)
}

// Start starts a server in mode (Plain, StartTLS or Implicit) that wants
// user and password to authenticate (nothing when user is ""); dir gets
// its certificate as ca.pem. It stops when t ends.
func Start(t testing.TB, dir, mode, user, password string) *MailServer {
	t.Helper()
	ms := &MailServer{}
	srv := smtp.NewServer(smtp.BackendFunc(func(c *smtp.Conn) (smtp.Session, error) {
		return &session{server: ms, user: user, password: password}, nil
	}))
	srv.Domain = "localhost"
	srv.ReadTimeout, srv.WriteTimeout = 10*time.Second, 10*time.Second
	if mode == Plain {
		srv.AllowInsecureAuth = true
	} else {
		cert, caPEM := selfSigned(t)
		ms.CAFile = filepath.Join(dir, "ca.pem")
		if err := os.WriteFile(ms.CAFile, caPEM, 0o644); err != nil {
			t.Fatal(err)
		}
		srv.TLSConfig = &tls.Config{Certificates: []tls.Certificate{cert}}
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	if mode == Implicit {
		ln = tls.NewListener(ln, srv.TLSConfig)
	}
	ms.Addr = ln.Addr().String()
	ms.Host, ms.Port, _ = net.SplitHostPort(ms.Addr)
	go srv.Serve(ln)
	t.Cleanup(func() { srv.Close() })
	return ms
}

type session struct {
	server         *MailServer
	user, password string
	authed         bool
	msg            Mail
}

func (s *session) AuthMechanisms() []string { return []string{sasl.Plain} }

func (s *session) Auth(string) (sasl.Server, error) {
	return sasl.NewPlainServer(func(_, user, password string) error {
		if user != s.user || password != s.password {
			return errors.New("invalid credentials")
		}
		s.authed = true
		return nil
	}), nil
}

func (s *session) Mail(from string, _ *smtp.MailOptions) error {
	if s.user != "" && !s.authed {
		return &smtp.SMTPError{Code: 530, Message: "authentication required"}
	}
	s.msg = Mail{From: from}
	return nil
}

func (s *session) Rcpt(to string, _ *smtp.RcptOptions) error {
	s.msg.To = append(s.msg.To, to)
	return nil
}

func (s *session) Data(r io.Reader) error {
	b, err := io.ReadAll(r)
	if err != nil {
		return err
	}
	s.msg.Data = b
	s.server.mu.Lock()
	s.server.mails = append(s.server.mails, s.msg)
	s.server.mu.Unlock()
	return nil
}

func (s *session) Reset()        { s.msg = Mail{} }
func (s *session) Logout() error { return nil }

// selfSigned makes a certificate for 127.0.0.1 and localhost.
func selfSigned(t testing.TB) (tls.Certificate, []byte) {
	t.Helper()
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	tmpl := &x509.Certificate{
		SerialNumber: big.NewInt(1), Subject: pkix.Name{CommonName: "127.0.0.1"},
		NotBefore: time.Now().Add(-time.Hour), NotAfter: time.Now().Add(time.Hour),
		IPAddresses: []net.IP{net.ParseIP("127.0.0.1")}, DNSNames: []string{"localhost"},
		KeyUsage: x509.KeyUsageDigitalSignature | x509.KeyUsageCertSign, ExtKeyUsage: []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth},
		BasicConstraintsValid: true, IsCA: true,
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	if err != nil {
		t.Fatal(err)
	}
	certPEM := pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: der})
	keyDER, err := x509.MarshalECPrivateKey(key)
	if err != nil {
		t.Fatal(err)
	}
	cert, err := tls.X509KeyPair(certPEM, pem.EncodeToMemory(&pem.Block{Type: "EC PRIVATE KEY", Bytes: keyDER}))
	if err != nil {
		t.Fatal(err)
	}
	return cert, certPEM
}
