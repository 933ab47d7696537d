package console

import (
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/syncline/syncline/engine"
	"github.com/syncline/syncline/engine/internal/enginetest"
)

// Test tokens: long enough for MinSecretLength.
const (
	operatorSecret = "operator-secret-0123456789"
	viewerSecret   = "viewer-secret-0123456789"
)

const consoleHCL = `
task "hr-import" {
  description = "Import people from HR"
  owner       = "iam-team"
  activity "exec" {
    command = "sh"
    args    = ["-c", "echo imported"]
  }
  notify {
    on      = ["failed"]
    webhook = "https://hooks.example.com/services/T0KEN"
  }
}

task "nightly" {
  schedule {
    cron     = "0 2 * * *"
    timezone = "Europe/Prague"
  }
  activity "exec" {
    command = "true"
  }
}
`

// bundle is what the console tests start from: a real engine.Server on a
// fake clock over a real SQLite state with consoleHCL applied, and the
// console's handler behind an httptest server.
type bundle struct {
	*enginetest.Bundle
	srv     *engine.Server
	console *Console
	http    *httptest.Server
}

func setup(t *testing.T) *bundle {
	t.Helper()
	return setupWith(t, consoleHCL, 0)
}

// setupWith is setup with the configuration hcl and a server running at
// most workers runs at once (0: the server's default).
func setupWith(t *testing.T, hcl string, workers int) *bundle {
	t.Helper()
	b := &bundle{Bundle: enginetest.Setup(t, hcl)}
	srv, err := engine.NewServer(engine.ServerConfig{Store: b.Store, Dir: b.Dir, Clock: b.Clock, WorkerID: "test-host:1", Workers: workers})
	if err != nil {
		t.Fatal(err)
	}
	if err := srv.Start(b.Ctx); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = srv.Stop(context.Background()) })
	b.srv = srv
	b.console, err = New(Config{Store: b.Store, Engine: srv, Clock: b.Clock, Tokens: []Token{
		{Name: "alice", Role: RoleOperator, Secret: operatorSecret},
		{Name: "victor", Role: RoleViewer, Secret: viewerSecret},
	}, Mounts: []Mount{{Pattern: "/hooks/git", Public: true, Handler: http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.WriteHeader(http.StatusAccepted)
	})}}})
	if err != nil {
		t.Fatal(err)
	}
	b.http = httptest.NewServer(b.console.Handler())
	t.Cleanup(b.http.Close)
	return b
}

// response is an answer read whole.
type response struct {
	code   int
	header http.Header
	body   string
}

func (r response) json(t *testing.T, v any) {
	t.Helper()
	if err := json.Unmarshal([]byte(r.body), v); err != nil {
		t.Fatalf("answer is not JSON (%v):\n%s", err, r.body)
	}
}

// errorCode is the code of a JSON error answer.
func (r response) errorCode(t *testing.T) string {
	t.Helper()
	var e struct {
		Error apiError `json:"error"`
	}
	r.json(t, &e)
	return e.Error.Code
}

// do sends a request with the bearer token secret ("" for none).
func (b *bundle) do(t *testing.T, method, path, secret, body string) response {
	t.Helper()
	req, err := http.NewRequest(method, b.http.URL+path, strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	if secret != "" {
		req.Header.Set("Authorization", "Bearer "+secret)
	}
	if body != "" {
		req.Header.Set("Content-Type", "application/json")
	}
	return send(t, http.DefaultClient, req)
}

func send(t *testing.T, client *http.Client, req *http.Request) response {
	t.Helper()
	resp, err := client.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	data, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	return response{code: resp.StatusCode, header: resp.Header, body: string(data)}
}

// expect fails unless r has status code.
func expect(t *testing.T, what string, r response, code int) {
	t.Helper()
	if r.code != code {
		t.Fatalf("%s: status %d, want %d:\n%s", what, r.code, code, r.body)
	}
}

// waitFor waits until cond holds, checking it whenever the server may have
// moved on; it fails after a generous bound never reached when the
// server works.
func waitFor(t *testing.T, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(20 * time.Second)
	tick := time.NewTicker(5 * time.Millisecond)
	defer tick.Stop()
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("timed out waiting for %s", what)
		}
		<-tick.C
	}
}

// browser is a client with a cookie jar that does not follow redirects.
type browser struct {
	t      *testing.T
	b      *bundle
	client *http.Client
}

func (b *bundle) browser(t *testing.T) *browser {
	jar := newJar()
	return &browser{t: t, b: b, client: &http.Client{Jar: jar, CheckRedirect: func(*http.Request, []*http.Request) error {
		return http.ErrUseLastResponse
	}}}
}

func (br *browser) get(path string) response {
	br.t.Helper()
	req, err := http.NewRequest(http.MethodGet, br.b.http.URL+path, nil)
	if err != nil {
		br.t.Fatal(err)
	}
	req.Header.Set("Accept", "text/html")
	return send(br.t, br.client, req)
}

func (br *browser) post(path string, form url.Values) response {
	br.t.Helper()
	req, err := http.NewRequest(http.MethodPost, br.b.http.URL+path, strings.NewReader(form.Encode()))
	if err != nil {
		br.t.Fatal(err)
	}
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	return send(br.t, br.client, req)
}

// login logs in with secret through the form and returns the session's
// CSRF token, read from the tasks page.
func (br *browser) login(secret string) string {
	br.t.Helper()
	form := br.get("/login")
	expect(br.t, "login form", form, http.StatusOK)
	res := br.post("/login", url.Values{"token": {secret}, "csrf": {hiddenValue(br.t, form.body, "csrf")}, "next": {"/"}})
	expect(br.t, "login", res, http.StatusSeeOther)
	page := br.get("/")
	expect(br.t, "tasks page", page, http.StatusOK)
	return hiddenValue(br.t, page.body, "csrf")
}

// hiddenValue is the value of the first hidden input called name.
func hiddenValue(t *testing.T, html, name string) string {
	t.Helper()
	marker := `name="` + name + `" value="`
	i := strings.Index(html, marker)
	if i < 0 {
		t.Fatalf("no hidden %s field in:\n%s", name, html)
	}
	rest := html[i+len(marker):]
	return rest[:strings.Index(rest, `"`)]
}
