package notify

import (
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/base64"
	"encoding/pem"
	"errors"
	"io"
	"math/big"
	"mime"
	"mime/multipart"
	"net"
	"net/mail"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/emersion/go-sasl"
	"github.com/emersion/go-smtp"
	"github.com/syncline/syncline/state"
)

// mailServer is a real SMTP server on loopback (github.com/emersion/go-smtp)
// that keeps the messages it accepts.
type mailServer struct {
	addr   string
	caFile string // the PEM of its self-signed certificate
	mu     sync.Mutex
	mails  []delivered
}

type delivered struct {
	from string
	to   []string
	data []byte
}

func (s *mailServer) received() []delivered {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]delivered(nil), s.mails...)
}

// startMailServer starts a server that wants user/password (none when
// user is ""), over implicit TLS when implicit is set, else offering
// STARTTLS. dir gets its certificate as ca.pem.
func startMailServer(t *testing.T, dir, user, password string, implicit bool) *mailServer {
	t.Helper()
	cert, caPEM := selfSigned(t)
	ms := &mailServer{caFile: filepath.Join(dir, "ca.pem")}
	if err := os.WriteFile(ms.caFile, caPEM, 0o644); err != nil {
		t.Fatal(err)
	}
	srv := smtp.NewServer(smtp.BackendFunc(func(c *smtp.Conn) (smtp.Session, error) {
		return &mailSession{server: ms, user: user, password: password}, nil
	}))
	srv.Domain = "localhost"
	srv.TLSConfig = &tls.Config{Certificates: []tls.Certificate{cert}}
	srv.ReadTimeout, srv.WriteTimeout = 10*time.Second, 10*time.Second
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	if implicit {
		ln = tls.NewListener(ln, srv.TLSConfig)
	}
	ms.addr = ln.Addr().String()
	go srv.Serve(ln)
	t.Cleanup(func() { srv.Close() })
	return ms
}

type mailSession struct {
	server         *mailServer
	user, password string
	authed         bool
	msg            delivered
}

func (s *mailSession) AuthMechanisms() []string { return []string{sasl.Plain} }

func (s *mailSession) Auth(mech string) (sasl.Server, error) {
	return sasl.NewPlainServer(func(identity, user, password string) error {
		if user != s.user || password != s.password {
			return errors.New("invalid credentials")
		}
		s.authed = true
		return nil
	}), nil
}

func (s *mailSession) Mail(from string, _ *smtp.MailOptions) error {
	if s.user != "" && !s.authed {
		return &smtp.SMTPError{Code: 530, Message: "authentication required"}
	}
	s.msg = delivered{from: from}
	return nil
}

func (s *mailSession) Rcpt(to string, _ *smtp.RcptOptions) error {
	s.msg.to = append(s.msg.to, to)
	return nil
}

func (s *mailSession) Data(r io.Reader) error {
	b, err := io.ReadAll(r)
	if err != nil {
		return err
	}
	s.msg.data = b
	s.server.mu.Lock()
	s.server.mails = append(s.server.mails, s.msg)
	s.server.mu.Unlock()
	return nil
}

func (s *mailSession) Reset()        { s.msg = delivered{} }
func (s *mailSession) Logout() error { return nil }

