package webhook

import (
	"net/http"
	"strings"
)

// parseGeneric verifies a generic push: X-Syncline-Signature is "sha256="
// and the HMAC-SHA256 of the body; every such request is a push, and
// X-Syncline-Delivery, if present, is its delivery ID.
func parseGeneric(h http.Header, body, secret []byte) (request, bool, error) {
	sig := h.Get("X-Syncline-Signature")
	if sig == "" {
		return request{}, false, nil
	}
	req := request{provider: "generic", event: "push", delivery: h.Get("X-Syncline-Delivery")}
	hexSig, ok := strings.CutPrefix(sig, "sha256=")
	if !ok {
		return req, true, errForged
	}
	return req, true, checkHMAC(body, secret, hexSig)
}
