package gitsync

import (
	"errors"
	"fmt"
	"io"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/syncline/syncline/config"
	"github.com/syncline/syncline/engine/ops"
	"github.com/syncline/syncline/internal/gitmirror"
)

// DefaultPollInterval is how often the syncer fetches the repository when
// the sync block sets no poll_interval.
const DefaultPollInterval = time.Minute

// Config configures a Syncer. Zero values take the defaults named.
type Config struct {
	// Settings are the syncline settings of the configuration serve
	// starts from; their sync block names the repository to follow
	// (required) until a synced revision says otherwise.
	Settings *config.Settings
	// Dir is serve's configuration directory: relative repository and
	// file names in a sync block are read against it, and it is the
	// configuration ConfigDir answers when no commit was applied. Required.
	Dir string
	// State is the state store's location. Required.
	State          string
	Vars, VarFiles []string
	Loader         ops.Loader
	// Webhook, when true, has Handler serve the push webhook, for serve
	// to mount at /hooks/git; the sync block must then set a webhook
	// secret.
	Webhook bool
	// Reporter is what a sync reports through, writing to w; the text is
	// kept to explain a sync that fails. Default: ops.Quiet.
	Reporter func(w io.Writer) ops.Reporter
	// Describe names a sync's outcome in the log. Default: the Outcome.
	Describe func(res *ops.SyncResult) string
	// Getenv reads the credentials' environment variables, at each sync.
	// Default os.Getenv.
	Getenv func(key string) string
	Logger *slog.Logger // default discards
	// Observer, when set, is told of every sync's end and every request
	// to the push webhook (engine/metrics). Default: nobody.
	Observer Observer
}

// Observer is told what the syncer does; engine/metrics implements it.
// Its methods are called on the syncer's goroutines and must return
// quickly.
type Observer interface {
	// SyncFinished: a sync ended with outcome (ops.SyncFailed for any
	// failure), at when the loader's clock said so, after took.
	SyncFinished(outcome ops.Outcome, at time.Time, took time.Duration)
	// WebhookReceived: the push webhook answered a request with status.
	WebhookReceived(status int)
}

func (c Config) withDefaults() Config {
	if c.Reporter == nil {
		c.Reporter = func(io.Writer) ops.Reporter { return ops.Quiet{} }
	}
	if c.Describe == nil {
		c.Describe = func(res *ops.SyncResult) string { return string(res.Outcome) }
	}
	if c.Getenv == nil {
		c.Getenv = os.Getenv
	}
	if c.Logger == nil {
		c.Logger = slog.New(slog.NewTextHandler(io.Discard, nil))
	}
	return c
}

func (c Config) validate() error {
	var errs []error
	if c.Dir == "" {
		errs = append(errs, errors.New("a configuration directory is required"))
	}
	if c.State == "" {
		errs = append(errs, errors.New("a state store is required"))
	}
	if err := errors.Join(errs...); err != nil {
		return fmt.Errorf("gitsync: invalid configuration: %w", err)
	}
	return nil
}

// follow is what the syncer follows, read from a sync block.
type follow struct {
	repo, branch, path string
	interval           time.Duration
	creds              gitmirror.Credentials
	secret             string
}

// followFrom reads a sync block; dir is the configuration directory serve
// runs, against which relative repository and file names are read.
func followFrom(s *config.SyncSettings, dir string) (follow, error) {
	if s == nil || s.Repository == "" {
		return follow{}, errors.New("serve -sync needs the repository to follow: set syncline { sync { repository = ... } } in the configuration")
	}
	f := follow{repo: s.Repository, branch: s.Branch, path: s.Path, interval: s.PollInterval,
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
		f.interval = DefaultPollInterval
	}
	return f, nil
}

// changes names what differs between two follows, without values for
// secrets.
func changes(a, b *follow) []string {
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
