package console

import (
	"crypto/sha256"
	"crypto/subtle"
	"net/http"
	"strings"
)

// Roles: a viewer reads; an operator also triggers, cancels, suspends and
// resumes.
const (
	RoleViewer   = "viewer"
	RoleOperator = "operator"
)

// principal is who a request comes from: a token's name and role.
type principal struct {
	Name string
	Role string
}

func (p principal) canOperate() bool { return p.Role == RoleOperator }

// tokenEntry is a token as kept in memory: its secret only hashed.
type tokenEntry struct {
	principal
	hash [sha256.Size]byte
}

type tokenSet []tokenEntry

func newTokenSet(tokens []Token) tokenSet {
	set := make(tokenSet, len(tokens))
	for i, t := range tokens {
		set[i] = tokenEntry{principal: principal{Name: t.Name, Role: t.Role}, hash: sha256.Sum256([]byte(t.Secret))}
	}
	return set
}

// lookup finds the token whose secret is secret. It compares the hashes
// in constant time and looks at every token, so the time taken says
// nothing about which token, or how much of one, matched.
func (s tokenSet) lookup(secret string) (principal, bool) {
	h := sha256.Sum256([]byte(secret))
	var (
		found principal
		ok    bool
	)
	for _, t := range s {
		if subtle.ConstantTimeCompare(h[:], t.hash[:]) == 1 {
			found, ok = t.principal, true
		}
	}
	return found, ok && secret != ""
}

// bearer is the token of an "Authorization: Bearer TOKEN" header; present
// reports whether the request has an Authorization header at all.
func bearer(r *http.Request) (token string, present bool) {
	h := r.Header.Get("Authorization")
	if h == "" {
		return "", false
	}
	scheme, token, _ := strings.Cut(h, " ")
	if !strings.EqualFold(scheme, "Bearer") {
		return "", true
	}
	return strings.TrimSpace(token), true
}
