package ldaptest

import (
	"bytes"
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	goldap "github.com/go-ldap/ldap/v3"
)

// RequireEnv names the test servers that must be available,
// comma-separated; with "ldap" in it, Start fails instead of skipping when
// slapd is not installed. CI sets it (see .ci/run).
const RequireEnv = "SYNCLINE_TEST_REQUIRE"

// The directory every server holds.
const (
	Suffix = "dc=example,dc=org"
	// RootDN and RootPassword are the database's administrator, which no
	// access rule limits.
	RootDN       = "cn=admin," + Suffix
	RootPassword = "admin-secret"
	// ReaderDN may read everything but userPassword and write nothing.
	ReaderDN       = "cn=reader," + Suffix
	ReaderPassword = "reader-secret"
	// LimitedDN may read, but a search returns at most 5 entries.
	LimitedDN       = "cn=limited," + Suffix
	LimitedPassword = "limited-secret"
	// TestClass is a structural object class of the test schema that
	// needs only uid, so that objects with few attributes can be
	// created: MAY givenName, sn, cn, mail, description,
	// businessCategory, telephoneNumber, userPassword, jpegPhoto,
	// userCertificate, employeeNumber.
	TestClass = "synclineTestAccount"
)

// Server is a slapd the test started.
type Server struct {
	// URL is ldap://127.0.0.1:PORT (StartTLS offered); LDAPSURL is
	// ldaps://127.0.0.1:PORT.
	URL, LDAPSURL string
	// Addr and LDAPSAddr are the "host:port" of each listener.
	Addr, LDAPSAddr string
	// CAFile is the PEM certificate of the authority that signed the
	// server's certificate (for 127.0.0.1 and localhost); OtherCAFile is
	// an authority that signed nothing here.
	CAFile, OtherCAFile string
	// Dir is the server's temporary directory.
	Dir string

	slapd string
	conf  string
	mu    sync.Mutex
	proc  *process
}

// process is one run of slapd.
type process struct {
	cmd    *exec.Cmd
	logs   *lockedBuffer
	exited chan struct{}
}

// Start starts a slapd of its own for t and stops it when t ends. Without
// slapd it skips t, or fails it when SYNCLINE_TEST_REQUIRE names "ldap".
func Start(t testing.TB) *Server {
	t.Helper()
	slapd, slapadd := find("slapd"), find("slapadd")
	if slapd == "" || slapadd == "" {
		if Required() {
			t.Fatalf("slapd is not installed, and %s names ldap; install it: apt-get install slapd ldap-utils", RequireEnv)
		}
		t.Skip("slapd is not installed (apt-get install slapd ldap-utils); set " + RequireEnv + "=ldap to fail instead")
	}
	dir, err := os.MkdirTemp("", "ldaptest-") // short: slapd's paths must fit its buffers
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { os.RemoveAll(dir) })
	s := &Server{Dir: dir, slapd: slapd, conf: filepath.Join(dir, "slapd.d")}
	writeCertificates(t, s)
	for _, d := range []string{s.conf, filepath.Join(dir, "data")} {
		if err := os.MkdirAll(d, 0o700); err != nil {
			t.Fatal(err)
		}
	}
	run(t, slapadd, []byte(configLDIF(dir)), "-n0", "-F", s.conf)
	run(t, slapadd, []byte(dataLDIF), "-q", "-F", s.conf, "-b", Suffix)
	s.startFirst(t)
	t.Cleanup(s.Stop)
	return s
}

// Required reports whether SYNCLINE_TEST_REQUIRE names ldap.
func Required() bool {
	for _, name := range strings.Split(os.Getenv(RequireEnv), ",") {
		if strings.TrimSpace(strings.ToLower(name)) == "ldap" {
			return true
		}
	}
	return false
}

// startFirst picks free ports and starts slapd on them, trying new ports
// when another process took one meanwhile.
func (s *Server) startFirst(t testing.TB) {
	t.Helper()
	var last string
	for range 5 {
		s.Addr, s.LDAPSAddr = freeAddr(t), freeAddr(t)
		s.URL, s.LDAPSURL = "ldap://"+s.Addr, "ldaps://"+s.LDAPSAddr
		logs, err := s.start()
		if err == nil {
			return
		}
		last = fmt.Sprintf("%v\n%s", err, logs)
	}
	t.Fatalf("slapd did not start: %s", last)
}

// Start starts the server again after Stop, on the same ports and data.
func (s *Server) Start(t testing.TB) {
	t.Helper()
	if logs, err := s.start(); err != nil {
		t.Fatalf("slapd did not start again: %v\n%s", err, logs)
	}
}

