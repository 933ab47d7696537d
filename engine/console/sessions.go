package console

import (
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"sync"
	"time"
)

// sessionCookie is the name of the console's session cookie.
const sessionCookie = "syncline_session"

// session is one console login. Its CSRF token is put in every form and
// checked on every state-changing request made with the session.
type session struct {
	principal
	csrf    string
	expires time.Time
}

// sessions are the console logins, by the SHA-256 of their random ID:
// kept in memory only, so a restart logs everyone out.
type sessions struct {
	mu  sync.Mutex
	ttl time.Duration
	m   map[[sha256.Size]byte]*session
}

func newSessions(ttl time.Duration) *sessions {
	return &sessions{ttl: ttl, m: map[[sha256.Size]byte]*session{}}
}

// create starts a session for p at now and returns its ID.
func (s *sessions) create(p principal, now time.Time) (string, *session) {
	id, csrf := randomToken(), randomToken()
	sess := &session{principal: p, csrf: csrf, expires: now.Add(s.ttl)}
	s.mu.Lock()
	defer s.mu.Unlock()
	if len(s.m) >= maxSessions {
		s.prune(now)
	}
	if len(s.m) >= maxSessions {
		for k := range s.m { // full of live sessions: drop any one
			delete(s.m, k)
			break
		}
	}
	s.m[sha256.Sum256([]byte(id))] = sess
	return id, sess
}

// get returns the live session with id, or nil.
func (s *sessions) get(id string, now time.Time) *session {
	key := sha256.Sum256([]byte(id))
	s.mu.Lock()
	defer s.mu.Unlock()
	sess := s.m[key]
	if sess != nil && !now.Before(sess.expires) {
		delete(s.m, key)
		return nil
	}
	return sess
}

// end ends the session with id.
func (s *sessions) end(id string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	delete(s.m, sha256.Sum256([]byte(id)))
}

func (s *sessions) prune(now time.Time) {
	for k, sess := range s.m {
		if !now.Before(sess.expires) {
			delete(s.m, k)
		}
	}
}

// randomToken is 32 random bytes, base64url-encoded.
func randomToken() string {
	b := make([]byte, 32)
	if _, err := rand.Read(b); err != nil {
		panic("console: no randomness: " + err.Error())
	}
	return base64.RawURLEncoding.EncodeToString(b)
}
