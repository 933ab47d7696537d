package console

import (
	"crypto/subtle"
	"net/http"
	"strings"
)

// loginCookie carries the login form's CSRF token (double submit), so that
// another site cannot log a browser in with its own token.
const loginCookie = "syncline_login"

type loginView struct {
	Next  string
	Token string // the login form's CSRF token
	Error string
}

// login shows the login form (GET) or checks the token and starts a
// session (POST).
func (u *ui) login(w http.ResponseWriter, r *http.Request) {
	switch r.Method {
	case http.MethodGet, http.MethodHead:
		u.loginForm(w, r, http.StatusOK, "")
	case http.MethodPost:
		u.loginPost(w, r)
	default:
		w.Header().Set("Allow", "GET, POST")
		u.errorPage(w, r, &apiError{Status: http.StatusMethodNotAllowed, Message: "Use the login form."})
	}
}

func (u *ui) loginForm(w http.ResponseWriter, r *http.Request, status int, problem string) {
	token := randomToken()
	http.SetCookie(w, &http.Cookie{Name: loginCookie, Value: token, Path: "/login", HttpOnly: true,
		SameSite: http.SameSiteStrictMode, Secure: r.TLS != nil, MaxAge: 3600})
	u.render(w, r, status, "login", "Log in", loginView{Next: safeNext(r.FormValue("next")), Token: token, Error: problem})
}

func (u *ui) loginPost(w http.ResponseWriter, r *http.Request) {
	if err := r.ParseForm(); err != nil {
		u.fail(w, r, err)
		return
	}
	ck, err := r.Cookie(loginCookie)
	if err != nil || ck.Value == "" || subtle.ConstantTimeCompare([]byte(ck.Value), []byte(r.PostFormValue("csrf"))) != 1 {
		u.loginForm(w, r, http.StatusForbidden, "The login form expired or came from elsewhere; log in again.")
		return
	}
	p, ok := u.c.tokens.lookup(strings.TrimSpace(r.PostFormValue("token")))
	if !ok {
		u.c.cfg.Logger.Warn("console login refused", "remote", r.RemoteAddr)
		u.loginForm(w, r, http.StatusUnauthorized, "That token is not one of the console's tokens.")
		return
	}
	id, _ := u.c.sessions.create(p, u.c.cfg.Clock.Now())
	http.SetCookie(w, &http.Cookie{Name: sessionCookie, Value: id, Path: "/", HttpOnly: true,
		SameSite: http.SameSiteStrictMode, Secure: r.TLS != nil, MaxAge: int(u.c.cfg.SessionTTL.Seconds())})
	http.SetCookie(w, &http.Cookie{Name: loginCookie, Value: "", Path: "/login", MaxAge: -1})
	u.c.cfg.Logger.Info("console login", "token", p.Name)
	http.Redirect(w, r, safeNext(r.PostFormValue("next")), http.StatusSeeOther)
}

// logout ends the session (POST, with the CSRF token).
func (u *ui) logout(w http.ResponseWriter, r *http.Request) {
	if r.Method != http.MethodPost {
		w.Header().Set("Allow", "POST")
		u.errorPage(w, r, &apiError{Status: http.StatusMethodNotAllowed, Message: "Log out with the button."})
		return
	}
	if ck, err := r.Cookie(sessionCookie); err == nil {
		u.c.sessions.end(ck.Value)
	}
	http.SetCookie(w, &http.Cookie{Name: sessionCookie, Value: "", Path: "/", MaxAge: -1, HttpOnly: true, SameSite: http.SameSiteStrictMode})
	http.Redirect(w, r, "/login", http.StatusSeeOther)
}

// safeNext is where to go after logging in: a path of this site, never
// another site ("//evil", "/\evil", "https://…").
func safeNext(next string) string {
	if !strings.HasPrefix(next, "/") || strings.HasPrefix(next, "//") || strings.HasPrefix(next, "/\\") || strings.HasPrefix(next, "/login") {
		return "/"
	}
	return next
}