// start runs slapd in the foreground and waits, at most 20 seconds, until
// it answers a bind.
func (s *Server) start() (string, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.proc != nil {
		return "", fmt.Errorf("slapd is running already")
	}
	p := &process{logs: &lockedBuffer{}, exited: make(chan struct{})}
	p.cmd = exec.Command(s.slapd, "-d", "0", "-F", s.conf, "-h", s.URL+"/ "+s.LDAPSURL+"/")
	p.cmd.Stdout, p.cmd.Stderr = p.logs, p.logs
	dieWithParent(p.cmd)
	if err := p.cmd.Start(); err != nil {
		return "", err
	}
	go func() { _ = p.cmd.Wait(); close(p.exited) }()
	deadline := time.Now().Add(20 * time.Second)
	for {
		if err := ping(s.URL); err == nil {
			s.proc = p
			return "", nil
		}
		select {
		case <-p.exited:
			return p.logs.String(), fmt.Errorf("slapd exited")
		case <-time.After(20 * time.Millisecond):
		}
		if time.Now().After(deadline) {
			_ = p.cmd.Process.Kill()
			<-p.exited
			return p.logs.String(), fmt.Errorf("slapd did not answer on %s within 20s", s.URL)
		}
	}
}

// Stop stops the server and waits until it has exited; a stopped server
// refuses connections. Stop is safe to call twice.
func (s *Server) Stop() {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.proc == nil {
		return
	}
	_ = s.proc.cmd.Process.Kill()
	<-s.proc.exited
	s.proc = nil
}

// Logs returns what the running slapd printed.
func (s *Server) Logs() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.proc == nil {
		return ""
	}
	return s.proc.logs.String()
}

// ping binds as the administrator.
func ping(url string) error {
	c, err := goldap.DialURL(url, goldap.DialWithDialer(&net.Dialer{Timeout: time.Second}))
	if err != nil {
		return err
	}
	defer c.Close()
	c.SetTimeout(2 * time.Second)
	return c.Bind(RootDN, RootPassword)
}

// Admin returns a connection bound as the administrator, closed when t
// ends.
func (s *Server) Admin(t testing.TB) *goldap.Conn {
	t.Helper()
	c, err := goldap.DialURL(s.URL)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { c.Close() })
	c.SetTimeout(30 * time.Second)
	if err := c.Bind(RootDN, RootPassword); err != nil {
		t.Fatal(err)
	}
	return c
}

// NewContainer creates a uniquely named organizational unit under the
// suffix and returns its DN: a fresh, empty subtree for one test.
func (s *Server) NewContainer(t testing.TB, prefix string) string {
	t.Helper()
	b := make([]byte, 5)
	rand.Read(b)
	ou := prefix + hex.EncodeToString(b)
	dn := "ou=" + ou + "," + Suffix
	req := goldap.NewAddRequest(dn, nil)
	req.Attribute("objectClass", []string{"organizationalUnit"})
	req.Attribute("ou", []string{ou})
	if err := s.Admin(t).Add(req); err != nil {
		t.Fatalf("creating %s: %v", dn, err)
	}
	return dn
}

// LDAPAdd runs ldapadd -c as the administrator with ldif on its standard
// input, and returns its output.
func (s *Server) LDAPAdd(t testing.TB, ldif []byte) string {
	t.Helper()
	bin := find("ldapadd")
	if bin == "" {
		t.Fatal("ldapadd is not installed (apt-get install ldap-utils)")
	}
	cmd := exec.Command(bin, "-x", "-c", "-H", s.URL, "-D", RootDN, "-w", RootPassword)
	cmd.Stdin = bytes.NewReader(ldif)
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("ldapadd: %v\n%s", err, out)
	}
	return string(out)
}

// run runs a tool with stdin, failing t with its output.
func run(t testing.TB, bin string, stdin []byte, args ...string) {
	t.Helper()
	cmd := exec.Command(bin, args...)
	cmd.Stdin = bytes.NewReader(stdin)
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("%s %s: %v\n%s", filepath.Base(bin), strings.Join(args, " "), err, out)
	}
}

// find returns the path of an OpenLDAP program, or "".
func find(name string) string {
	if p, err := exec.LookPath(name); err == nil {
		return p
	}
	for _, dir := range []string{"/usr/sbin", "/usr/local/sbin", "/usr/bin"} {
		p := filepath.Join(dir, name)
		if _, err := os.Stat(p); err == nil {
			return p
		}
	}
	return ""
}

func freeAddr(t testing.TB) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	return "127.0.0.1:" + strconv.Itoa(ln.Addr().(*net.TCPAddr).Port)
}

// lockedBuffer collects a process's output from its goroutines.
type lockedBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *lockedBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *lockedBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}
