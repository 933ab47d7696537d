package main

import (
	"context"
	"fmt"
	"log/slog"

	"github.com/syncline/syncline/config"
	"github.com/syncline/syncline/engine"
	"github.com/syncline/syncline/engine/console"
	"github.com/syncline/syncline/engine/gitsync"
	"github.com/syncline/syncline/engine/metrics"
	"github.com/syncline/syncline/internal/views"
	"github.com/syncline/syncline/state"
	"github.com/zclconf/go-cty/cty"
)

// newConsole is serve -listen's HTTP server: the console and API for the
// tokens of settings' console block, with serve -sync's push webhook
// mounted at /hooks/git and the metrics at /metrics (behind a viewer
// token).
func newConsole(settings *config.Settings, st *state.Store, srv *engine.Server, syncer *gitsync.Syncer, obs *metrics.Metrics, logger *slog.Logger) (*console.Console, error) {
	cfg := console.Config{Store: st, Engine: srv, Logger: logger}
	if settings != nil && settings.Console != nil {
		cfg.SessionTTL = settings.Console.SessionTTL
		for _, t := range settings.Console.Tokens {
			secret, err := tokenSecret(t)
			if err != nil {
				return nil, err
			}
			cfg.Tokens = append(cfg.Tokens, console.Token{Name: t.Name, Role: t.Role, Secret: secret})
		}
	}
	if len(cfg.Tokens) == 0 {
		logger.Warn("the console has no tokens: every page and API call is refused; add syncline { console { token \"NAME\" { ... } } }")
	}
	cfg.Mounts = append(cfg.Mounts, console.Mount{Pattern: "/metrics", Handler: obs.Handler()})
	if syncer != nil {
		cfg.Mounts = append(cfg.Mounts, console.Mount{Pattern: "/hooks/git", Handler: syncer.Handler(), Public: true})
	}
	return console.New(cfg)
}

// tokenSecret is a console token's secret; it never appears in an error.
func tokenSecret(t *config.ConsoleToken) (string, error) {
	v, _ := t.Secret.Unmark()
	if v == cty.NilVal || v.IsNull() || !v.IsKnown() || !v.Type().Equals(cty.String) {
		return "", fmt.Errorf("console token %q at %s has no secret: is the variable or environment variable it reads set?", t.Name, t.DeclRange)
	}
	return v.AsString(), nil
}

// startConsole listens on addr and says where.
func (a *app) startConsole(ctx context.Context, c *console.Console, addr string, webhook bool) error {
	if err := c.Start(ctx, addr); err != nil {
		return err
	}
	views.ConsoleListening(a.stdout, c.Addr())
	if webhook {
		views.WebhookListening(a.stdout, c.Addr())
	}
	return nil
}
