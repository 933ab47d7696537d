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
	"sync/atomic"
	"time"

	"github.com/syncline/syncline/config"
	"github.com/syncline/syncline/engine/ops"
	"github.com/syncline/syncline/engine/webhook"
	"github.com/syncline/syncline/internal/gitmirror"
	"github.com/syncline/syncline/internal/views"
	"github.com/syncline/syncline/state"
)

// defaultSyncPoll is how often serve -sync fetches the repository when the
// sync block sets no poll_interval.
const defaultSyncPoll = time.Minute

// syncFollow is what serve -sync follows, read from a sync block.
type syncFollow struct {
	repo, branch, path string
	interval           time.Duration
	creds              gitmirror.Credentials
	secret             string
}

// followFrom reads a sync block; dir is the configuration directory serve
// runs, against which relative repository and file names are read.
func followFrom(s *config.SyncSettings, dir string) (syncFollow, error) {
	if s == nil || s.Repository == "" {
		return syncFollow{}, errors.New("serve -sync needs the repository to follow: set syncline { sync { repository = ... } } in the configuration")
	}
	f := syncFollow{repo: s.Repository, branch: s.Branch, path: s.Path, interval: s.PollInterval,
		creds: gitmirror.CredentialsFrom(s, dir), secret: gitmirror.SecretString(s.WebhookSecret)}
	if !strings.Contains(f.repo, "://") && !filepath.IsAbs(f.repo) && !gitmirror.IsSCPLike(f.repo) {
		f.repo = filepath.Join(dir, f.repo)
	}
	if f.branch == "" {
		f.branch = config.DefaultSyncBranch
	}
	if f.path == "" {
		f.path = "."
	}
	if f.interval <= 0 {
		f.interval = defaultSyncPoll
	}
	return f, nil
}

// serveSyncer runs syncs for serve -sync: every interval and whenever a
// webhook triggers, one at a time, coalescing triggers that arrive while a
// sync runs into one more sync. After a sync leaves the state at a
// revision, it follows that revision's sync block (when it has one).
type serveSyncer struct {
	a        *app
	dir      string // serve's DIR
	location string // the state store
	vars     []string
	varFiles []string
	logger   *slog.Logger

	mu     sync.Mutex // held while a sync runs: two syncs never overlap
	follow atomic.Pointer[syncFollow]
	kick   chan struct{} // capacity 1: a burst of triggers is one sync
	// webhook is the push handler in use, replaced when the secret or the
	// branch changes.
	webhook atomic.Pointer[webhook.Handler]
}

// newServeSyncer reads the sync block of settings, the configuration in
// dir, that serve follows until a synced revision says otherwise.
func (a *app) newServeSyncer(settings *config.Settings, dir, location string, vars, varFiles []string, logger *slog.Logger) (*serveSyncer, error) {
	var block *config.SyncSettings
	if settings != nil {
		block = settings.Sync
	}
	f, err := followFrom(block, dir)
	if err != nil {
		return nil, err
	}
	s := &serveSyncer{a: a, dir: dir, location: location, vars: vars, varFiles: varFiles, logger: logger, kick: make(chan struct{}, 1)}
	s.follow.Store(&f)
	return s, nil
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
	for {
		reason := "poll"
		timer := time.NewTimer(s.follow.Load().interval)
		select {
		case <-ctx.Done():
			timer.Stop()
			return
		case <-timer.C:
		case <-s.kick:
			timer.Stop()
			reason = "webhook"
		}
		s.syncNow(ctx, reason)
	}
}

// syncNow runs one sync and logs its outcome.
func (s *serveSyncer) syncNow(ctx context.Context, reason string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	f := s.follow.Load()
	var out bytes.Buffer
	start := time.Now()
	res, err := s.a.withOutput(&out).runSync(ctx, ops.SyncOptions{
		Repo: f.repo, Branch: f.branch, Path: f.path, State: s.location,
		Vars: s.vars, VarFiles: s.varFiles,
		Credentials: f.creds.Override(gitmirror.Credentials{Password: s.a.getenv(gitmirror.EnvPassword), Token: s.a.getenv(gitmirror.EnvToken)}),
	})
	attrs := []any{"reason", reason, "branch", f.branch, "duration", time.Since(start).Round(time.Millisecond)}
	if err != nil {
		text := syncErrorText(err, out.String())
		failure := state.SyncFailure{Repository: f.repo, Branch: f.branch, Error: text}
		if res != nil {
			failure.Revision = res.Commit
			attrs = append(attrs, "revision", config.ShortCommit(res.Commit))
		}
		s.logger.Error("sync failed; still running the definitions applied before", append(attrs, "error", text)...)
		s.recordFailure(ctx, failure)
		return
	}
	s.logger.Info("sync", append(attrs, "outcome", views.SyncOutcome(synced(res)))...)
	if res.Current() {
		s.adopt(res)
	}
}

