package gitsync

import (
	"bytes"
	"context"
	"errors"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/syncline/syncline/config"
	"github.com/syncline/syncline/engine/ops"
	"github.com/syncline/syncline/engine/webhook"
	"github.com/syncline/syncline/internal/gitmirror"
	"github.com/syncline/syncline/state"
)

// Syncer runs syncs for serve -sync: at start, every interval and whenever
// a webhook triggers, one at a time, coalescing triggers that arrive while
// a sync runs into one more sync. After a sync leaves the state at a
// revision, it follows that revision's sync block (when it has one).
type Syncer struct {
	cfg     Config
	signals syncerSignals

	mu     sync.Mutex // held while a sync runs: two syncs never overlap
	follow atomic.Pointer[follow]
	kick   chan struct{} // capacity 1: a burst of triggers is one sync
	// webhook is the push handler in use, replaced when the secret or the
	// branch changes.
	webhook atomic.Pointer[webhook.Handler]

	lifecycle sync.Mutex // guards started and cancel
	started   bool
	cancel    context.CancelFunc
	done      sync.WaitGroup // the loop
}

// New checks cfg and reads the sync block of cfg.Settings, which the
// syncer follows until a synced revision says otherwise.
func New(cfg Config) (*Syncer, error) {
	cfg = cfg.withDefaults()
	if err := cfg.validate(); err != nil {
		return nil, err
	}
	var block *config.SyncSettings
	if cfg.Settings != nil {
		block = cfg.Settings.Sync
	}
	f, err := followFrom(block, cfg.Dir)
	if err != nil {
		return nil, err
	}
	if cfg.Webhook && f.secret == "" {
		return nil, errors.New("serve -listen needs a webhook secret: set syncline { sync { webhook_secret = ... } }; an unsigned webhook would let anyone trigger syncs")
	}
	s := &Syncer{cfg: cfg, kick: make(chan struct{}, 1)}
	s.follow.Store(&f)
	if cfg.Webhook {
		h, err := s.newWebhook(f)
		if err != nil {
			return nil, err
		}
		s.webhook.Store(h)
	}
	return s, nil
}

// Start starts the sync loop, which syncs at once. Cancelling ctx stops
// the syncer as Stop does.
func (s *Syncer) Start(ctx context.Context) error {
	s.lifecycle.Lock()
	defer s.lifecycle.Unlock()
	if s.started {
		return errors.New("gitsync: the syncer was already started")
	}
	ctx, cancel := context.WithCancel(ctx)
	s.started, s.cancel = true, cancel
	s.done.Add(1)
	go func() {
		defer s.done.Done()
		s.loop(ctx)
	}()
	return nil
}

// Stop ends the loop after the sync under way and waits for it.
func (s *Syncer) Stop() {
	s.lifecycle.Lock()
	cancel := s.cancel
	s.lifecycle.Unlock()
	if cancel != nil {
		cancel()
	}
	s.done.Wait()
}

// Trigger asks for a sync as soon as possible; it never blocks.
func (s *Syncer) Trigger() {
	select {
	case s.kick <- struct{}{}:
	default:
	}
}

