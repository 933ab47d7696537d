package gitsync

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/http"
	"time"

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

// listen serves the push webhook on cfg.Listen at /hooks/git until ctx
// ends; it returns once listening. The caller holds s.lifecycle.
func (s *Syncer) listen(ctx context.Context) error {
	h, err := s.newWebhook(*s.follow.Load())
	if err != nil {
		return err
	}
	s.webhook.Store(h)
	ln, err := net.Listen("tcp", s.cfg.Listen)
	if err != nil {
		return fmt.Errorf("serve -listen: %w", err)
	}
	s.listener = ln
	mux := http.NewServeMux()
	mux.Handle("/hooks/git", http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if s.cfg.Observer == nil {
			s.webhook.Load().ServeHTTP(w, r)
			return
		}
		sw := &statusWriter{ResponseWriter: w, status: http.StatusOK}
		s.webhook.Load().ServeHTTP(sw, r)
		s.cfg.Observer.WebhookReceived(sw.status)
	}))
	srv := &http.Server{Handler: mux, ReadHeaderTimeout: 10 * time.Second, ReadTimeout: 30 * time.Second}
	s.done.Add(2)
	go func() {
		defer s.done.Done()
		if err := srv.Serve(ln); err != nil && !errors.Is(err, http.ErrServerClosed) {
			s.cfg.Logger.Error("webhook server stopped", "error", err.Error())
		}
	}()
	go func() {
		defer s.done.Done()
		<-ctx.Done()
		shutdownCtx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 5*time.Second)
		defer cancel()
		_ = srv.Shutdown(shutdownCtx)
	}()
	return nil
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
