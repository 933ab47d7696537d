package gittest

import (
	"encoding/pem"
	"net/http"
	"net/http/cgi"
	"net/http/httptest"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// HTTPOptions say how ServeHTTP serves a repository.
type HTTPOptions struct {
	// Username and Password, when set, are required as basic
	// authentication; Token, when set, as a bearer token. With both, either
	// is accepted.
	Username, Password, Token string
	// TLS serves https with a certificate of its own; HTTPServer.CAFile
	// holds it.
	TLS bool
}

// HTTPServer is a git smart-HTTP server for one repository.
type HTTPServer struct {
	// URL is the repository's URL.
	URL string
	// CAFile is a PEM file with the server's certificate (TLS only).
	CAFile string
}

// ServeHTTP serves the repository at dir (a work tree or a bare
// repository) with git's own http-backend behind net/http/cgi, until the
// test ends. It skips t when git or git-http-backend is not installed.
func ServeHTTP(t testing.TB, dir string, opts HTTPOptions) *HTTPServer {
	t.Helper()
	out, err := exec.Command("git", "--exec-path").Output()
	if err != nil {
		t.Skip("no git binary:", err)
	}
	backend := filepath.Join(strings.TrimSpace(string(out)), "git-http-backend")
	if _, err := exec.LookPath(backend); err != nil {
		t.Skip("no git-http-backend:", err)
	}
	cgiHandler := &cgi.Handler{
		Path: backend,
		Root: "/git",
		Env:  []string{"GIT_PROJECT_ROOT=" + filepath.Dir(dir), "GIT_HTTP_EXPORT_ALL=1", "GIT_CONFIG_NOSYSTEM=1"},
	}
	handler := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if !authorized(r, opts) {
			w.Header().Set("WWW-Authenticate", `Basic realm="git"`)
			http.Error(w, "authentication required", http.StatusUnauthorized)
			return
		}
		cgiHandler.ServeHTTP(w, r)
	})
	srv := &HTTPServer{}
	var ts *httptest.Server
	if opts.TLS {
		ts = httptest.NewTLSServer(handler)
		srv.CAFile = filepath.Join(t.TempDir(), "ca.pem")
		ca := pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: ts.Certificate().Raw})
		write(t, srv.CAFile, ca, 0o644)
	} else {
		ts = httptest.NewServer(handler)
	}
	t.Cleanup(ts.Close)
	srv.URL = ts.URL + "/git/" + filepath.Base(dir)
	return srv
}

func authorized(r *http.Request, opts HTTPOptions) bool {
	if opts.Username == "" && opts.Token == "" {
		return true
	}
	if u, p, ok := r.BasicAuth(); ok && opts.Username != "" && u == opts.Username && p == opts.Password {
		return true
	}
	return opts.Token != "" && r.Header.Get("Authorization") == "Bearer "+opts.Token
}
