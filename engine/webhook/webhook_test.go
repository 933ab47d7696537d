package webhook

import (
	"context"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
)

const secret = "s3cret"

func pushBody(ref string) string {
	return `{"ref": "` + ref + `", "after": "0123456789abcdef0123456789abcdef01234567"}`
}

// signed returns headers for provider signed with key; delivery may be "".
func signed(provider, key, body, delivery string) http.Header {
	h := http.Header{}
	sig := Sign([]byte(key), []byte(body))
	switch provider {
	case "github":
		h.Set("X-GitHub-Event", "push")
		h.Set("X-Hub-Signature-256", "sha256="+sig)
		if delivery != "" {
			h.Set("X-GitHub-Delivery", delivery)
		}
	case "gitlab":
		h.Set("X-Gitlab-Event", "Push Hook")
		h.Set("X-Gitlab-Token", key)
		if delivery != "" {
			h.Set("X-Gitlab-Event-UUID", delivery)
		}
	case "gitea":
		h.Set("X-Gitea-Event", "push")
		h.Set("X-Gitea-Signature", sig)
		if delivery != "" {
			h.Set("X-Gitea-Delivery", delivery)
		}
	case "generic":
		h.Set("X-Syncline-Signature", "sha256="+sig)
		if delivery != "" {
			h.Set("X-Syncline-Delivery", delivery)
		}
	}
	return h
}

// unsigned removes the signature or token of provider from h.
func unsigned(provider string, h http.Header) http.Header {
	for _, k := range []string{"X-Hub-Signature-256", "X-Gitlab-Token", "X-Gitea-Signature"} {
		h.Del(k)
	}
	if provider == "generic" {
		h.Del("X-Syncline-Signature")
	}
	return h
}

type recorder struct {
	mu     sync.Mutex
	pushes []Push
}

func (r *recorder) trigger(_ context.Context, p Push) error {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.pushes = append(r.pushes, p)
	return nil
}

func newHandler(t *testing.T) (*Handler, *recorder) {
	t.Helper()
	rec := &recorder{}
	h, err := New(Config{Secret: []byte(secret), Branch: "main", Trigger: rec.trigger})
	if err != nil {
		t.Fatal(err)
	}
	return h, rec
}

func do(h http.Handler, method string, hdr http.Header, body string) *httptest.ResponseRecorder {
	req := httptest.NewRequest(method, "/hooks/git", strings.NewReader(body))
	for k, v := range hdr {
		req.Header[k] = v
	}
	w := httptest.NewRecorder()
	h.ServeHTTP(w, req)
	return w
}

func TestNewNeedsSecret(t *testing.T) {
	if _, err := New(Config{Branch: "main", Trigger: func(context.Context, Push) error { return nil }}); err == nil || !strings.Contains(err.Error(), "no secret") {
		t.Fatalf("New without a secret: %v", err)
	}
}

