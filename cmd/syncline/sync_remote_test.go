package main

import (
	"net"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/syncline/syncline/config"
	"github.com/syncline/syncline/internal/gitmirror"
	"github.com/syncline/syncline/internal/gittest"
)

// syncEnv runs syncline with environ as its whole environment.
func syncEnv(t *testing.T, environ []string, args ...string) result {
	t.Helper()
	return runApp(t, newApp(strings.NewReader(""), nil, nil, environ), args...)
}

// remoteRepo is a repository with one auto-applied commit.
func remoteRepo(t *testing.T) (*gittest.Repo, string) {
	t.Helper()
	r := gittest.New(t)
	r.Write(map[string]string{"main.hcl": syncConfig("auto_apply", "hr")})
	return r, r.Commit("HR")
}

// TestSyncRemote: sync fetches over http with and without credentials,
// over https with the server's CA, and over ssh with a key checked against
// known hosts — from real servers: git http-backend and OpenSSH's sshd.
func TestSyncRemote(t *testing.T) {
	t.Parallel()
	for _, c := range []struct {
		name  string
		setup func(t *testing.T, dir string) (url string, args, environ []string)
	}{
		{"http", func(t *testing.T, dir string) (string, []string, []string) {
			return gittest.ServeHTTP(t, dir, gittest.HTTPOptions{}).URL, nil, nil
		}},
		{"http basic authentication", func(t *testing.T, dir string) (string, []string, []string) {
			srv := gittest.ServeHTTP(t, dir, gittest.HTTPOptions{Username: "bot", Password: "pa55word"})
			return srv.URL, []string{"-username", "bot"}, []string{gitmirror.EnvPassword + "=pa55word"}
		}},
		{"http bearer token", func(t *testing.T, dir string) (string, []string, []string) {
			srv := gittest.ServeHTTP(t, dir, gittest.HTTPOptions{Token: "t0ken"})
			return srv.URL, nil, []string{gitmirror.EnvToken + "=t0ken"}
		}},
		{"https with the server's CA", func(t *testing.T, dir string) (string, []string, []string) {
			srv := gittest.ServeHTTP(t, dir, gittest.HTTPOptions{TLS: true, Username: "bot", Password: "pa55word"})
			return srv.URL, []string{"-ca-file", srv.CAFile, "-username", "bot"}, []string{gitmirror.EnvPassword + "=pa55word"}
		}},
		{"ssh", func(t *testing.T, dir string) (string, []string, []string) {
			s := gittest.StartSSHD(t)
			return s.URL(dir), []string{"-ssh-key-file", s.KeyFile, "-known-hosts-file", s.KnownHostsFile}, nil
		}},
	} {
		t.Run(c.name, func(t *testing.T) {
			t.Parallel()
			r, commit := remoteRepo(t)
			url, args, environ := c.setup(t, r.Dir)
			state := filepath.Join(t.TempDir(), "state.db")
			args = append([]string{"sync", "-repo", url, "-state", state}, args...)
			res := syncEnv(t, environ, args...)
			if res.code != 0 {
				t.Fatalf("exit %d:\n%s\n%s", res.code, res.stdout, res.stderr)
			}
			checkContains(t, "first sync", res.stdout, "Apply complete! 1 added", "Recorded revision "+config.ShortCommit(commit))
			r.Write(map[string]string{"main.hcl": syncConfig("auto_apply", "people")})
			second := r.Commit("People")
			res = syncEnv(t, environ, args...)
			checkContains(t, "second sync", res.stdout, "1 changed", "Recorded revision "+config.ShortCommit(second))
			res = syncEnv(t, environ, args...)
			checkContains(t, "third sync", res.stdout, "already at "+config.ShortCommit(second))
			checkNoSecrets(t, res, "pa55word", "t0ken")
		})
	}
}

func checkNoSecrets(t *testing.T, res result, secrets ...string) {
	t.Helper()
	for _, s := range secrets {
		if strings.Contains(res.stdout+res.stderr, s) {
			t.Errorf("the output shows the secret %q:\n%s\n%s", s, res.stdout, res.stderr)
		}
	}
}

