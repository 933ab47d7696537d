package gittest

import (
	"bytes"
	"net"
	"os"
	"os/exec"
	"os/user"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"
)

// RequireEnv names the servers that must be available, comma-separated;
// with "ssh" in it, StartSSHD fails instead of skipping when sshd is not
// installed. CI sets it (see .ci/run).
const RequireEnv = "SYNCLINE_TEST_REQUIRE"

// SSHServer is an OpenSSH server the test started on a loopback port; it
// lets the current user in with KeyFile and runs git there.
type SSHServer struct {
	Host string // 127.0.0.1
	Port int
	User string
	// KeyFile is the client's private key, authorized on the server.
	KeyFile string
	// KnownHostsFile lists the server's host key for [Host]:Port.
	KnownHostsFile string
	// OtherKeyFile is a second private key the server does not know.
	OtherKeyFile string
}

// URL is the ssh:// URL of the repository at the absolute path dir.
func (s *SSHServer) URL(dir string) string {
	return "ssh://" + s.User + "@" + s.Host + ":" + strconv.Itoa(s.Port) + filepath.ToSlash(dir)
}

// StartSSHD starts "sshd -D" with a configuration, a host key and an
// authorized client key of its own in a temporary directory, and stops it
// when the test ends. Without sshd it skips t, or fails it when
// SYNCLINE_TEST_REQUIRE names "ssh".
func StartSSHD(t testing.TB) *SSHServer {
	t.Helper()
	sshd := findSSHD()
	keygen, err := exec.LookPath("ssh-keygen")
	if sshd == "" || err != nil {
		if requireSSH() {
			t.Fatalf("sshd or ssh-keygen is not installed, and %s names ssh; install openssh-server", RequireEnv)
		}
		t.Skip("sshd or ssh-keygen is not installed (apt-get install openssh-server); set " + RequireEnv + "=ssh to fail instead")
	}
	u, err := user.Current()
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	s := &SSHServer{Host: "127.0.0.1", User: u.Username, KeyFile: filepath.Join(dir, "client_key"),
		OtherKeyFile: filepath.Join(dir, "other_key"), KnownHostsFile: filepath.Join(dir, "known_hosts")}
	hostKey := filepath.Join(dir, "host_key")
	for _, k := range []string{hostKey, s.KeyFile, s.OtherKeyFile} {
		if out, err := exec.Command(keygen, "-q", "-t", "ed25519", "-N", "", "-C", "gittest", "-f", k).CombinedOutput(); err != nil {
			t.Fatalf("ssh-keygen: %v\n%s", err, out)
		}
	}
	write(t, filepath.Join(dir, "authorized_keys"), read(t, s.KeyFile+".pub"), 0o600)
	s.Port = freePort(t)
	hostPub := read(t, hostKey+".pub")
	write(t, s.KnownHostsFile, []byte("["+s.Host+"]:"+strconv.Itoa(s.Port)+" "+string(hostPub)), 0o644)
	if os.Geteuid() == 0 {
		_ = os.MkdirAll("/run/sshd", 0o755) // the privilege separation directory sshd needs as root
	}
	cfg := filepath.Join(dir, "sshd_config")
	write(t, cfg, []byte(strings.Join([]string{
		"Port " + strconv.Itoa(s.Port),
		"ListenAddress " + s.Host,
		"HostKey " + hostKey,
		"PidFile " + filepath.Join(dir, "sshd.pid"),
		"AuthorizedKeysFile " + filepath.Join(dir, "authorized_keys"),
		"StrictModes no",
		"PubkeyAuthentication yes",
		"PasswordAuthentication no",
		"KbdInteractiveAuthentication no",
		"UsePAM no",
		"PermitRootLogin prohibit-password",
		"AllowUsers " + s.User,
		"LogLevel ERROR",
	}, "\n")+"\n"), 0o600)
	startDaemon(t, sshd, cfg, s)
	return s
}

func startDaemon(t testing.TB, sshd, cfg string, s *SSHServer) {
	t.Helper()
	var logs lockedBuffer
	cmd := exec.Command(sshd, "-D", "-e", "-f", cfg)
	cmd.Stdout, cmd.Stderr = &logs, &logs
	if err := cmd.Start(); err != nil {
		t.Fatalf("starting sshd: %v", err)
	}
	exited := make(chan struct{})
	go func() { _ = cmd.Wait(); close(exited) }()
	t.Cleanup(func() {
		_ = cmd.Process.Kill()
		<-exited
	})
	addr := net.JoinHostPort(s.Host, strconv.Itoa(s.Port))
	deadline := time.Now().Add(10 * time.Second)
	for {
		if c, err := net.DialTimeout("tcp", addr, time.Second); err == nil {
			c.Close()
			return
		}
		select {
		case <-exited:
			t.Fatalf("sshd exited:\n%s", logs.String())
		default:
		}
		if time.Now().After(deadline) {
			t.Fatalf("sshd did not listen on %s within 10s:\n%s", addr, logs.String())
		}
		time.Sleep(50 * time.Millisecond)
	}
}

// findSSHD returns the absolute path of sshd (which refuses to start
// otherwise), or "".
func findSSHD() string {
	if p, err := exec.LookPath("sshd"); err == nil {
		if abs, err := filepath.Abs(p); err == nil {
			return abs
		}
	}
	for _, p := range []string{"/usr/sbin/sshd", "/usr/local/sbin/sshd"} {
		if _, err := os.Stat(p); err == nil {
			return p
		}
	}
	return ""
}

func requireSSH() bool {
	for _, name := range strings.Split(os.Getenv(RequireEnv), ",") {
		if strings.TrimSpace(name) == "ssh" {
			return true
		}
	}
	return false
}

func freePort(t testing.TB) int {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	return ln.Addr().(*net.TCPAddr).Port
}

func write(t testing.TB, path string, data []byte, perm os.FileMode) {
	t.Helper()
	if err := os.WriteFile(path, data, perm); err != nil {
		t.Fatal(err)
	}
}

func read(t testing.TB, path string) []byte {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// lockedBuffer collects a process's output for error messages.
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
