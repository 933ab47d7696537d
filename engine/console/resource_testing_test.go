package console

import (
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/syncline/syncline/engine/internal/enginetest"
)

const resourcesHCL = `
variable "db_password" {
  type      = string
  sensitive = true
  default   = "pw-s3cret"
}

resource "hr" {
  connector = "csv"
  connection {
    path       = "hr.csv"
    identifier = "emp_id"
  }
}

resource "broken" {
  connector = "csv"
  connection {
    path       = "bad.csv"
    identifier = "emp_id"
  }
}

resource "app" {
  connector = "sql"
  connection {
    driver = "postgres"
    dsn    = "postgres://app:${var.db_password}@127.0.0.1:1/test?connect_timeout=5"
    table  = "accounts"
    key    = "login"
  }
}
`

// TestResourceTestEndpoint: POST /api/v1/resources/NAME/test runs the
// connection test of syncline resources test; the Resources page shows
// the last one; secrets never appear; viewers may not test.
func TestResourceTestEndpoint(t *testing.T) {
	t.Parallel()
	eb := enginetest.Setup(t, resourcesHCL)
	for name, text := range map[string]string{
		"hr.csv":  "emp_id,first_name\n1,Ada\n2,Alan\n",
		"bad.csv": "emp_id,first_name\n1,Ada,extra\n,Nobody\n",
	} {
		if err := os.WriteFile(filepath.Join(eb.Dir, name), []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	eb.Apply(t)
	c, err := New(Config{Store: eb.Store, Engine: benchEngine{cat: eb.Catalog(t)}, Clock: eb.Clock, Tokens: []Token{
		{Name: "alice", Role: RoleOperator, Secret: operatorSecret},
		{Name: "victor", Role: RoleViewer, Secret: viewerSecret},
	}})
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(c.Handler())
	t.Cleanup(srv.Close)
	b := &bundle{http: srv}

	var got ResourceTest
	res := b.do(t, "POST", "/api/v1/resources/hr/test", operatorSecret, "")
	expect(t, "test hr", res, http.StatusOK)
	res.json(t, &got)
	if !got.OK || got.Error != "" || got.Objects != 2 || got.Identifier != "emp_id" || got.Connector != "csv" || got.By != "alice" || len(got.Attributes) != 2 {
		t.Errorf("hr: %+v", got)
	}

	res = b.do(t, "POST", "/api/v1/resources/broken/test", operatorSecret, "{}")
	expect(t, "test broken", res, http.StatusOK)
	got = ResourceTest{}
	res.json(t, &got)
	if got.OK || got.Error != "" || got.ProblemCount == 0 || len(got.Problems) != got.ProblemCount {
		t.Errorf("broken: %+v", got)
	}

	res = b.do(t, "POST", "/api/v1/resources/app/test", operatorSecret, "")
	expect(t, "test app", res, http.StatusOK)
	got = ResourceTest{}
	res.json(t, &got)
	if got.OK || got.Error == "" {
		t.Errorf("app (nothing listens on port 1): %+v", got)
	}
	if strings.Contains(res.body, "s3cret") {
		t.Errorf("the answer holds the password:\n%s", res.body)
	}

	for _, tc := range []struct {
		what, path, secret, body string
		code                     int
		errCode                  string
	}{
		{"a viewer", "/api/v1/resources/hr/test", viewerSecret, "", http.StatusForbidden, "forbidden"},
		{"no token", "/api/v1/resources/hr/test", "", "", http.StatusUnauthorized, "unauthenticated"},
		{"unknown resource", "/api/v1/resources/nope/test", operatorSecret, "", http.StatusNotFound, "not_found"},
		{"a body with fields", "/api/v1/resources/hr/test", operatorSecret, `{"x": 1}`, http.StatusBadRequest, "bad_request"},
	} {
		res := b.do(t, "POST", tc.path, tc.secret, tc.body)
		expect(t, tc.what, res, tc.code)
		if res.errorCode(t) != tc.errCode {
			t.Errorf("%s: %s", tc.what, res.body)
		}
	}
	expect(t, "GET", b.do(t, "GET", "/api/v1/resources/hr/test", operatorSecret, ""), http.StatusMethodNotAllowed)

	// The page shows each resource's last test; a viewer has no Test
	// button, an operator's form runs the test.
	br := b.browser(t)
	br.login(viewerSecret)
	page := br.get("/resources")
	expect(t, "resources page", page, http.StatusOK)
	for _, want := range []string{`id="resource-hr"`, "works", "failed", "by alice", "emp_id", "cannot be read", "connection refused"} {
		if !strings.Contains(page.body, want) {
			t.Errorf("the Resources page lacks %q:\n%s", want, page.body)
		}
	}
	if strings.Contains(page.body, "s3cret") || strings.Contains(page.body, `action="/resources/hr/test"`) {
		t.Errorf("a viewer's Resources page shows a secret or a Test form:\n%s", page.body)
	}
	op := b.browser(t)
	csrf := op.login(operatorSecret)
	expect(t, "form without CSRF", op.post("/resources/hr/test", nil), http.StatusForbidden)
	res = op.post("/resources/hr/test", map[string][]string{"csrf": {csrf}})
	expect(t, "the Test form", res, http.StatusSeeOther)
	if loc := res.header.Get("Location"); !strings.HasPrefix(loc, "/resources?done=") || !strings.HasSuffix(loc, "#resource-hr") {
		t.Errorf("the Test form sends to %q", loc)
	}
}