// selfSigned makes a certificate for 127.0.0.1.
func selfSigned(t *testing.T) (tls.Certificate, []byte) {
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

func mailTask(addr, tlsMode string) string {
	host, port, _ := net.SplitHostPort(addr)
	return `
syncline {
  public_url = "https://syncline.example.com"
  smtp {
    host     = "` + host + `"
    port     = ` + port + `
    tls      = "` + tlsMode + `"
    username = "syncline"
    password = env("SMTP_PASSWORD")
    from     = "Syncline <syncline@example.com>"
    ca_file  = "ca.pem"
  }
}
task "nightly" {
  description = "Nightly HR import"
  owner       = "iam-team"
  activity "exec" {
    command = "true"
  }
  notify {
    on      = ["partial", "failed"]
    email   = ["iam-team@example.com", "On call <oncall@example.com>"]
    subject = "[iam] {task} {outcome}"
  }
}
`
}

// TestEmailDelivered: a partial run's notification reaches the mail server
// over STARTTLS and implicit TLS, authenticated, to every recipient, with
// the task's and the run's details in a text and an HTML part.
func TestEmailDelivered(t *testing.T) {
	t.Parallel()
	for _, mode := range []string{"starttls", "tls"} {
		t.Run(mode, func(t *testing.T) {
			t.Parallel()
			dir := t.TempDir()
			ms := startMailServer(t, dir, "syncline", "pw-Secr3t", mode == "tls")
			b := setup(t, mailTask(ms.addr, mode), "SMTP_PASSWORD=pw-Secr3t")
			b.d.Dir = dir // where ca.pem is
			run := b.endRun(t, "nightly", state.RunPartial, "", importResults())
			ds := b.deliver(t)
			if len(ds) != 1 || ds[0].Err != nil || ds[0].Target != "e-mail to iam-team@example.com, On call <oncall@example.com>" {
				t.Fatalf("deliveries: %+v", ds)
			}
			got := ms.received()
			if len(got) != 1 || got[0].from != "syncline@example.com" || strings.Join(got[0].to, ",") != "iam-team@example.com,oncall@example.com" {
				t.Fatalf("the server got %+v", got)
			}
			msg, err := mail.ReadMessage(strings.NewReader(string(got[0].data)))
			if err != nil {
				t.Fatal(err)
			}
			n := b.notifications(t, run.ID)[0]
			if s := msg.Header.Get("Subject"); s != "[iam] nightly partial" {
				t.Errorf("subject %q", s)
			}
			if id := msg.Header.Get("Message-Id"); !strings.Contains(id, strings.NewReplacer(":", ".", "[", "", "]", "").Replace(n.Key)) {
				t.Errorf("Message-ID %q does not carry the key %q", id, n.Key)
			}
			parts := mimeParts(t, msg)
			if len(parts) != 2 || parts["text/plain"] == "" || parts["text/html"] == "" {
				t.Fatalf("parts %v, want text/plain and text/html", parts)
			}
			for _, want := range []string{"Nightly HR import", "iam-team", "exec", "partial", "4 users, 3 accounts", "app/carol",
				"https://syncline.example.com/runs/1"} {
				for typ, body := range parts {
					if !strings.Contains(body, want) {
						t.Errorf("the %s part lacks %q:\n%s", typ, want, body)
					}
				}
			}
			if html := parts["text/html"]; strings.Contains(html, "row <script>") || !strings.Contains(html, "row &lt;script&gt;") {
				t.Errorf("the HTML part does not escape a value:\n%s", html)
			}
		})
	}
}

// TestEmailWrongPassword: a server that refuses the credentials is a
// failed attempt, kept for a retry; the password is in no error, no
// attempt, no log.
func TestEmailWrongPassword(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	ms := startMailServer(t, dir, "syncline", "right", false)
	b := setup(t, mailTask(ms.addr, "starttls"), "SMTP_PASSWORD=Wr0ng-pw")
	b.d.Dir = dir
	run := b.endRun(t, "nightly", state.RunFailed, "", nil)
	ds := b.deliver(t)
	if len(ds) != 1 || ds[0].Err == nil || ds[0].GaveUp {
		t.Fatalf("deliveries: %+v", ds)
	}
	n := b.notifications(t, run.ID)[0]
	if n.State != state.NotificationPending || strings.Contains(n.Attempts[0].Error, "Wr0ng-pw") || strings.Contains(ds[0].Err.Error(), "Wr0ng-pw") {
		t.Errorf("notification: %+v", n)
	}
	if len(ms.received()) != 0 {
		t.Error("the server accepted a message without authentication")
	}
}

// TestEmailUntrustedServer: STARTTLS to a server whose certificate is not
// trusted (no ca_file) fails rather than sending in the clear.
func TestEmailUntrustedServer(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	ms := startMailServer(t, dir, "syncline", "pw", false)
	b := setup(t, strings.Replace(mailTask(ms.addr, "starttls"), `ca_file  = "ca.pem"`, "", 1), "SMTP_PASSWORD=pw")
	b.endRun(t, "nightly", state.RunFailed, "", nil)
	ds := b.deliver(t)
	if len(ds) != 1 || ds[0].Err == nil || !strings.Contains(ds[0].Err.Error(), "certificate") {
		t.Fatalf("deliveries: %+v", ds)
	}
	if len(ms.received()) != 0 {
		t.Error("a message reached a server whose certificate is not trusted")
	}
}

// mimeParts returns the decoded parts of a multipart/alternative message
// by content type.
func mimeParts(t *testing.T, msg *mail.Message) map[string]string {
	t.Helper()
	mt, params, err := mime.ParseMediaType(msg.Header.Get("Content-Type"))
	if err != nil || mt != "multipart/alternative" {
		t.Fatalf("Content-Type %q, want multipart/alternative", msg.Header.Get("Content-Type"))
	}
	out := map[string]string{}
	r := multipart.NewReader(msg.Body, params["boundary"])
	for {
		p, err := r.NextPart() // decodes quoted-printable
		if err == io.EOF {
			return out
		}
		if err != nil {
			t.Fatal(err)
		}
		body, err := io.ReadAll(p)
		if err != nil {
			t.Fatal(err)
		}
		typ, _, _ := mime.ParseMediaType(p.Header.Get("Content-Type"))
		out[typ] = string(body)
	}
}

// TestEmailAttachesReports: the files the run's report activities wrote
// travel with the e-mail.
func TestEmailAttachesReports(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	ms := startMailServer(t, dir, "syncline", "pw", false)
	b := setup(t, mailTask(ms.addr, "starttls"), "SMTP_PASSWORD=pw")
	b.d.Dir = dir
	report := filepath.Join(dir, "summary.csv")
	if err := os.WriteFile(report, []byte("kind,resource,count\nusers added,,3\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	acts := importResults()
	acts = append(acts, state.ActivityResult{Name: "summary", Type: "report", State: state.RunSucceeded,
		Output: map[string]string{ReportOutput: report}})
	b.endRun(t, "nightly", state.RunFailed, "", acts)
	if ds := b.deliver(t); len(ds) != 1 || ds[0].Err != nil {
		t.Fatalf("deliveries: %+v", ds)
	}
	got := ms.received()
	if len(got) != 1 {
		t.Fatalf("%d messages", len(got))
	}
	raw := string(got[0].data)
	encoded := base64.StdEncoding.EncodeToString([]byte("kind,resource,count\nusers added,,3\n"))
	if !strings.Contains(raw, `filename="summary.csv"`) || !strings.Contains(strings.ReplaceAll(raw, "\r\n", ""), encoded) {
		t.Errorf("the message does not carry summary.csv:\n%s", raw)
	}
}
