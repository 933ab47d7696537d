package main

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"os"
	"os/signal"
	"syscall"
	"time"

	"github.com/syncline/syncline/config"
	"github.com/syncline/syncline/engine"
	"github.com/syncline/syncline/engine/console"
	"github.com/syncline/syncline/engine/gitsync"
	"github.com/syncline/syncline/engine/metrics"
	"github.com/syncline/syncline/engine/ops"
	"github.com/syncline/syncline/internal/views"
	"github.com/syncline/syncline/state"
	"github.com/urfave/cli/v3"
)

const serveDescription = `Runs the scheduler and a pool of workers for the configuration in DIR
(default: the current directory) until interrupted: fires schedules, starts
runs queued by syncline run -detach, retries, and "after" chains, and
recovers runs whose worker died.

serve runs what was applied: it re-reads the state every few seconds and
reloads DIR when another process applied a change. Next fire times and runs
live in the state store, so a restarted serve loses and duplicates nothing.

On SIGINT or SIGTERM it stops claiming work, lets running runs finish within
-grace, then interrupts the rest (they are re-queued on the next start) and
exits.

With -listen ADDR, serve runs one HTTP server on ADDR: the operator's
console (http://ADDR/), the JSON API (/api/v1/), /healthz and /readyz.
Everything but /healthz, /readyz and the webhook needs a token of the
syncline { console { token "NAME" { ... } } } block. See docs/security.md.

With -sync, serve also follows the git repository of the configuration's
syncline { sync { ... } } block: it runs what syncline sync does (fetch,
plan, apply per the sync policy) at start, every poll_interval (default 1m)
and on every webhook push, one sync at a time. With -listen too, the same
server takes the push webhook at http://ADDR/hooks/git for GitHub, GitLab,
Gitea and generic HMAC-SHA256 pushes, checked against webhook_secret; a
valid push to the followed branch starts a sync at once. See docs/gitops.md.`

func (a *app) serveCommand() *cli.Command {
	return &cli.Command{
		Name:        "serve",
		Usage:       "run the scheduler and workers until interrupted",
		UsageText:   "syncline serve [options] [DIR]",
		Description: serveDescription,
		Flags: append([]cli.Flag{
			stateFlag(),
			&cli.IntFlag{Name: "workers", Value: engine.DefaultWorkers, Usage: "run at most `N` runs at once"},
			&cli.DurationFlag{Name: "grace", Value: 10 * time.Second, Usage: "on shutdown, let running runs finish for `DURATION`"},
			&cli.DurationFlag{Name: "poll", Value: 2 * time.Second, Usage: "look for applies and queued runs every `DURATION`"},
			&cli.BoolFlag{Name: "sync", Usage: "also sync the repository of the sync block every poll_interval and on webhook pushes"},
			&cli.StringFlag{Name: "listen", Usage: "serve the console, the API, health checks and (with -sync) the push webhook on `ADDR` (e.g. 127.0.0.1:8080)"},
			&cli.StringFlag{Name: "log-format", Value: "text", Usage: "write the log to standard error as `FORMAT`: text or json (one JSON object a line)"},
		}, variableFlags()...),
		Action: a.serveAction,
	}
}

func (a *app) serveAction(ctx context.Context, cmd *cli.Command) error {
	dir, err := dirArg(cmd)
	if err != nil {
		return err
	}
	if cmd.Int("workers") < 1 {
		return newUsageError(cmd, "-workers must be at least 1")
	}
	logger, err := newServeLogger(a.stderr, cmd.String("log-format"))
	if err != nil {
		return newUsageError(cmd, "%s", err)
	}
	cfg, err := a.loadStrict(dir, cmd)
	if err != nil {
		return err
	}
	location := ops.StateLocation(cmd.String("state"), dir, cfg.Settings)
	st, err := a.openStore(ctx, location, false)
	if err != nil {
		return err
	}
	defer st.Close()
	var obs *metrics.Metrics // served at /metrics by -listen's server
	if cmd.String("listen") != "" {
		obs = metrics.New(metrics.Options{Store: st, Logger: logger, Sync: cmd.Bool("sync")})
	}
	var syncer *gitsync.Syncer
	if cmd.Bool("sync") {
		if syncer, err = a.newSyncer(cfg.Settings, dir, location, cmd, logger, obs); err != nil {
			return err
		}
	}
	scfg := engine.ServerConfig{
		Store: st, Dir: dir, LoadOptions: a.loadOptions(cmd), Workers: int(cmd.Int("workers")),
		PollInterval: cmd.Duration("poll"), GracePeriod: cmd.Duration("grace"), Logger: logger,
	}
	if obs != nil {
		scfg.Observer = obs
	}
	if syncer != nil {
		scfg.Source = syncer
	}
	srv, err := engine.NewServer(scfg)
	if err != nil {
		return err
	}
	var web *console.Console
	if cmd.String("listen") != "" {
		if web, err = newConsole(cfg.Settings, st, srv, syncer, obs, logger); err != nil {
			return err
		}
	}
	return a.serveUntilSignal(ctx, srv, logger, location, syncer, web, cmd.String("listen"))
}

