package gitmirror

import (
	"errors"
	"fmt"
	"net"
	"net/url"
	"os"
	"path/filepath"
	"strings"

	"github.com/go-git/go-git/v5"
	"github.com/go-git/go-git/v5/plumbing/transport"
	githttp "github.com/go-git/go-git/v5/plumbing/transport/http"
	gitssh "github.com/go-git/go-git/v5/plumbing/transport/ssh"
	"github.com/syncline/syncline/config"
	"github.com/zclconf/go-cty/cty"
	gossh "golang.org/x/crypto/ssh"
)

// Environment variables that give sync the secrets for an http(s)
// git repository, so that they never appear on a command line.
const (
	EnvPassword = "SYNCLINE_GIT_PASSWORD"
	EnvToken    = "SYNCLINE_GIT_TOKEN"
)

// Credentials say how to authenticate to a remote repository. Password
// and Token are secrets: never printed, never part of an error.
type Credentials struct {
	Username, Password, Token          string
	SSHKeyFile, KnownHostsFile, CAFile string
	InsecureIgnoreHostKey              bool
}

// CredentialsFrom reads the credentials of a sync block; relative file
// names are resolved against dir, the configuration directory on disk.
func CredentialsFrom(s *config.SyncSettings, dir string) Credentials {
	if s == nil {
		return Credentials{}
	}
	return Credentials{
		Username:              s.Username,
		Password:              SecretString(s.Password),
		Token:                 SecretString(s.Token),
		SSHKeyFile:            resolveFile(dir, s.SSHKeyFile),
		KnownHostsFile:        resolveFile(dir, s.KnownHostsFile),
		CAFile:                resolveFile(dir, s.CAFile),
		InsecureIgnoreHostKey: s.InsecureIgnoreHostKey,
	}
}

// SecretString unmarks a sensitive string setting at its only use; "" when
// unset or not known.
func SecretString(v cty.Value) string {
	if v == cty.NilVal {
		return ""
	}
	v, _ = v.Unmark()
	if v.IsNull() || !v.IsKnown() || !v.Type().Equals(cty.String) {
		return ""
	}
	return v.AsString()
}

func resolveFile(dir, name string) string {
	if name == "" || filepath.IsAbs(name) {
		return name
	}
	return filepath.Join(dir, name)
}

// override returns c with every field that o sets taken from o.
func (c Credentials) Override(o Credentials) Credentials {
	for _, f := range []struct{ dst, src *string }{
		{&c.Username, &o.Username}, {&c.Password, &o.Password}, {&c.Token, &o.Token},
		{&c.SSHKeyFile, &o.SSHKeyFile}, {&c.KnownHostsFile, &o.KnownHostsFile}, {&c.CAFile, &o.CAFile},
	} {
		if *f.src != "" {
			*f.dst = *f.src
		}
	}
	if o.Password != "" {
		c.Token = ""
	}
	if o.Token != "" {
		c.Password = ""
	}
	c.InsecureIgnoreHostKey = c.InsecureIgnoreHostKey || o.InsecureIgnoreHostKey
	return c
}

// Remote is a repository sync can fetch, with what it takes to
// authenticate there.
type Remote struct {
	url      string // for go-git: an absolute local path, or a URL
	kind     string // "local", "http" or "ssh"
	auth     transport.AuthMethod
	caBundle []byte
	// keyFile and knownHosts name the files an ssh failure is about.
	keyFile, knownHosts string
}

// URL is what go-git fetches: an absolute local path, or a URL.
func (r *Remote) URL() string { return r.url }

// ResolveRemote checks repo and builds what fetching it needs: a local
// path or file:// URL, an http(s) URL with basic or bearer authentication,
// or an ssh URL with a private key and a host key check.
func ResolveRemote(repo string, c Credentials) (*Remote, error) {
	scheme, _, hasScheme := strings.Cut(repo, "://")
	switch {
	case scheme == "file" && hasScheme:
		if _, err := os.Stat(strings.TrimPrefix(repo, "file://")); err != nil {
			return nil, fmt.Errorf("cannot read the repository %s: %w", repo, err)
		}
		return &Remote{url: repo, kind: "local"}, nil
	case (scheme == "http" || scheme == "https") && hasScheme:
		return httpRemote(repo, c)
	case scheme == "ssh" && hasScheme:
		return sshRemote(repo, c)
	case hasScheme:
		return nil, fmt.Errorf("cannot fetch %s: sync reads local paths and file://, http://, https:// and ssh:// URLs, not %s://", repo, scheme)
	case IsSCPLike(repo):
		return sshRemote(repo, c)
	}
	abs := MirrorURL(repo)
	if _, err := git.PlainOpen(abs); err != nil {
		return nil, fmt.Errorf("cannot read the repository %s: %w", repo, err)
	}
	return &Remote{url: abs, kind: "local"}, nil
}

// MirrorURL is what the mirror of repo is kept under: a local path made
// absolute, a URL as written.
func MirrorURL(repo string) string {
	if strings.Contains(repo, "://") || IsSCPLike(repo) {
		return repo
	}
	if abs, err := filepath.Abs(repo); err == nil {
		return abs
	}
	return repo
}

// IsSCPLike reports whether repo is git's short ssh form USER@HOST:PATH.
func IsSCPLike(repo string) bool {
	at, colon := strings.Index(repo, "@"), strings.Index(repo, ":")
	slash := strings.Index(repo, "/")
	return at > 0 && colon > at && (slash < 0 || colon < slash)
}