// recordFailure keeps a failed sync in the state, for syncline state
// history; a state that cannot take it only adds to the log.
func (s *serveSyncer) recordFailure(ctx context.Context, f state.SyncFailure) {
	st, err := openStore(ctx, s.location)
	if err == nil {
		err = st.SyncRecordFailure(ctx, f)
		st.Close()
	}
	if err != nil {
		s.logger.Error("could not record the failed sync in the state", "error", err.Error())
	}
}

// syncErrorText is err, with the diagnostics sync printed before failing
// when err only carries an exit status.
func syncErrorText(err error, out string) string {
	var status exitStatus
	if errors.As(err, &status) {
		if text := strings.TrimSpace(out); text != "" {
			return text
		}
	}
	return err.Error()
}

// adopt follows the sync block of the revision the state is now at: a
// change of repository, branch, path, interval, credentials or webhook
// secret takes effect from the next sync. A revision without a sync block
// leaves what serve follows as it is.
func (s *serveSyncer) adopt(res *ops.SyncResult) {
	if res.Settings == nil || res.Settings.Sync == nil || res.Settings.Sync.Repository == "" {
		return
	}
	next, err := followFrom(res.Settings.Sync, s.dir)
	if err != nil {
		return
	}
	cur := s.follow.Load()
	if changed := followChanges(cur, &next); len(changed) > 0 {
		s.logger.Info("sync settings changed", "revision", config.ShortCommit(res.Commit), "changed", strings.Join(changed, ", "))
	}
	if h := s.webhook.Load(); h != nil && (next.secret != cur.secret || next.branch != cur.branch) {
		nh, err := s.newWebhook(next)
		if err != nil {
			s.logger.Error("keeping the webhook as it was", "error", err.Error())
			next.secret, next.branch = cur.secret, cur.branch
		} else {
			s.webhook.Store(nh)
		}
	}
	s.follow.Store(&next)
}

// followChanges names what differs between two syncFollows, without values
// for secrets.
func followChanges(a, b *syncFollow) []string {
	var out []string
	for _, c := range []struct {
		name       string
		before, to string
	}{{"repository", a.repo, b.repo}, {"branch", a.branch, b.branch}, {"path", a.path, b.path},
		{"poll_interval", a.interval.String(), b.interval.String()}} {
		if c.before != c.to {
			out = append(out, fmt.Sprintf("%s %s -> %s", c.name, c.before, c.to))
		}
	}
	if a.creds != b.creds {
		out = append(out, "credentials")
	}
	if a.secret != b.secret {
		out = append(out, "webhook_secret")
	}
	return out
}

// configDir is where the configuration applied as snap is: the checkout of
// the commit its apply recorded, written from the mirror when missing.
// Without one — nothing applied, an apply from a directory, a commit the
// mirror lacks — it is serve's DIR.
func (s *serveSyncer) configDir(ctx context.Context, st *state.Store, snap *state.Snapshot) string {
	rec, err := st.ApplyAt(ctx, snap.Serial)
	if err != nil || rec == nil || rec.Revision == "" {
		return s.dir
	}
	f := s.follow.Load()
	root := gitmirror.CacheRoot(s.location)
	m, err := gitmirror.Open(root, gitmirror.MirrorURL(f.repo))
	if err != nil {
		s.logger.Warn("no mirror to check the applied revision out from; loading DIR", "revision", config.ShortCommit(rec.Revision), "dir", s.dir)
		return s.dir
	}
	dir, err := m.Checkout(gitmirror.CheckoutsRoot(root), rec.Revision)
	if err != nil {
		s.logger.Warn("cannot check the applied revision out; loading DIR", "revision", config.ShortCommit(rec.Revision), "dir", s.dir, "error", err.Error())
		return s.dir
	}
	if err := gitmirror.PruneCheckouts(gitmirror.CheckoutsRoot(root), rec.Revision); err != nil {
		s.logger.Warn("cannot remove old checkouts", "error", err.Error())
	}
	return filepath.Join(dir, filepath.FromSlash(f.path))
}

// newWebhook is the push handler for f's branch and secret.
func (s *serveSyncer) newWebhook(f syncFollow) (*webhook.Handler, error) {
	return webhook.New(webhook.Config{
		Secret: []byte(f.secret),
		Branch: f.branch,
		Logger: s.logger,
		Trigger: func(context.Context, webhook.Push) error {
			s.trigger()
			return nil
		},
	})
}

// listenWebhook serves the push webhook on addr at /hooks/git, triggering
// s, until ctx ends; it returns once listening, and the returned function
// waits for the server to stop.
func (a *app) listenWebhook(ctx context.Context, addr string, s *serveSyncer, logger *slog.Logger) (wait func(), err error) {
	h, err := s.newWebhook(*s.follow.Load())
	if err != nil {
		return nil, err
	}
	s.webhook.Store(h)
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return nil, fmt.Errorf("serve -listen: %w", err)
	}
	mux := http.NewServeMux()
	mux.Handle("/hooks/git", http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		s.webhook.Load().ServeHTTP(w, r)
	}))
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