func TestHandler(t *testing.T) {
	big := `{"ref": "refs/heads/main", "pad": "` + strings.Repeat("x", MaxBody) + `"}`
	for _, provider := range []string{"github", "gitlab", "gitea", "generic"} {
		cases := []struct {
			name    string
			method  string
			hdr     http.Header
			body    string
			status  int
			msg     string
			trigger bool
		}{
			{"valid", "POST", signed(provider, secret, pushBody("refs/heads/main"), "d1"), pushBody("refs/heads/main"), 202, "sync queued", true},
			{"forged", "POST", signed(provider, "wrong", pushBody("refs/heads/main"), "d2"), pushBody("refs/heads/main"), 401, "", false},
			{"unsigned", "POST", unsigned(provider, signed(provider, secret, pushBody("refs/heads/main"), "d3")), pushBody("refs/heads/main"), 401, "", false},
			{"tampered body", "POST", signed(provider, secret, pushBody("refs/heads/main"), "d4"), pushBody("refs/heads/evil"), tamperedStatus(provider), "", false},
			{"wrong branch", "POST", signed(provider, secret, pushBody("refs/heads/dev"), "d5"), pushBody("refs/heads/dev"), 202, "ignored: branch dev", false},
			{"tag", "POST", signed(provider, secret, pushBody("refs/tags/v1"), "d6"), pushBody("refs/tags/v1"), 202, "ignored: ref refs/tags/v1", false},
			{"oversized", "POST", signed(provider, secret, big, "d7"), big, 413, "body too large", false},
			{"malformed", "POST", signed(provider, secret, "{not json", "d8"), "{not json", 400, "malformed payload", false},
			{"no ref", "POST", signed(provider, secret, `{"after": "x"}`, "d9"), `{"after": "x"}`, 400, "malformed payload", false},
			{"wrong method", "GET", signed(provider, secret, "", "d10"), "", 405, "method not allowed", false},
		}
		for _, c := range cases {
			t.Run(provider+"/"+c.name, func(t *testing.T) {
				h, rec := newHandler(t)
				w := do(h, c.method, c.hdr, c.body)
				if w.Code != c.status || !strings.Contains(w.Body.String(), c.msg) {
					t.Errorf("got %d %q, want %d %q", w.Code, w.Body.String(), c.status, c.msg)
				}
				if got := len(rec.pushes) > 0; got != c.trigger {
					t.Errorf("triggered %v, want %v", got, c.trigger)
				}
				if strings.Contains(w.Body.String(), secret) {
					t.Errorf("the reply shows the secret: %q", w.Body.String())
				}
			})
		}
		t.Run(provider+"/duplicate", func(t *testing.T) {
			h, rec := newHandler(t)
			body := pushBody("refs/heads/main")
			if w := do(h, "POST", signed(provider, secret, body, "same"), body); w.Code != 202 {
				t.Fatalf("first delivery: %d %s", w.Code, w.Body)
			}
			w := do(h, "POST", signed(provider, secret, body, "same"), body)
			if w.Code != 200 || !strings.Contains(w.Body.String(), "duplicate delivery") {
				t.Errorf("second delivery: %d %q", w.Code, w.Body.String())
			}
			if len(rec.pushes) != 1 {
				t.Errorf("%d triggers, want 1", len(rec.pushes))
			}
			if p := rec.pushes[0]; p.Provider != provider || p.Branch != "main" || p.Delivery != "same" || !strings.HasPrefix(p.Commit, "0123") {
				t.Errorf("push %+v", p)
			}
		})
	}
}

func TestGitHubEvents(t *testing.T) {
	h, rec := newHandler(t)
	body := `{"zen": "hi"}`
	hdr := signed("github", secret, body, "p1")
	hdr.Set("X-GitHub-Event", "ping")
	if w := do(h, "POST", hdr, body); w.Code != 200 || !strings.Contains(w.Body.String(), "pong") {
		t.Errorf("ping: %d %q", w.Code, w.Body.String())
	}
	hdr = signed("github", secret, body, "p2")
	hdr.Set("X-GitHub-Event", "issues")
	if w := do(h, "POST", hdr, body); w.Code != 202 || !strings.Contains(w.Body.String(), "ignored") {
		t.Errorf("issues: %d %q", w.Code, w.Body.String())
	}
	hdr = signed("github", "forged", body, "p3")
	hdr.Set("X-GitHub-Event", "ping")
	if w := do(h, "POST", hdr, body); w.Code != 401 {
		t.Errorf("forged ping: %d", w.Code)
	}
	if len(rec.pushes) != 0 {
		t.Errorf("events triggered %d syncs", len(rec.pushes))
	}
}

func TestDeliveryMemoryIsBounded(t *testing.T) {
	h, _ := newHandler(t)
	for i := 0; i < maxDeliveries+10; i++ {
		h.remember(strings.Repeat("x", i%7) + string(rune('a'+i%26)) + string(rune(i)))
	}
	if len(h.seen) != maxDeliveries || len(h.order) != maxDeliveries {
		t.Errorf("remembers %d/%d deliveries, want %d", len(h.seen), len(h.order), maxDeliveries)
	}
}

// tamperedStatus: a body changed after signing is refused, except by GitLab,
// whose token does not sign the body (the push is then read as sent).
func tamperedStatus(provider string) int {
	if provider == "gitlab" {
		return 202
	}
	return 401
}