// newServeLogger is serve's log on w, in format: "text" (slog's
// key=value lines) or "json" (slog's JSON, one object a line, with
// durations written as the text log writes them, "1.5s", not as
// nanoseconds).
func newServeLogger(w io.Writer, format string) (*slog.Logger, error) {
	switch format {
	case "text":
		return slog.New(slog.NewTextHandler(w, nil)), nil
	case "json":
		return slog.New(slog.NewJSONHandler(w, &slog.HandlerOptions{ReplaceAttr: durationText})), nil
	}
	return nil, fmt.Errorf("-log-format must be text or json, not %q", format)
}

// durationText writes a duration attribute as a duration's text.
func durationText(_ []string, a slog.Attr) slog.Attr {
	if a.Value.Kind() == slog.KindDuration {
		return slog.String(a.Key, a.Value.Duration().String())
	}
	return a
}

// newSyncer is serve -sync's syncer: it syncs the repository of settings'
// sync block, reporting each sync as syncline sync would into a buffer
// kept to explain a failure, and logging its outcome through the sync view.
func (a *app) newSyncer(settings *config.Settings, dir, location string, cmd *cli.Command, logger *slog.Logger, obs *metrics.Metrics) (*gitsync.Syncer, error) {
	var observer gitsync.Observer
	if obs != nil {
		observer = obs
	}
	return gitsync.New(gitsync.Config{
		Observer: observer,
		Settings: settings, Dir: dir, State: location,
		Vars: cmd.StringSlice("var"), VarFiles: cmd.StringSlice("var-file"),
		Loader: a.loader(), Webhook: cmd.String("listen") != "", Getenv: a.getenv, Logger: logger,
		Reporter: func(w io.Writer) ops.Reporter {
			sub := a.withOutput(w)
			return sub.reporter(views.NewSync(sub.streams(), sub.color(sub.stdout)), nil)
		},
		Describe: func(res *ops.SyncResult) string { return views.SyncOutcome(synced(res)) },
	})
}

// serveUntilSignal runs srv until ctx ends or a signal arrives; syncer, if
// not nil, runs beside it (serve -sync) and is stopped last; web, if not
// nil, listens on addr (serve -listen) and is stopped first.
func (a *app) serveUntilSignal(ctx context.Context, srv *engine.Server, logger *slog.Logger, location string,
	syncer *gitsync.Syncer, web *console.Console, addr string) error {
	sigCtx, stop := signal.NotifyContext(ctx, os.Interrupt, syscall.SIGTERM)
	defer stop()
	if err := srv.Start(ctx); err != nil {
		return err
	}
	views.Serving(a.stdout, state.ShowLocation(location))
	if syncer != nil {
		if err := syncer.Start(sigCtx); err != nil {
			stop()
			_ = srv.Stop(context.WithoutCancel(ctx))
			return err
		}
		defer syncer.Stop()
	}
	if web != nil {
		if err := a.startConsole(sigCtx, web, addr, syncer != nil); err != nil {
			stop()
			_ = srv.Stop(context.WithoutCancel(ctx))
			return err
		}
		defer web.Stop(context.WithoutCancel(ctx))
	}
	<-sigCtx.Done()
	logger.Info("stopping: no new runs are claimed; waiting for running runs")
	if err := srv.Stop(context.WithoutCancel(ctx)); err != nil {
		return err
	}
	logger.Info("stopped")
	return nil
}
