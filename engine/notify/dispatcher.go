package notify

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net/url"
	"path/filepath"
	"strings"
	"sync"
	"time"

	"github.com/syncline/syncline/config"
	"github.com/syncline/syncline/internal/clock"
	"github.com/syncline/syncline/state"
	"github.com/zclconf/go-cty/cty"
)

// Dispatcher delivers the notifications of the state's outbox.
type Dispatcher struct {
	Store *state.Store
	// Config returns the configuration the destinations are read from
	// (the one applied last, as the server runs it); Dir is its
	// directory, for relative paths.
	Config func() *config.Config
	Dir    string
	// ID names this dispatcher in claims and attempts (a worker ID).
	ID     string
	Clock  clock.Clock  // nil: clock.Real
	Logger *slog.Logger // nil: discard
	// OnDelivery, when set, is called after each delivery attempt has
	// been recorded (engine/metrics counts them); it must return quickly.
	OnDelivery func(Delivery)

	mu   sync.Mutex
	wake chan struct{}
}

// Delivery is one attempt to deliver a notification, as DeliverDue made it.
type Delivery struct {
	Notification state.Notification
	// Channel is the notify block's channel, "webhook" or "email"; empty
	// when the block is no longer in the configuration.
	Channel string
	// Target says where it went, without a secret: "webhook
	// hooks.example.com", "webhook (sensitive URL)", "e-mail to a, b".
	Target string
	Status string
	Err    error
	// Next is when it is tried again; zero when it was delivered or
	// given up (GaveUp).
	Next   time.Time
	GaveUp bool
}

// Retry backoff: the first retry after retryBase, doubling up to retryMax.
const (
	retryBase = 10 * time.Second
	retryMax  = 10 * time.Minute
	claimMany = 20
)

func (d *Dispatcher) now() time.Time {
	if d.Clock == nil {
		return time.Now()
	}
	return d.Clock.Now()
}

func (d *Dispatcher) log() *slog.Logger {
	if d.Logger == nil {
		return slog.New(slog.DiscardHandler)
	}
	return d.Logger
}

// DeliverDue delivers every notification due now, once each, and returns
// the attempts it made; a failed one is left for its next attempt. It
// returns an error only when the state cannot be read or written.
func (d *Dispatcher) DeliverDue(ctx context.Context) ([]Delivery, error) {
	var out []Delivery
	seen := map[int64]bool{}
	for ctx.Err() == nil {
		due, err := d.Store.NotificationsDue(ctx, d.ID, d.now(), d.lease(), claimMany)
		if err != nil {
			return out, err
		}
		fresh := 0
		for _, n := range due {
			if seen[n.ID] {
				continue // failed already in this call: its next attempt is later
			}
			seen[n.ID] = true
			fresh++
			dl, err := d.deliver(ctx, n)
			if err != nil {
				return out, err
			}
			out = append(out, dl)
		}
		if fresh == 0 || len(due) < claimMany {
			return out, nil
		}
	}
	return out, ctx.Err()
}

// lease is how long a claim keeps other dispatchers off: longer than the
// longest attempt.
func (d *Dispatcher) lease() time.Duration {
	longest := config.DefaultNotifyTimeout
	if cfg := d.Config(); cfg != nil {
		for _, t := range cfg.Tasks {
			for _, n := range t.Notify {
				timeout, _ := n.Attempt()
				longest = max(longest, timeout)
			}
		}
		if s := cfg.Settings.SMTP; s != nil {
			longest = max(longest, s.Timeout)
		}
	}
	return 2*longest + 30*time.Second
}

// deliver makes one attempt at n and records it.
func (d *Dispatcher) deliver(ctx context.Context, n state.Notification) (Delivery, error) {
	dl := Delivery{Notification: n}
	cfg := d.Config()
	block, err := notifyBlock(cfg, n)
	if err == nil {
		dl.Target, dl.Channel = target(block), block.Channel()
		var timeout, giveUp time.Duration
		timeout, giveUp = block.Attempt()
		// An attempt under way finishes (within its timeout) even when ctx
		// ends: a stopping server records what the receiver answered
		// rather than an attempt cut off after the receiver took it.
		dl.Status, dl.Err = d.send(context.WithoutCancel(ctx), cfg, block, n, timeout)
		if dl.Err != nil {
			dl.Next = d.now().Add(backoff(len(n.Attempts) + 1))
			if dl.Next.Sub(n.CreatedAt) > giveUp {
				dl.Next, dl.GaveUp = time.Time{}, true
			}
		}
	} else {
		dl.Err, dl.GaveUp, dl.Target = err, true, "nowhere"
	}
	attempt := state.NotificationAttempt{At: d.now(), Status: dl.Status}
	if dl.Err != nil {
		attempt.Error = dl.Err.Error()
	}
	if err := d.Store.NotificationAttempted(context.WithoutCancel(ctx), n.ID, d.ID, attempt, dl.Next); err != nil {
		return dl, err
	}
	if d.OnDelivery != nil {
		d.OnDelivery(dl)
	}
	log := d.log().With("run", n.RunID, "task", n.Task, "notify", n.Block, "outcome", n.Outcome, "target", dl.Target)
	switch {
	case dl.Err == nil:
		log.Info("notification delivered", "status", dl.Status)
	case dl.GaveUp:
		log.Error("notification given up", "attempts", len(n.Attempts)+1, "error", dl.Err)
	default:
		log.Warn("notification not delivered; it is tried again", "next", dl.Next, "error", dl.Err)
	}
	return dl, nil
}

