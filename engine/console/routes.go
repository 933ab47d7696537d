package console

import (
	"context"
	"crypto/subtle"
	"net/http"
	"strings"
)

// routes is the console's handler: security headers and the body limit
// around every route.
func (c *Console) routes() http.Handler {
	mux := http.NewServeMux()
	mux.HandleFunc("/healthz", c.healthz)
	mux.HandleFunc("/readyz", c.readyz)
	mux.Handle("/static/", staticHandler())
	mux.HandleFunc("/login", c.ui.login)
	mux.Handle("/logout", c.require(false, http.HandlerFunc(c.ui.logout)))
	c.apiRoutes(mux)
	c.ui.routes(mux)
	for _, m := range c.cfg.Mounts {
		h := m.Handler
		if !m.Public {
			h = c.require(false, h)
		}
		mux.Handle(m.Pattern, h)
	}
	return c.secure(mux)
}

// secure sets the security headers of every answer and bounds request
// bodies: a body longer than MaxBodyBytes gets 413.
func (c *Console) secure(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		h := w.Header()
		h.Set("Content-Security-Policy", "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self'; connect-src 'self'; form-action 'self'; base-uri 'none'; frame-ancestors 'none'")
		h.Set("X-Content-Type-Options", "nosniff")
		h.Set("X-Frame-Options", "DENY")
		h.Set("Referrer-Policy", "no-referrer")
		h.Set("Cross-Origin-Opener-Policy", "same-origin")
		if !strings.HasPrefix(r.URL.Path, "/static/") {
			h.Set("Cache-Control", "no-store")
		}
		if r.ContentLength > c.cfg.MaxBodyBytes {
			c.tooLarge(w, r)
			return
		}
		r.Body = http.MaxBytesReader(w, r.Body, c.cfg.MaxBodyBytes)
		next.ServeHTTP(w, r)
	})
}

func (c *Console) tooLarge(w http.ResponseWriter, r *http.Request) {
	writeError(w, &apiError{Status: http.StatusRequestEntityTooLarge, Code: "too_large",
		Message: "the request body is larger than the console accepts"})
}

func (c *Console) healthz(w http.ResponseWriter, r *http.Request) {
	writeJSON(w, http.StatusOK, map[string]string{"status": "ok"})
}

// readyz answers 200 when the server runs its tasks (store reachable,
// scheduler ticking), 503 with the reason otherwise.
func (c *Console) readyz(w http.ResponseWriter, r *http.Request) {
	if err := c.cfg.Engine.Ready(r.Context()); err != nil {
		writeJSON(w, http.StatusServiceUnavailable, map[string]string{"status": "not ready", "reason": err.Error()})
		return
	}
	writeJSON(w, http.StatusOK, map[string]string{"status": "ready"})
}

type ctxKey int

const (
	principalKey ctxKey = iota
	sessionKey
)

// who is the principal require put in the request's context.
func who(r *http.Request) principal {
	p, _ := r.Context().Value(principalKey).(principal)
	return p
}

// sessionOf is the request's console session, or nil for a bearer token.
func sessionOf(r *http.Request) *session {
	s, _ := r.Context().Value(sessionKey).(*session)
	return s
}

// require authenticates the request (a bearer token, or a session cookie)
// and, for a session, checks the CSRF token of a state-changing request.
// Without credentials a browser's page request is sent to the login form;
// anything else (the API, a script, a scraper) gets 401. operator asks for the operator role (403 otherwise).
func (c *Console) require(operator bool, next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		p, sess, ok := c.authenticate(r)
		if !ok {
			c.unauthenticated(w, r)
			return
		}
		if sess != nil && !safeMethod(r.Method) && !c.csrfOK(r, sess) {
			c.fail(w, r, &apiError{Status: http.StatusForbidden, Code: "csrf",
				Message: "the request lacks the form's CSRF token, or it is wrong: reload the page and try again"})
			return
		}
		if operator && !p.canOperate() {
			c.fail(w, r, &apiError{Status: http.StatusForbidden, Code: "forbidden",
				Message: "token " + p.Name + " has the viewer role; this needs an operator token"})
			return
		}
		ctx := context.WithValue(r.Context(), principalKey, p)
		if sess != nil {
			ctx = context.WithValue(ctx, sessionKey, sess)
		}
		next.ServeHTTP(w, r.WithContext(ctx))
	})
}

// authenticate finds who sent r: a bearer token wins over a cookie, and a
// wrong bearer token fails even with a good cookie.
func (c *Console) authenticate(r *http.Request) (principal, *session, bool) {
	if token, present := bearer(r); present {
		p, ok := c.tokens.lookup(token)
		return p, nil, ok
	}
	ck, err := r.Cookie(sessionCookie)
	if err != nil {
		return principal{}, nil, false
	}
	sess := c.sessions.get(ck.Value, c.cfg.Clock.Now())
	if sess == nil {
		return principal{}, nil, false
	}
	return sess.principal, sess, true
}

// csrfOK checks the CSRF token of a session's request: the X-CSRF-Token
// header (API calls from the console's script) or the form's csrf field.
func (c *Console) csrfOK(r *http.Request, sess *session) bool {
	got := r.Header.Get("X-CSRF-Token")
	if got == "" && strings.HasPrefix(r.Header.Get("Content-Type"), "application/x-www-form-urlencoded") {
		got = r.PostFormValue("csrf")
	}
	return got != "" && subtle.ConstantTimeCompare([]byte(got), []byte(sess.csrf)) == 1
}

func (c *Console) unauthenticated(w http.ResponseWriter, r *http.Request) {
	if isAPI(r) || r.Header.Get("Authorization") != "" || !safeMethod(r.Method) || !wantsHTML(r) {
		w.Header().Set("WWW-Authenticate", `Bearer realm="syncline"`)
		writeError(w, &apiError{Status: http.StatusUnauthorized, Code: "unauthenticated",
			Message: "authentication required: send Authorization: Bearer TOKEN with a token of the syncline { console { token ... } } block"})
		return
	}
	http.Redirect(w, r, "/login?next="+urlQueryEscape(r.URL.RequestURI()), http.StatusSeeOther)
}

// fail answers an error: as JSON for the API, as a page for the console.
func (c *Console) fail(w http.ResponseWriter, r *http.Request, e *apiError) {
	if isAPI(r) {
		writeError(w, e)
		return
	}
	c.ui.errorPage(w, r, e)
}

// wantsHTML reports whether r comes from a browser (which is sent to the
// login form) rather than a script or a scraper (which gets 401).
func wantsHTML(r *http.Request) bool { return strings.Contains(r.Header.Get("Accept"), "text/html") }

func isAPI(r *http.Request) bool { return strings.HasPrefix(r.URL.Path, "/api/") }

func safeMethod(m string) bool {
	return m == http.MethodGet || m == http.MethodHead || m == http.MethodOptions
}