func httpRemote(repo string, c Credentials) (*Remote, error) {
	u, err := url.Parse(repo)
	if err != nil {
		return nil, fmt.Errorf("cannot fetch the repository: %q is not a valid URL", repo)
	}
	if _, has := u.User.Password(); has {
		return nil, fmt.Errorf("the repository URL %s carries a password, which would be shown in logs; give it in %s or the sync block's password instead", u.Redacted(), EnvPassword)
	}
	r := &Remote{url: repo, kind: "http"}
	user := c.Username
	if user == "" && u.User != nil {
		user = u.User.Username()
	}
	switch {
	case c.Token != "":
		r.auth = &githttp.TokenAuth{Token: c.Token}
	case c.Password != "":
		if user == "" {
			return nil, errors.New("a password for the repository needs a user name: set the sync block's username or give -username")
		}
		r.auth = &githttp.BasicAuth{Username: user, Password: c.Password}
	}
	if c.CAFile != "" {
		if r.caBundle, err = os.ReadFile(c.CAFile); err != nil {
			return nil, fmt.Errorf("cannot read the CA file %s: %w", c.CAFile, err)
		}
	}
	return r, nil
}

// sshUser is the user of an ssh URL: the URL's, else the setting's, else git.
func sshUser(repo, setting string) string {
	if u, err := url.Parse(repo); err == nil && u.Scheme == "ssh" && u.User != nil {
		return u.User.Username()
	}
	if before, _, ok := strings.Cut(repo, "@"); ok && !strings.Contains(repo, "://") {
		return before
	}
	if setting != "" {
		return setting
	}
	return "git"
}

func sshRemote(repo string, c Credentials) (*Remote, error) {
	if c.SSHKeyFile == "" {
		return nil, fmt.Errorf("fetching %s over ssh needs a private key: set the sync block's ssh_key_file or give -ssh-key-file", repo)
	}
	if _, err := os.Stat(c.SSHKeyFile); err != nil {
		return nil, fmt.Errorf("cannot read the ssh key file: %w", err)
	}
	keys, err := gitssh.NewPublicKeysFromFile(sshUser(repo, c.Username), c.SSHKeyFile, "")
	if err != nil {
		return nil, fmt.Errorf("cannot use the ssh key %s: %w (syncline reads keys without a passphrase)", c.SSHKeyFile, err)
	}
	r := &Remote{url: repo, kind: "ssh", auth: keys, keyFile: c.SSHKeyFile, knownHosts: c.KnownHostsFile}
	switch {
	case c.InsecureIgnoreHostKey:
		keys.HostKeyCallback = func(string, net.Addr, gossh.PublicKey) error { return nil }
	case c.KnownHostsFile != "":
		if _, err := os.Stat(c.KnownHostsFile); err != nil {
			return nil, fmt.Errorf("cannot read the known hosts file: %w", err)
		}
		if keys.HostKeyCallback, err = gitssh.NewKnownHostsCallback(c.KnownHostsFile); err != nil {
			return nil, fmt.Errorf("cannot read the known hosts file %s: %w", c.KnownHostsFile, err)
		}
	default:
		if keys.HostKeyCallback, err = gitssh.NewKnownHostsCallback(); err != nil {
			return nil, fmt.Errorf("cannot check the host key of %s: %w; set the sync block's known_hosts_file or give -known-hosts-file", repo, err)
		}
		r.knownHosts = "~/.ssh/known_hosts"
	}
	return r, nil
}

// fetchError explains why fetching r failed, in terms of what to change.
func fetchError(r *Remote, err error) error {
	msg := err.Error()
	switch {
	case errors.Is(err, transport.ErrAuthenticationRequired) && r.auth != nil:
		return fmt.Errorf("fetching %s: the server refused the credentials; check the user name and the password or token", r.url)
	case errors.Is(err, transport.ErrAuthenticationRequired):
		return fmt.Errorf("fetching %s: the server asks for credentials; set the sync block's username and password, or token (or %s / %s)", r.url, EnvPassword, EnvToken)
	case errors.Is(err, transport.ErrAuthorizationFailed):
		return fmt.Errorf("fetching %s: the server refused the credentials; check the user name and the password or token", r.url)
	case errors.Is(err, transport.ErrRepositoryNotFound):
		return fmt.Errorf("fetching %s: the server has no such repository (or hides it from these credentials)", r.url)
	case strings.Contains(msg, "knownhosts: key is unknown"):
		return fmt.Errorf("fetching %s: the ssh host key is not in %s; check the server's fingerprint, then add it (ssh-keyscan prints it)", r.url, r.knownHosts)
	case strings.Contains(msg, "knownhosts: key mismatch"):
		return fmt.Errorf("fetching %s: the ssh host key differs from the one in %s — the server was reinstalled, or someone is in between; nothing was fetched", r.url, r.knownHosts)
	case strings.Contains(msg, "unable to authenticate"):
		return fmt.Errorf("fetching %s: the ssh server refused the key %s; install its public key for the user on the server", r.url, r.keyFile)
	case strings.Contains(msg, "x509:") || strings.Contains(msg, "certificate"):
		return fmt.Errorf("fetching %s: the server's TLS certificate is not trusted (%v); set the sync block's ca_file or give -ca-file", r.url, err)
	}
	var netErr net.Error
	var opErr *net.OpError
	if errors.As(err, &opErr) || errors.As(err, &netErr) || strings.Contains(msg, "connection refused") || strings.Contains(msg, "no such host") {
		return fmt.Errorf("cannot reach %s: %w", r.url, err)
	}
	return fmt.Errorf("fetching %s: %w", r.url, err)
}