// send builds n's message and sends it through block's channel.
func (d *Dispatcher) send(ctx context.Context, cfg *config.Config, block *config.Notify, n state.Notification, timeout time.Duration) (string, error) {
	m, err := buildMessage(ctx, d.Store, cfg, n)
	if err != nil {
		return "", fmt.Errorf("reading run %d: %w", n.RunID, err)
	}
	if block.Channel() == "email" {
		reports, err := d.reports(ctx, n.RunID)
		if err != nil {
			return "", err
		}
		return sendEmail(ctx, cfg.Settings.SMTP, d.Dir, block, m, reports, timeout)
	}
	return postWebhook(ctx, block, m, timeout)
}

// reports are the files the run's report activities wrote, to attach.
func (d *Dispatcher) reports(ctx context.Context, runID int64) ([]string, error) {
	run, err := d.Store.RunGet(ctx, runID)
	if err != nil {
		return nil, err
	}
	var out []string
	for _, a := range run.Activities {
		if p := a.Output[ReportOutput]; p != "" && a.State != state.RunFailed {
			if !filepath.IsAbs(p) {
				p = filepath.Join(d.Dir, p)
			}
			out = append(out, p)
		}
	}
	return out, nil
}

// ReportOutput is the activity output that names the file a report
// activity wrote; an e-mail notification attaches it.
const ReportOutput = "report"

// notifyBlock is the notify block n was queued for, as the configuration
// has it now.
func notifyBlock(cfg *config.Config, n state.Notification) (*config.Notify, error) {
	if cfg == nil {
		return nil, errors.New("no configuration is loaded")
	}
	t := cfg.Tasks[n.Task]
	if t == nil {
		return nil, fmt.Errorf("task %q is no longer in the configuration", n.Task)
	}
	if n.Block < 0 || n.Block >= len(t.Notify) {
		return nil, fmt.Errorf("task %q no longer has notify block %d", n.Task, n.Block+1)
	}
	return t.Notify[n.Block], nil
}

// target describes where block sends, without a secret.
func target(block *config.Notify) string {
	if block.Channel() == "email" {
		return "e-mail to " + strings.Join(block.Email, ", ")
	}
	if block.Webhook == cty.NilVal || block.Webhook.IsMarked() {
		return "webhook (sensitive URL)"
	}
	if u, err := url.Parse(block.Webhook.AsString()); err == nil {
		return "webhook " + u.Host
	}
	return "webhook"
}

// backoff is the wait before attempt n+1, n ≥ 1.
func backoff(n int) time.Duration {
	return min(retryBase<<min(n-1, 10), retryMax)
}

// Wake makes Run look for due notifications at once: a run has ended.
func (d *Dispatcher) Wake() {
	d.mu.Lock()
	defer d.mu.Unlock()
	if d.wake == nil {
		d.wake = make(chan struct{}, 1)
	}
	select {
	case d.wake <- struct{}{}:
	default:
	}
}

func (d *Dispatcher) woken() <-chan struct{} {
	d.mu.Lock()
	defer d.mu.Unlock()
	if d.wake == nil {
		d.wake = make(chan struct{}, 1)
	}
	return d.wake
}

// Run delivers notifications until ctx ends: the due ones at once, then
// whenever Wake is called, when the next retry is due, and every poll
// (notifications queued by other processes).
func (d *Dispatcher) Run(ctx context.Context, poll time.Duration) {
	clk := d.Clock
	if clk == nil {
		clk = clock.Real{}
	}
	for ctx.Err() == nil {
		if _, err := d.DeliverDue(ctx); err != nil && ctx.Err() == nil {
			d.log().Error("delivering notifications failed", "error", err)
		}
		wait := poll
		if n, next, err := d.Store.NotificationsPending(ctx); err == nil && n > 0 {
			wait = min(wait, max(next.Sub(clk.Now()), 0))
		}
		t := clk.NewTimer(wait)
		select {
		case <-ctx.Done():
		case <-d.woken():
		case <-t.C():
		}
		t.Stop()
	}
}
