package console

import (
	"net/http"
	"net/url"
	"strings"
	"testing"
)

// TestConsoleLoginTriggerAndRunPage: log in with a token, see the grid,
// trigger a task with the row's form, land on its run page, and see the
// run in the task's History.
func TestConsoleLoginTriggerAndRunPage(t *testing.T) {
	t.Parallel()
	b := setup(t)
	br := b.browser(t)
	csrf := br.login(operatorSecret)
	grid := br.get("/")
	for _, want := range []string{"hr-import", "Import people from HR", "iam-team", "Idle", `action="/tasks/hr-import/trigger"`, "alice (operator)"} {
		if !strings.Contains(grid.body, want) {
			t.Errorf("the grid lacks %q", want)
		}
	}
	if strings.Contains(grid.body, "<script>") || strings.Contains(grid.body, "onclick") {
		t.Error("a page holds inline script, which the CSP forbids")
	}
	res := br.post("/tasks/hr-import/trigger", url.Values{"csrf": {csrf}})
	expect(t, "trigger", res, http.StatusSeeOther)
	runPath := strings.SplitN(res.header.Get("Location"), "?", 2)[0]
	if !strings.HasPrefix(runPath, "/runs/") {
		t.Fatalf("trigger sent to %q", res.header.Get("Location"))
	}
	waitFor(t, "the run to succeed", func() bool { return strings.Contains(br.get(runPath).body, `id="run-state">succeeded<`) })
	page := br.get(runPath)
	for _, want := range []string{"manual by alice", "exec", "Changes"} {
		if !strings.Contains(page.body, want) {
			t.Errorf("the run page lacks %q", want)
		}
	}
	if history := br.get("/runs?task=hr-import"); !strings.Contains(history.body, `href="`+runPath+`"`) {
		t.Errorf("History lacks the run:\n%s", history.body)
	}
	for _, path := range []string{"/tasks/hr-import", "/applies", "/sync", "/tasks/nightly"} {
		expect(t, path, br.get(path), http.StatusOK)
	}
	expect(t, "unknown task page", br.get("/tasks/nope"), http.StatusNotFound)
}

func TestConsoleRefusesAFormWithoutItsCSRFToken(t *testing.T) {
	t.Parallel()
	b := setup(t)
	br := b.browser(t)
	csrf := br.login(operatorSecret)
	expect(t, "no token", br.post("/tasks/hr-import/trigger", url.Values{}), http.StatusForbidden)
	expect(t, "wrong token", br.post("/tasks/hr-import/trigger", url.Values{"csrf": {csrf + "x"}}), http.StatusForbidden)
	// The API with the session cookie is CSRF-checked too.
	req, _ := http.NewRequest("POST", b.http.URL+"/api/v1/tasks/hr-import/trigger", strings.NewReader("{}"))
	res := send(t, br.client, req)
	expect(t, "API with the cookie, no CSRF header", res, http.StatusForbidden)
	if res.errorCode(t) != "csrf" {
		t.Errorf("refusal: %s", res.body)
	}
	if runs := b.Runs(t, "hr-import"); len(runs) != 0 {
		t.Errorf("refused forms queued %d runs", len(runs))
	}
	req, _ = http.NewRequest("POST", b.http.URL+"/api/v1/tasks/hr-import/trigger", strings.NewReader("{}"))
	req.Header.Set("X-CSRF-Token", csrf)
	expect(t, "API with the cookie and the CSRF header", send(t, br.client, req), http.StatusAccepted)
}

func TestConsoleViewerCannotTrigger(t *testing.T) {
	t.Parallel()
	b := setup(t)
	br := b.browser(t)
	csrf := br.login(viewerSecret)
	if grid := br.get("/"); strings.Contains(grid.body, `action="/tasks/hr-import/trigger"`) {
		t.Error("a viewer's grid offers Trigger")
	}
	expect(t, "viewer trigger", br.post("/tasks/hr-import/trigger", url.Values{"csrf": {csrf}}), http.StatusForbidden)
	expect(t, "viewer suspend", br.post("/tasks/hr-import/suspend", url.Values{"csrf": {csrf}, "reason": {"x"}}), http.StatusForbidden)
}

func TestConsoleLogin(t *testing.T) {
	t.Parallel()
	b := setup(t)
	br := b.browser(t)
	form := br.get("/login")
	token := hiddenValue(t, form.body, "csrf")
	expect(t, "wrong token", br.post("/login", url.Values{"token": {"nope-nope-nope-nope"}, "csrf": {token}}), http.StatusUnauthorized)
	form = br.get("/login")
	expect(t, "no form token", br.post("/login", url.Values{"token": {operatorSecret}}), http.StatusForbidden)
	form = br.get("/login")
	res := br.post("/login", url.Values{"token": {operatorSecret}, "csrf": {hiddenValue(t, form.body, "csrf")}, "next": {"//evil.example.com/"}})
	expect(t, "login", res, http.StatusSeeOther)
	if res.header.Get("Location") != "/" {
		t.Errorf("login sent to %q", res.header.Get("Location"))
	}
	var ck *http.Cookie
	for _, c := range (&http.Response{Header: res.header}).Cookies() {
		if c.Name == sessionCookie {
			ck = c
		}
	}
	if ck == nil || !ck.HttpOnly || ck.SameSite != http.SameSiteStrictMode || ck.Path != "/" {
		t.Fatalf("session cookie: %+v", ck)
	}
	csrf := hiddenValue(t, br.get("/").body, "csrf")
	expect(t, "logout", br.post("/logout", url.Values{"csrf": {csrf}}), http.StatusSeeOther)
	if res := br.get("/"); res.code != http.StatusSeeOther || !strings.HasPrefix(res.header.Get("Location"), "/login") {
		t.Errorf("after logout: %d %s", res.code, res.header.Get("Location"))
	}
}

func TestSessionsExpire(t *testing.T) {
	t.Parallel()
	b := setup(t)
	br := b.browser(t)
	br.login(viewerSecret)
	b.Clock.Advance(DefaultSessionTTL)
	if res := br.get("/"); res.code != http.StatusSeeOther {
		t.Errorf("an expired session still opens the grid: %d", res.code)
	}
}
