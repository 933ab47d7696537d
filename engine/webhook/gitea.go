package webhook

import "net/http"

// parseGitea verifies a Gitea delivery: X-Gitea-Event names the event,
// X-Gitea-Signature is the hex HMAC-SHA256 of the body.
func parseGitea(h http.Header, body, secret []byte) (request, bool, error) {
	event := h.Get("X-Gitea-Event")
	if event == "" {
		return request{}, false, nil
	}
	req := request{provider: "gitea", event: event, delivery: h.Get("X-Gitea-Delivery")}
	return req, true, checkHMAC(body, secret, h.Get("X-Gitea-Signature"))
}
