package gitsync

import (
	"context"
	"net/http"

	"github.com/syncline/syncline/engine/webhook"
)

// newWebhook is the push handler for f's branch and secret.
func (s *Syncer) newWebhook(f follow) (*webhook.Handler, error) {
	return webhook.New(webhook.Config{
		Secret: []byte(f.secret),
		Branch: f.branch,
		Logger: s.cfg.Logger,
		Trigger: func(context.Context, webhook.Push) error {
			s.Trigger()
			return nil
		},
	})
}

// Handler is the push webhook, for the caller to mount at /hooks/git:
// each push is checked against the secret and branch the syncer follows
// now (both change with a synced revision's sync block), and a valid push
// to the branch triggers a sync. Nil unless Config.Webhook is set.
func (s *Syncer) Handler() http.Handler {
	if !s.cfg.Webhook {
		return nil
	}
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if s.cfg.Observer == nil {
			s.webhook.Load().ServeHTTP(w, r)
			return
		}
		sw := &statusWriter{ResponseWriter: w, status: http.StatusOK}
		s.webhook.Load().ServeHTTP(sw, r)
		s.cfg.Observer.WebhookReceived(sw.status)
	})
}

// statusWriter remembers the status a handler answered with.
type statusWriter struct {
	http.ResponseWriter
	status int
	wrote  bool
}

func (w *statusWriter) WriteHeader(code int) {
	if !w.wrote {
		w.status, w.wrote = code, true
	}
	w.ResponseWriter.WriteHeader(code)
}

func (w *statusWriter) Write(b []byte) (int, error) {
	w.wrote = true
	return w.ResponseWriter.Write(b)
}
