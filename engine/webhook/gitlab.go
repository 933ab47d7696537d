package webhook

import (
	"crypto/subtle"
	"net/http"
)

// parseGitLab verifies a GitLab delivery: X-Gitlab-Event names the event
// ("Push Hook"), X-Gitlab-Token carries the secret itself.
func parseGitLab(h http.Header, body, secret []byte) (request, bool, error) {
	event := h.Get("X-Gitlab-Event")
	if event == "" {
		return request{}, false, nil
	}
	if event == "Push Hook" {
		event = "push"
	}
	req := request{provider: "gitlab", event: event, delivery: h.Get("X-Gitlab-Event-UUID")}
	token := h.Get("X-Gitlab-Token")
	if token == "" {
		return req, true, errUnsigned
	}
	if subtle.ConstantTimeCompare([]byte(token), secret) != 1 {
		return req, true, errForged
	}
	return req, true, nil
}
