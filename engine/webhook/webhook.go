package webhook

import (
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"strings"
	"sync"
)

// MaxBody is the largest request body accepted (1 MiB).
const MaxBody = 1 << 20

// maxDeliveries is how many delivery IDs are remembered.
const maxDeliveries = 1000

// Push is a verified push to the followed branch.
type Push struct {
	Provider string // "github", "gitlab", "gitea" or "generic"
	Delivery string // the provider's delivery ID, if any
	Ref      string // e.g. refs/heads/main
	Branch   string // e.g. main
	Commit   string // the "after" commit
}

// Config configures a Handler.
type Config struct {
	// Secret is the shared webhook secret; required.
	Secret []byte
	// Branch is the followed branch (e.g. "main"); required.
	Branch string
	// Trigger is called for every valid push; it must return quickly.
	Trigger func(context.Context, Push) error
	// Logger receives one line per request; nil discards.
	Logger *slog.Logger
}

// Handler is the http.Handler for push webhooks.
type Handler struct {
	secret  []byte
	branch  string
	trigger func(context.Context, Push) error
	log     *slog.Logger

	mu    sync.Mutex
	seen  map[string]struct{}
	order []string
}

// New returns a Handler; it refuses to start without a secret, a branch or
// a trigger.
func New(cfg Config) (*Handler, error) {
	if len(cfg.Secret) == 0 {
		return nil, errors.New("webhook: no secret configured; set syncline { sync { webhook_secret = ... } }")
	}
	if cfg.Branch == "" {
		return nil, errors.New("webhook: no branch to follow")
	}
	if cfg.Trigger == nil {
		return nil, errors.New("webhook: no trigger")
	}
	log := cfg.Logger
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	return &Handler{
		secret: append([]byte(nil), cfg.Secret...), branch: cfg.Branch,
		trigger: cfg.Trigger, log: log, seen: map[string]struct{}{},
	}, nil
}

// request is what a provider parser read from a verified request.
type request struct {
	provider string
	event    string // "push", "ping" or the provider's event name
	delivery string
}

// errors a parser returns.
var (
	errUnsigned = errors.New("unsigned request")
	errForged   = errors.New("signature does not match")
)

// parser verifies a request of one provider; ok is false when the headers
// are not that provider's.
type parser func(h http.Header, body, secret []byte) (req request, ok bool, err error)

var parsers = []parser{parseGitHub, parseGitLab, parseGitea, parseGeneric}

func (h *Handler) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if r.Method != http.MethodPost {
		w.Header().Set("Allow", http.MethodPost)
		h.reply(w, r, http.StatusMethodNotAllowed, "method not allowed", "")
		return
	}
	body, err := io.ReadAll(http.MaxBytesReader(w, r.Body, MaxBody))
	if err != nil {
		var tooBig *http.MaxBytesError
		if errors.As(err, &tooBig) {
			h.reply(w, r, http.StatusRequestEntityTooLarge, "body too large", "")
			return
		}
		h.reply(w, r, http.StatusBadRequest, "cannot read body", "")
		return
	}
	var req request
	found := false
	for _, p := range parsers {
		var ok bool
		req, ok, err = p(r.Header, body, h.secret)
		if ok {
			found = true
			break
		}
	}
	switch {
	case !found:
		h.reply(w, r, http.StatusUnauthorized, "unsigned request", "")
		return
	case err != nil:
		h.reply(w, r, http.StatusUnauthorized, err.Error(), req.provider)
		return
	}
	switch req.event {
	case "ping":
		h.reply(w, r, http.StatusOK, "pong", req.provider)
		return
	case "push":
	default:
		h.reply(w, r, http.StatusAccepted, "ignored: event "+req.event, req.provider)
		return
	}
	ref, after, err := parsePayload(body)
	if err != nil {
		h.reply(w, r, http.StatusBadRequest, err.Error(), req.provider)
		return
	}
	if req.delivery != "" && !h.remember(req.delivery) {
		h.reply(w, r, http.StatusOK, "duplicate delivery", req.provider)
		return
	}
	branch, isBranch := strings.CutPrefix(ref, "refs/heads/")
	if !isBranch {
		h.reply(w, r, http.StatusAccepted, "ignored: ref "+ref, req.provider)
		return
	}
	if branch != h.branch {
		h.reply(w, r, http.StatusAccepted, "ignored: branch "+branch, req.provider)
		return
	}
	push := Push{Provider: req.provider, Delivery: req.delivery, Ref: ref, Branch: branch, Commit: after}
	if err := h.trigger(r.Context(), push); err != nil {
		h.reply(w, r, http.StatusServiceUnavailable, "cannot queue the sync: "+err.Error(), req.provider)
		return
	}
	h.reply(w, r, http.StatusAccepted, "sync queued", req.provider)
}

// remember records a delivery ID and reports whether it was new.
func (h *Handler) remember(id string) bool {
	h.mu.Lock()
	defer h.mu.Unlock()
	if _, dup := h.seen[id]; dup {
		return false
	}
	h.seen[id] = struct{}{}
	h.order = append(h.order, id)
	if len(h.order) > maxDeliveries {
		delete(h.seen, h.order[0])
		h.order = h.order[1:]
	}
	return true
}

// reply writes status and msg, and logs them (never headers or secrets).
func (h *Handler) reply(w http.ResponseWriter, r *http.Request, status int, msg, provider string) {
	h.log.Info("webhook", "status", status, "result", msg, "provider", provider, "remote", r.RemoteAddr)
	w.Header().Set("Content-Type", "text/plain; charset=utf-8")
	w.WriteHeader(status)
	fmt.Fprintln(w, msg)
}

// parsePayload reads "ref" and "after" from a push payload.
func parsePayload(body []byte) (ref, after string, err error) {
	var p struct {
		Ref   *string `json:"ref"`
		After string  `json:"after"`
	}
	if err := json.Unmarshal(body, &p); err != nil {
		return "", "", errors.New("malformed payload: not a JSON push event")
	}
	if p.Ref == nil || *p.Ref == "" {
		return "", "", errors.New(`malformed payload: no "ref"`)
	}
	return *p.Ref, p.After, nil
}

// checkHMAC compares a hex HMAC-SHA256 of body with sigHex in constant time.
func checkHMAC(body, secret []byte, sigHex string) error {
	if sigHex == "" {
		return errUnsigned
	}
	got, err := hex.DecodeString(sigHex)
	if err != nil {
		return errForged
	}
	m := hmac.New(sha256.New, secret)
	m.Write(body)
	if !hmac.Equal(got, m.Sum(nil)) {
		return errForged
	}
	return nil
}

// Sign returns the hex HMAC-SHA256 of body under secret, as GitHub, Gitea
// and the generic provider send it (GitHub and generic prefix "sha256=").
func Sign(secret, body []byte) string {
	m := hmac.New(sha256.New, secret)
	m.Write(body)
	return hex.EncodeToString(m.Sum(nil))
}