// loop syncs at start, every interval and on every trigger, until ctx ends.
func (s *Syncer) loop(ctx context.Context) {
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
func (s *Syncer) syncNow(ctx context.Context, reason string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	f := s.follow.Load()
	var out bytes.Buffer
	start := s.cfg.Loader.Now()
	res, err := ops.Sync(ctx, s.cfg.Loader, ops.SyncOptions{
		Repo: f.repo, Branch: f.branch, Path: f.path, State: s.cfg.State,
		Vars: s.cfg.Vars, VarFiles: s.cfg.VarFiles,
		Credentials: f.creds.Override(gitmirror.Credentials{Password: s.cfg.Getenv(gitmirror.EnvPassword), Token: s.cfg.Getenv(gitmirror.EnvToken)}),
	}, s.cfg.Reporter(&out))
	end := s.cfg.Loader.Now()
	attrs := []any{"reason", reason, "branch", f.branch, "duration", end.Sub(start).Round(time.Millisecond)}
	s.observe(res, err, end, end.Sub(start))
	if err != nil {
		text := errorText(err, out.String())
		failure := state.SyncFailure{Repository: f.repo, Branch: f.branch, Error: text}
		if res != nil {
			failure.Revision = res.Commit
			attrs = append(attrs, "revision", config.ShortCommit(res.Commit))
		}
		// Recorded before it is logged: whoever reads the log finds the
		// failure in the state too.
		s.recordFailure(ctx, failure)
		s.cfg.Logger.Error("sync failed; still running the definitions applied before", append(attrs, "error", text)...)
		s.signals.synced.Signal(res)
		return
	}
	if res.Outcome == ops.SyncPlanOnly && res.Planned != nil {
		// Recorded before it is logged, as a failure is.
		s.recordPlan(ctx, state.SyncPlan{Repository: f.repo, Branch: f.branch, Revision: res.Commit,
			Serial: res.Planned.Plan.Serial, Changes: res.Planned.Plan.ChangeList()})
	}
	s.cfg.Logger.Info("sync", append(attrs, "outcome", s.cfg.Describe(res))...)
	if res.Current() {
		s.adopt(res)
	}
	s.signals.synced.Signal(res)
}

// observe tells the observer, if any, how a sync ended.
func (s *Syncer) observe(res *ops.SyncResult, err error, at time.Time, took time.Duration) {
	if s.cfg.Observer == nil {
		return
	}
	outcome := ops.SyncFailed
	if err == nil && res != nil {
		outcome = res.Outcome
	}
	s.cfg.Observer.SyncFinished(outcome, at, took)
}

// recordFailure keeps a failed sync in the state, for syncline state
// history; a state that cannot take it only adds to the log.
func (s *Syncer) recordFailure(ctx context.Context, f state.SyncFailure) {
	st, err := state.Open(ctx, s.cfg.State, state.Options{})
	if err == nil {
		err = st.SyncRecordFailure(ctx, f)
		st.Close()
	}
	if err != nil {
		s.cfg.Logger.Error("could not record the failed sync in the state", "error", err.Error())
	}
}

// recordPlan keeps the plan of a sync that did not apply (plan_only) in
// the state, for the console; a state that cannot take it only adds to
// the log.
func (s *Syncer) recordPlan(ctx context.Context, p state.SyncPlan) {
	st, err := state.Open(ctx, s.cfg.State, state.Options{})
	if err == nil {
		err = st.SyncRecordPlan(ctx, p)
		st.Close()
	}
	if err != nil {
		s.cfg.Logger.Error("could not record the sync's plan in the state", "error", err.Error())
	}
}

// errorText is err, or, for a configuration or a plan with errors, the
// diagnostics or plan the sync reported before failing.
func errorText(err error, out string) string {
	var cfgErr *ops.ConfigError
	var planErr *ops.PlanError
	if errors.As(err, &cfgErr) || errors.As(err, &planErr) {
		if text := strings.TrimSpace(out); text != "" {
			return text
		}
	}
	return err.Error()
}

// adopt follows the sync block of the revision the state is now at: a
// change of repository, branch, path, interval, credentials or webhook
// secret takes effect from the next sync. A revision without a sync block
// leaves what the syncer follows as it is.
func (s *Syncer) adopt(res *ops.SyncResult) {
	if res.Settings == nil || res.Settings.Sync == nil || res.Settings.Sync.Repository == "" {
		return
	}
	next, err := followFrom(res.Settings.Sync, s.cfg.Dir)
	if err != nil {
		return
	}
	cur := s.follow.Load()
	if changed := changes(cur, &next); len(changed) > 0 {
		s.cfg.Logger.Info("sync settings changed", "revision", config.ShortCommit(res.Commit), "changed", strings.Join(changed, ", "))
	}
	if h := s.webhook.Load(); h != nil && (next.secret != cur.secret || next.branch != cur.branch) {
		nh, err := s.newWebhook(next)
		if err != nil {
			s.cfg.Logger.Error("keeping the webhook as it was", "error", err.Error())
			next.secret, next.branch = cur.secret, cur.branch
		} else {
			s.webhook.Store(nh)
		}
	}
	s.follow.Store(&next)
}
