package webhook

import (
	"net/http"
	"strings"
)

// parseGitHub verifies a GitHub delivery: X-GitHub-Event names the event,
// X-Hub-Signature-256 is "sha256=" and the HMAC-SHA256 of the body.
func parseGitHub(h http.Header, body, secret []byte) (request, bool, error) {
	event := h.Get("X-GitHub-Event")
	if event == "" {
		return request{}, false, nil
	}
	req := request{provider: "github", event: event, delivery: h.Get("X-GitHub-Delivery")}
	sig := h.Get("X-Hub-Signature-256")
	if sig == "" {
		return req, true, errUnsigned
	}
	hexSig, ok := strings.CutPrefix(sig, "sha256=")
	if !ok {
		return req, true, errForged
	}
	return req, true, checkHMAC(body, secret, hexSig)
}