// closedPort is a loopback port nothing listens on.
func closedPort(t *testing.T) string {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := ln.Addr().String()
	ln.Close()
	return addr
}

// TestSyncRemoteErrors: an unreachable remote, missing or wrong
// credentials, an untrusted certificate, an unknown host key and a missing
// key file are clear errors; no state is written, no mirror is left, and
// no secret is shown.
func TestSyncRemoteErrors(t *testing.T) {
	t.Parallel()
	r, _ := remoteRepo(t)
	open := gittest.ServeHTTP(t, r.Dir, gittest.HTTPOptions{Username: "bot", Password: "pa55word"})
	tls := gittest.ServeHTTP(t, r.Dir, gittest.HTTPOptions{TLS: true})
	emptyKnownHosts := filepath.Join(t.TempDir(), "known_hosts")
	if err := os.WriteFile(emptyKnownHosts, nil, 0o644); err != nil {
		t.Fatal(err)
	}
	cases := []struct {
		name    string
		args    []string
		environ []string
		want    string
		ssh     bool
	}{
		{name: "unreachable", args: []string{"-repo", "http://" + closedPort(t) + "/iam.git"}, want: "cannot reach http://127.0.0.1"},
		{name: "no credentials", args: []string{"-repo", open.URL}, want: "the server asks for credentials"},
		{name: "wrong password", args: []string{"-repo", open.URL, "-username", "bot"}, environ: []string{gitmirror.EnvPassword + "=wrong-pa55"}, want: "the server refused the credentials"},
		{name: "password without user", args: []string{"-repo", open.URL}, environ: []string{gitmirror.EnvPassword + "=wrong-pa55"}, want: "needs a user name"},
		{name: "password in the URL", args: []string{"-repo", strings.Replace(open.URL, "http://", "http://bot:pa55word@", 1)}, want: "carries a password"},
		{name: "untrusted certificate", args: []string{"-repo", tls.URL}, want: "TLS certificate is not trusted"},
		{name: "missing CA file", args: []string{"-repo", tls.URL, "-ca-file", "/nonexistent/ca.pem"}, want: "cannot read the CA file"},
		{name: "unsupported scheme", args: []string{"-repo", "git://127.0.0.1/iam.git"}, want: "not git://"},
		{name: "ssh without key", args: []string{"-repo", "git@127.0.0.1:iam.git"}, want: "needs a private key"},
		{name: "missing key file", args: []string{"-repo", "ssh://git@127.0.0.1/iam.git", "-ssh-key-file", "/nonexistent/key"}, want: "cannot read the ssh key file"},
		{name: "ssh unknown host key", ssh: true, want: "the ssh host key is not in " + emptyKnownHosts},
		{name: "ssh wrong key", ssh: true, want: "the ssh server refused the key"},
	}
	var sshd *gittest.SSHServer
	for _, c := range cases {
		if c.ssh && sshd == nil {
			sshd = gittest.StartSSHD(t)
		}
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			t.Parallel()
			args := c.args
			switch c.name {
			case "ssh unknown host key":
				args = []string{"-repo", sshd.URL(r.Dir), "-ssh-key-file", sshd.KeyFile, "-known-hosts-file", emptyKnownHosts}
			case "ssh wrong key":
				args = []string{"-repo", sshd.URL(r.Dir), "-ssh-key-file", sshd.OtherKeyFile, "-known-hosts-file", sshd.KnownHostsFile}
			}
			dir := t.TempDir()
			state := filepath.Join(dir, "state.db")
			res := syncEnv(t, c.environ, append([]string{"sync", "-state", state}, args...)...)
			if res.code != 1 {
				t.Errorf("exit %d, want 1:\n%s\n%s", res.code, res.stdout, res.stderr)
			}
			checkContains(t, "stderr", res.stderr, c.want)
			checkNoSecrets(t, res, "pa55word", "wrong-pa55")
			if _, err := os.Stat(state); err == nil {
				t.Error("the state was created")
			}
			if entries, _ := os.ReadDir(filepath.Join(dir, "repos")); len(entries) > 0 {
				t.Errorf("a mirror was left behind: %v", entries)
			}
		})
	}
}
