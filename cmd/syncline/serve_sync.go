package main

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"path/filepath"
	"strings"
	"sync"
	"time"

	"github.com/syncline/syncline/config"
	"github.com/syncline/syncline/engine/webhook"
	"github.com/zclconf/go-cty/cty"
)

// defaultSyncPoll is how often serve -sync fetches the repository when the
// sync block sets no poll_interval.
const defaultSyncPoll = time.Minute

// serveSyncer runs syncs for serve -sync: every interval and whenever a
// webhook triggers, one at a time, coalescing triggers that arrive while a
// sync runs into one more sync.
type serveSyncer struct {
	a        *app
	args     []string // the sync command's flags
	branch   string
	interval time.Duration
	logger   *slog.Logger

	mu   sync.Mutex    // held while a sync runs: two syncs never overlap
	kick chan struct{} // capacity 1: a burst of triggers is one sync
}

// newServeSyncer reads the sync block of settings; dir is the configuration
// directory serve runs, against which a relative repository path is read.
func (a *app) newServeSyncer(settings *config.Settings, dir, location string, vars, varFiles []string, logger *slog.Logger) (*serveSyncer, error) {
	if settings == nil || settings.Sync == nil || settings.Sync.Repository == "" {
		return nil, errors.New("serve -sync needs the repository to follow: set syncline { sync { repository = ... } } in the configuration")
	}
	s := settings.Sync
	repo := s.Repository
	if !strings.Contains(repo, "://") && !filepath.IsAbs(repo) && !(strings.Contains(repo, "@") && strings.Contains(repo, ":")) {
		repo = filepath.Join(dir, repo)
	}
	branch := s.Branch
	if branch == "" {
		branch = config.DefaultSyncBranch
	}
	args := []string{"-state", location, "-repo", repo, "-branch", branch}
	if s.Path != "" {
		args = append(args, "-path", s.Path)
	}
	for _, v := range vars {
		args = append(args, "-var", v)
	}
	for _, f := range varFiles {
		args = append(args, "-var-file", f)
	}
	interval := s.PollInterval
	if interval <= 0 {
		interval = defaultSyncPoll
	}
	return &serveSyncer{a: a, args: args, branch: branch, interval: interval, logger: logger, kick: make(chan struct{}, 1)}, nil
}

// trigger asks for a sync as soon as possible; it never blocks.
func (s *serveSyncer) trigger() {
	select {
	case s.kick <- struct{}{}:
	default:
	}
}

// loop syncs at start, every interval and on every trigger, until ctx ends.
func (s *serveSyncer) loop(ctx context.Context) {
	s.syncNow(ctx, "start")
	ticker := time.NewTicker(s.interval)
	defer ticker.Stop()
	for {
		reason := "poll"
		select {
		case <-ctx.Done():
			return
		case <-ticker.C:
		case <-s.kick:
			reason = "webhook"
		}
		s.syncNow(ctx, reason)
	}
}

// syncNow runs one sync and logs its outcome.
func (s *serveSyncer) syncNow(ctx context.Context, reason string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	var out bytes.Buffer
	start := time.Now()
	err := s.a.syncOnce(ctx, &out, s.args)
	attrs := []any{"reason", reason, "branch", s.branch, "duration", time.Since(start).Round(time.Millisecond)}
	if err != nil {
		s.logger.Error("sync failed", append(attrs, "error", err.Error())...)
		return
	}
	s.logger.Info("sync", append(attrs, "outcome", syncOutcome(out.String()))...)
}

// syncOutcome is the lines of sync's output that say what happened.
func syncOutcome(out string) string {
	var keep []string
	for _, line := range strings.Split(out, "\n") {
		line = strings.TrimSpace(line)
		for _, marker := range []string{"Apply complete", "Recorded revision", "already at", "No changes", "plan_only", "force-push"} {
			if strings.Contains(line, marker) {
				keep = append(keep, line)
				break
			}
		}
	}
	if len(keep) == 0 {
		return "done"
	}
	return strings.Join(keep, " ")
}

// webhookSecret is the sync block's webhook_secret, unmarked here, at its
// only use; "" when unset.
func webhookSecret(settings *config.Settings) string {
	if settings == nil || settings.Sync == nil {
		return ""
	}
	v, _ := settings.Sync.WebhookSecret.Unmark()
	if v.IsNull() || !v.IsKnown() || !v.Type().Equals(cty.String) {
		return ""
	}
	return v.AsString()
}

// listenWebhook serves the push webhook on addr at /hooks/git, triggering
// s, until ctx ends; it returns once listening, and the returned function
// waits for the server to stop.
func (a *app) listenWebhook(ctx context.Context, addr, secret string, s *serveSyncer, logger *slog.Logger) (wait func(), err error) {
	h, err := webhook.New(webhook.Config{
		Secret: []byte(secret),
		Branch: s.branch,
		Logger: logger,
		Trigger: func(context.Context, webhook.Push) error {
			s.trigger()
			return nil
		},
	})
	if err != nil {
		return nil, err
	}
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return nil, fmt.Errorf("serve -listen: %w", err)
	}
	mux := http.NewServeMux()
	mux.Handle("/hooks/git", h)
	srv := &http.Server{Handler: mux, ReadHeaderTimeout: 10 * time.Second, ReadTimeout: 30 * time.Second}
	fmt.Fprintf(a.stdout, "syncline serve: webhook listening on http://%s/hooks/git\n", ln.Addr())
	done := make(chan struct{})
	go func() {
		defer close(done)
		if err := srv.Serve(ln); err != nil && !errors.Is(err, http.ErrServerClosed) {
			logger.Error("webhook server stopped", "error", err.Error())
		}
	}()
	go func() {
		<-ctx.Done()
		shutdownCtx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 5*time.Second)
		defer cancel()
		_ = srv.Shutdown(shutdownCtx)
	}()
	return func() { <-done }, nil
}
