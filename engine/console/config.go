package console

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"strings"
	"time"

	"github.com/syncline/syncline/engine/catalog"
	"github.com/syncline/syncline/internal/clock"
	"github.com/syncline/syncline/state"
)

// Engine is what the console needs of the server that runs the tasks
// (engine.Server): the catalog it runs from, whether it is ready, and a
// way to have its workers look for a run just queued.
type Engine interface {
	Catalog() *catalog.Catalog
	Ready(ctx context.Context) error
	Wake()
}

// Token is one API token as configured. New keeps only the SHA-256 hash
// of Secret.
type Token struct {
	Name   string // recorded as who triggered a run
	Role   string // "viewer" or "operator"
	Secret string
}

// Mount is an extra handler served beside the console, such as the git
// push webhook or metrics.
type Mount struct {
	Pattern string // a http.ServeMux pattern, e.g. "/hooks/git"
	Handler http.Handler
	// Public handlers are served without a console token: they check
	// their own credentials (the webhook's signature). Others need a
	// viewer token, like the API.
	Public bool
}

// Config configures a Console. Zero values take the defaults named.
type Config struct {
	Store  *state.Store // required
	Engine Engine       // required
	Tokens []Token
	// SessionTTL is how long a console login lasts. Default 12h.
	SessionTTL time.Duration
	// MaxBodyBytes bounds a request's body; larger ones get 413.
	// Default 64 KiB.
	MaxBodyBytes int64
	Mounts       []Mount
	Clock        clock.Clock  // default clock.Real
	Logger       *slog.Logger // default discards
}

// Defaults and limits.
const (
	DefaultSessionTTL   = 12 * time.Hour
	DefaultMaxBodyBytes = 64 << 10
	// MinSecretLength is the shortest token secret accepted: a short
	// secret could be guessed.
	MinSecretLength = 16
	maxSessions     = 10000
)

func (c Config) withDefaults() Config {
	if c.SessionTTL == 0 {
		c.SessionTTL = DefaultSessionTTL
	}
	if c.MaxBodyBytes == 0 {
		c.MaxBodyBytes = DefaultMaxBodyBytes
	}
	if c.Clock == nil {
		c.Clock = clock.Real{}
	}
	if c.Logger == nil {
		c.Logger = slog.New(slog.NewTextHandler(io.Discard, nil))
	}
	return c
}

func (c Config) validate() error {
	var errs []error
	if c.Store == nil {
		errs = append(errs, errors.New("a state store is required"))
	}
	if c.Engine == nil {
		errs = append(errs, errors.New("an engine is required"))
	}
	if c.SessionTTL < 0 || c.MaxBodyBytes < 0 {
		errs = append(errs, errors.New("the session TTL and the body limit must not be negative"))
	}
	for _, t := range c.Tokens {
		switch {
		case t.Role != RoleViewer && t.Role != RoleOperator:
			errs = append(errs, fmt.Errorf("token %q: role must be %q or %q, not %q", t.Name, RoleViewer, RoleOperator, t.Role))
		case len(t.Secret) < MinSecretLength:
			errs = append(errs, fmt.Errorf("token %q: its secret is empty or shorter than %d characters; set it to a long random value (for example from openssl rand -hex 32)", t.Name, MinSecretLength))
		}
	}
	for _, m := range c.Mounts {
		if m.Handler == nil || !strings.HasPrefix(m.Pattern, "/") {
			errs = append(errs, fmt.Errorf("mount %q: a pattern starting with / and a handler are required", m.Pattern))
		}
	}
	return errors.Join(errs...)
}
